/// A line's values by placeholder name, and its English wording with them filled in (the wording
/// of each code is in SessionLogEvent+English.swift).
extension SessionLogEvent {
    /// The values the wording's placeholders take, by placeholder name.
    public var params: [String: String] {
        switch self {
        case .invitationSMS(let technician, let phone):
            ["technician": technician, "phone": phone]
        case .invitationEmail(let technician, let to):
            ["technician": technician, "to": to]
        case .linkSent(let technician, let link):
            ["technician": technician, "link": link]
        case .transferred(let technician, let target):
            ["technician": technician, "target": target]
        case .transferredWithComment(let technician, let target, let comment):
            ["technician": technician, "target": target, "comment": comment]
        case .transferTakenBack(let technician), .transferTakenOver(let technician), .transferDeclined(let technician), .recordingStarted(let technician), .recordingStopped(let technician), .appletInvited(let technician), .remoteControlRequested(let technician), .desktopViewRequested(let technician), .screenshotTaken(let technician), .chatOn(let technician), .chatOff(let technician), .elevationRequested(let technician), .fileManagerRequested(let technician), .unattendedRequested(let technician):
            ["technician": technician]
        case .fileOffered(let technician, let name, let size):
            ["technician": technician, "name": name, "size": size]
        case .fileAccepted(let name), .fileDeclined(let name), .collaboratorJoined(let name), .collaboratorLeft(let name), .unattendedGranted(let name):
            ["name": name]
        case .fileSaved(let name, let size, let md5), .fileReceived(let name, let size, let md5):
            ["name": name, "size": size, "md5": md5]
        case .fileDamaged(let name, let sent, let received):
            ["name": name, "sent": sent, "received": received]
        case .fileFailed(let name, let reason):
            ["name": name, "reason": reason]
        case .cardOffered(let technician, let name), .cardOfferedAutostart(let technician, let name):
            ["technician": technician, "name": name]
        case .unattendedConnection(let technician, let name):
            ["technician": technician, "name": name]
        case .lanConnection(let technician, let address, let fingerprint):
            ["technician": technician, "address": address, "fingerprint": fingerprint]
        case .cardFailed(let reason), .remoteEnded(let reason), .elevationFailed(let reason), .fileManagerClosed(let reason), .rebootFailed(let reason),
             .unattendedConnectionRefused(let reason), .lanConnectionRefused(let reason):
            ["reason": reason]
        case .rebootRequested(let technician, let kind):
            ["technician": technician, "kind": kind]
        case .machineRestarting(let kind):
            ["kind": kind]
        case .takenFromChannel(let technician, let channel):
            ["technician": technician, "channel": channel]
        case .fileManagerFolderMade(let technician, let path):
            ["technician": technician, "path": path]
        case .fileManagerRenamed(let technician, let path, let name):
            ["technician": technician, "path": path, "name": name]
        case .fileManagerDeleted(let technician, let path, let what):
            ["technician": technician, "path": path, "what": what]
        case .fileManagerCopiedFrom(let technician, let path, let size, let sha256),
             .fileManagerCopiedTo(let technician, let path, let size, let sha256):
            ["technician": technician, "path": path, "size": size, "sha256": sha256]
        case .fileManagerCopiedFilesFrom(let technician, let count, let size, let folder),
             .fileManagerCopiedFilesTo(let technician, let count, let size, let folder):
            ["technician": technician, "count": count, "size": size, "folder": folder]
        case .processEnded(let technician, let name, let pid, let children), .processKilled(let technician, let name, let pid, let children):
            ["technician": technician, "name": name, "pid": pid, "children": children]
        case .serviceChanged(let technician, let operation, let name, let result):
            ["technician": technician, "operation": operation, "name": name, "result": result]
        case .startupOn(let technician, let name), .startupOff(let technician, let name):
            ["technician": technician, "name": name]
        case .systemReportSaved(let technician, let name, let size):
            ["technician": technician, "name": name, "size": size]
        case .applicationRemoved(let technician, let name, let source):
            ["technician": technician, "name": name, "source": source]
        case .scriptStarted(let technician, let name, let sha256):
            ["technician": technician, "name": name, "sha256": sha256]
        case .scriptFinished(let name, let result, let bytes, let hash):
            ["name": name, "result": result, "bytes": bytes, "hash": hash]
        case .elevated, .unelevated, .appletTookOver, .recordingStoppedWithRemote, .surveySent, .appletDeclined, .invitationDeclined, .termsRefused, .appletClosed, .appletRejoined, .joinedWithApplet, .joinedInstantChat, .joinedToShowScreen, .browserScreenFrames, .browserScreenWebRTC, .browserScreenBackToFrames, .cardInstalled, .cardRefused, .remoteControlAccepted, .desktopViewAccepted, .screenRefused, .fileManagerOpened, .fileManagerRefused, .rebootRefused, .machineRestarted, .customerRestarting, .customerRestartCancelled, .unattendedRefused:
            [:]
        case .colleagueInvited(let technician, let colleague), .colleagueRemoved(let technician, let colleague), .controlGiven(let technician, let colleague), .controlTakenBack(let technician, let colleague), .colleaguePermissionsChanged(let technician, let colleague), .leadOffered(let technician, let colleague), .leadOfferWithdrawn(let technician, let colleague):
            ["technician": technician, "colleague": colleague]
        case .colleagueInvitedWithComment(let technician, let colleague, let comment):
            ["technician": technician, "colleague": colleague, "comment": comment]
        case .colleagueJoined(let technician), .colleagueDeclined(let technician), .colleagueLeft(let technician), .colleagueTimedOut(let technician), .colleagueHeld(let technician), .colleagueResumed(let technician), .leadTaken(let technician),
             .technicianScreenStarted(let technician), .technicianScreenStopped(let technician), .technicianScreenClosedByCustomer(let technician):
            ["technician": technician]
        case .unrecognised(_, let params): params
        }
    }

    /// The English wording, placeholders filled in.
    public var englishText: String {
        var text = Self.english[code] ?? code
        for (name, value) in params { text = text.replacing("{\(name)}", with: value) }
        return text
    }
}
