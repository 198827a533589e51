#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a status or connection line says, one case per kind of line with its values typed, so
/// each console words it in its technician's language (A3: `log.<code>` in its catalogs) while
/// `LogEntry.text` keeps the English wording for history, exports and scripts.
///
/// On the wire and in the store it stays `{"code": "…", "params": {"name": "value"}}`. A line this
/// build does not know (written by a newer gateway) decodes as `unrecognised` and keeps its values.
public enum SessionLogEvent: Equatable, Sendable {
    /// "{technician} sent the invitation by SMS to {phone}."
    case invitationSMS(technician: String, phone: String)
    /// "{technician} sent the invitation by email to {to}."
    case invitationEmail(technician: String, to: String)
    /// "{technician} sent the link {link}"
    case linkSent(technician: String, link: String)
    /// "The applet restarted with administrator rights (root) and reconnected. These rights end with the session."
    case elevated
    /// "The applet runs without administrator rights again."
    case unelevated
    /// "The customer started the Lifeline app: every tool is available now."
    case appletTookOver
    /// "{technician} transferred the session to {target}"
    case transferred(technician: String, target: String)
    /// "{technician} transferred the session to {target}: {comment}"
    case transferredWithComment(technician: String, target: String, comment: String)
    /// "{technician} took the session back."
    case transferTakenBack(technician: String)
    /// "{technician} took over the session."
    case transferTakenOver(technician: String)
    /// "{technician} declined the transfer."
    case transferDeclined(technician: String)
    /// "{technician} started recording the screen; the customer was told."
    case recordingStarted(technician: String)
    /// "{technician} stopped recording the screen."
    case recordingStopped(technician: String)
    /// "Screen recording stopped with the remote desktop."
    case recordingStoppedWithRemote
    /// "{technician} offers the file {name} ({size})."
    case fileOffered(technician: String, name: String, size: String)
    /// "The customer accepted the file {name}."
    case fileAccepted(name: String)
    /// "The customer declined the file {name}."
    case fileDeclined(name: String)
    /// "The customer saved the file {name} ({size}). MD5 {md5}."
    case fileSaved(name: String, size: String, md5: String)
    /// "The file {name} arrived damaged and was not kept: MD5 sent {sent}, received {received}."
    case fileDamaged(name: String, sent: String, received: String)
    /// "The file {name} was not transferred: {reason}"
    case fileFailed(name: String, reason: String)
    /// "The customer sent the file {name} ({size}). MD5 {md5}."
    case fileReceived(name: String, size: String, md5: String)
    /// "The customer survey was sent to the customer."
    case surveySent
    /// "{technician} invited the customer to download the Lifeline app."
    case appletInvited(technician: String)
    /// "The customer does not want to download the Lifeline app for now."
    case appletDeclined
    /// The customer saw who asks to connect and said no (before joining): nobody connected.
    case invitationDeclined
    /// The customer did not accept the organisation's terms (before joining): nobody connected.
    case termsRefused
    /// The customer closed the applet before answering (issue 16): nobody connected.
    case appletClosed
    /// The customer's applet was started again (closed, crashed) and rejoined with its token (issue 16).
    case appletRejoined
    /// How the customer joined (issue 16): the Lifeline app, Instant Chat, or a browser to show their screen.
    case joinedWithApplet
    case joinedInstantChat
    case joinedToShowScreen
    /// The customer's browser shows their screen, its pictures passing through the gateway (view only).
    case browserScreenFrames
    /// The browser's screen now comes straight from the customer's browser (WebRTC).
    case browserScreenWebRTC
    /// The direct path was lost: the browser's screen comes through the gateway again.
    case browserScreenBackToFrames
    /// "{technician} offered to install the Calling Card {name}."
    case cardOffered(technician: String, name: String)
    /// "{technician} offered to install the Calling Card {name} (launched at every start)."
    case cardOfferedAutostart(technician: String, name: String)
    /// "The customer installed the Calling Card."
    case cardInstalled
    /// "The customer did not want the Calling Card installed."
    case cardRefused
    /// "The Calling Card could not be installed: {reason}"
    case cardFailed(reason: String)
    /// "{technician} asked for remote control."
    case remoteControlRequested(technician: String)
    /// "{technician} asked to view the desktop."
    case desktopViewRequested(technician: String)
    /// "{technician} took a screenshot of the customer's screen."
    case screenshotTaken(technician: String)
    /// "{name} joined the session as an external technician."
    case collaboratorJoined(name: String)
    /// "{name} left the session."
    case collaboratorLeft(name: String)
    /// "The customer accepted: remote control started."
    case remoteControlAccepted
    /// "The customer accepted: desktop view started."
    case desktopViewAccepted
    /// "The customer refused to share the screen."
    case screenRefused
    // Colleagues working one session together (I1, I3, I4).
    /// "{technician} invited {colleague} to collaborate."
    case colleagueInvited(technician: String, colleague: String)
    /// "{technician} invited {colleague} to collaborate: {comment}"
    case colleagueInvitedWithComment(technician: String, colleague: String, comment: String)
    /// "{technician} joined the session as a collaborator."
    case colleagueJoined(technician: String)
    /// "{technician} is showing their screen to the customer." (H1)
    case technicianScreenStarted(technician: String)
    /// "{technician} stopped showing their screen."
    case technicianScreenStopped(technician: String)
    /// "The customer closed {technician}'s screen; the session goes on."
    case technicianScreenClosedByCustomer(technician: String)
    /// "{technician} declined the invitation to collaborate."
    case colleagueDeclined(technician: String)
    /// "{technician} left the collaboration; the session goes on."
    case colleagueLeft(technician: String)
    /// The administrator's idle timeout passed while a colleague's console was idle (the appendix's Collaboration → Closed).
    case colleagueTimedOut(technician: String)
    /// "{technician} removed {colleague} from the session."
    case colleagueRemoved(technician: String, colleague: String)
    /// "{technician} gave the mouse and keyboard to {colleague}."
    case controlGiven(technician: String, colleague: String)
    /// "{technician} took back the mouse and keyboard from {colleague}."
    case controlTakenBack(technician: String, colleague: String)
    /// "{technician} changed what {colleague} may do in this session."
    case colleaguePermissionsChanged(technician: String, colleague: String)
    /// "{technician} put the session on hold for themselves."
    case colleagueHeld(technician: String)
    /// "{technician} is back in the session."
    case colleagueResumed(technician: String)
    /// "{technician} offered the lead role to {colleague}."
    case leadOffered(technician: String, colleague: String)
    /// "{technician} withdrew the offer of the lead role to {colleague}."
    case leadOfferWithdrawn(technician: String, colleague: String)
    /// "{technician} is the lead technician now."
    case leadTaken(technician: String)
    /// "Remote desktop ended: {reason}"
    case remoteEnded(reason: String)
    /// "{technician} turned the chat on."
    case chatOn(technician: String)
    /// "{technician} turned the chat off."
    case chatOff(technician: String)
    /// "{technician} took the session from the {channel} queue."
    case takenFromChannel(technician: String, channel: String)
    /// "{technician} asked to restart the applet with administrator rights."
    case elevationRequested(technician: String)
    /// "The applet could not restart with administrator rights: {reason}"
    case elevationFailed(reason: String)
    /// "{technician} asked to restart the customer's computer ({kind})." (M1–M3)
    case rebootRequested(technician: String, kind: String)
    /// "The customer did not allow the restart."
    case rebootRefused
    /// "The customer's computer could not restart: {reason}"
    case rebootFailed(reason: String)
    /// "The customer's computer is restarting ({kind}); the session resumes when it is back."
    case machineRestarting(kind: String)
    /// "The customer's computer restarted and the applet reconnected."
    case machineRestarted
    /// "The customer is restarting their computer; the session resumes when it is back." (C7)
    case customerRestarting
    /// "The customer's computer did not restart after all; the session goes on."
    case customerRestartCancelled
    /// "{technician} asked for unattended access to this computer." (F5)
    case unattendedRequested(technician: String)
    /// "The customer did not allow unattended access."
    case unattendedRefused
    /// "The customer allowed unattended access: {name} is in the Computers list."
    case unattendedGranted(name: String)
    /// "{technician} connected to {name} with unattended access."
    case unattendedConnection(technician: String, name: String)
    /// "The computer's agent refused the connection: {reason}"
    case unattendedConnectionRefused(reason: String)
    /// "{technician} started the applet on {address} through a LAN connector (host key {fingerprint})." (F4)
    case lanConnection(technician: String, address: String, fingerprint: String)
    /// "The LAN connection failed: {reason}"
    case lanConnectionRefused(reason: String)
    /// "{technician} asked to open the file manager."
    case fileManagerRequested(technician: String)
    /// "The customer accepted: the file manager is open."
    case fileManagerOpened
    /// "The customer refused the file manager."
    case fileManagerRefused
    /// "The file manager closed: {reason}"
    case fileManagerClosed(reason: String)
    /// "{technician} made the folder {path} on the customer's computer."
    case fileManagerFolderMade(technician: String, path: String)
    /// "{technician} renamed {path} to {name} on the customer's computer."
    case fileManagerRenamed(technician: String, path: String, name: String)
    /// "{technician} deleted {path} on the customer's computer ({what})."
    case fileManagerDeleted(technician: String, path: String, what: String)
    /// "{technician} copied {path} ({size}) from the customer's computer. SHA-256 {sha256}."
    case fileManagerCopiedFrom(technician: String, path: String, size: String, sha256: String)
    /// "{technician} copied {path} ({size}) to the customer's computer. SHA-256 {sha256}."
    case fileManagerCopiedTo(technician: String, path: String, size: String, sha256: String)
    /// Small files copied together (`read_files`): how many, their total, the folder they were in
    /// (or below); each file's path, size and SHA-256 is in the audit log.
    case fileManagerCopiedFilesFrom(technician: String, count: String, size: String, folder: String)
    case fileManagerCopiedFilesTo(technician: String, count: String, size: String, folder: String)
    /// "{technician} ended {name} (PID {pid}) on the customer's computer, with the {children}
    /// processes it started." `processKilled` when it had to be killed (SIGKILL).
    case processEnded(technician: String, name: String, pid: String, children: String)
    case processKilled(technician: String, name: String, pid: String, children: String)
    /// "{technician} ran “{operation}” on the service {name} on the customer's computer ({result})."
    /// `operation` is systemctl's verb, `result` systemd's job result or the unit file's state.
    case serviceChanged(technician: String, operation: String, name: String, result: String)
    /// "{technician} turned on {name} at startup on the customer's computer." (L7)
    case startupOn(technician: String, name: String)
    case startupOff(technician: String, name: String)
    /// "{technician} saved the customer's system information as {name} ({size}) with the session's files."
    case systemReportSaved(technician: String, name: String, size: String)
    /// "{technician} uninstalled {name} ({source}) from the customer's computer." (L4)
    case applicationRemoved(technician: String, name: String, source: String)
    /// "{technician} ran the script {name} on the customer's computer (SHA-256 {sha256})." (N2)
    case scriptStarted(technician: String, name: String, sha256: String)
    /// "The script {name} ended: {result}. Output {bytes} bytes, SHA-256 {hash}."
    /// `result` is `ScriptResult.summary` ("exit 0", "timed_out", "refused: hash_mismatch").
    case scriptFinished(name: String, result: String, bytes: String, hash: String)
    case unrecognised(code: String, params: [String: String])
}

extension SessionLogEvent: Codable {
    private enum Key: String, CodingKey {
        case code
        case params
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let code = try container.decode(String.self, forKey: .code)
        let params = try container.decodeIfPresent([String: String].self, forKey: .params) ?? [:]
        self = Self(code: code, params: params)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(code, forKey: .code)
        try container.encode(params, forKey: .params)
    }
}

extension SessionLogEvent {
    /// The line `code` names with `params`; `unrecognised` when the code is unknown or a value is missing.
    public init(code: String, params: [String: String]) {
        self = Self.decoders[code]?(params) ?? .unrecognised(code: code, params: params)
    }

    /// How each known code's values become its case: one entry per code.
    private static let decoders: [String: @Sendable ([String: String]) -> SessionLogEvent?] = [
        "invitation_sms": { p in guard let technician = p["technician"], let phone = p["phone"] else { return nil }; return .invitationSMS(technician: technician, phone: phone) },
        "invitation_email": { p in guard let technician = p["technician"], let to = p["to"] else { return nil }; return .invitationEmail(technician: technician, to: to) },
        "link_sent": { p in guard let technician = p["technician"], let link = p["link"] else { return nil }; return .linkSent(technician: technician, link: link) },
        "transferred": { p in guard let technician = p["technician"], let target = p["target"] else { return nil }; return .transferred(technician: technician, target: target) },
        "transferred_comment": { p in guard let technician = p["technician"], let target = p["target"], let comment = p["comment"] else { return nil }; return .transferredWithComment(technician: technician, target: target, comment: comment) },
        "transfer_taken_back": { p in guard let technician = p["technician"] else { return nil }; return .transferTakenBack(technician: technician) },
        "transfer_taken_over": { p in guard let technician = p["technician"] else { return nil }; return .transferTakenOver(technician: technician) },
        "transfer_declined": { p in guard let technician = p["technician"] else { return nil }; return .transferDeclined(technician: technician) },
        "recording_started": { p in guard let technician = p["technician"] else { return nil }; return .recordingStarted(technician: technician) },
        "recording_stopped": { p in guard let technician = p["technician"] else { return nil }; return .recordingStopped(technician: technician) },
        "file_offered": { p in guard let technician = p["technician"], let name = p["name"], let size = p["size"] else { return nil }; return .fileOffered(technician: technician, name: name, size: size) },
        "file_accepted": { p in guard let name = p["name"] else { return nil }; return .fileAccepted(name: name) },
        "file_declined": { p in guard let name = p["name"] else { return nil }; return .fileDeclined(name: name) },
        "file_saved": { p in guard let name = p["name"], let size = p["size"], let md5 = p["md5"] else { return nil }; return .fileSaved(name: name, size: size, md5: md5) },
        "file_damaged": { p in guard let name = p["name"], let sent = p["sent"], let received = p["received"] else { return nil }; return .fileDamaged(name: name, sent: sent, received: received) },
        "file_failed": { p in guard let name = p["name"], let reason = p["reason"] else { return nil }; return .fileFailed(name: name, reason: reason) },
        "file_received": { p in guard let name = p["name"], let size = p["size"], let md5 = p["md5"] else { return nil }; return .fileReceived(name: name, size: size, md5: md5) },
        "applet_invited": { p in guard let technician = p["technician"] else { return nil }; return .appletInvited(technician: technician) },
        "card_offered": { p in guard let technician = p["technician"], let name = p["name"] else { return nil }; return .cardOffered(technician: technician, name: name) },
        "card_offered_autostart": { p in guard let technician = p["technician"], let name = p["name"] else { return nil }; return .cardOfferedAutostart(technician: technician, name: name) },
        "card_failed": { p in guard let reason = p["reason"] else { return nil }; return .cardFailed(reason: reason) },
        "remote_control_requested": { p in guard let technician = p["technician"] else { return nil }; return .remoteControlRequested(technician: technician) },
        "desktop_view_requested": { p in guard let technician = p["technician"] else { return nil }; return .desktopViewRequested(technician: technician) },
        "screenshot_taken": { p in guard let technician = p["technician"] else { return nil }; return .screenshotTaken(technician: technician) },
        "collaborator_joined": { p in guard let name = p["name"] else { return nil }; return .collaboratorJoined(name: name) },
        "collaborator_left": { p in guard let name = p["name"] else { return nil }; return .collaboratorLeft(name: name) },
        "remote_ended": { p in guard let reason = p["reason"] else { return nil }; return .remoteEnded(reason: reason) },
        "chat_on": { p in guard let technician = p["technician"] else { return nil }; return .chatOn(technician: technician) },
        "chat_off": { p in guard let technician = p["technician"] else { return nil }; return .chatOff(technician: technician) },
        "taken_from_channel": { p in guard let technician = p["technician"], let channel = p["channel"] else { return nil }; return .takenFromChannel(technician: technician, channel: channel) },
        "elevation_requested": { p in guard let technician = p["technician"] else { return nil }; return .elevationRequested(technician: technician) },
        "elevation_failed": { p in guard let reason = p["reason"] else { return nil }; return .elevationFailed(reason: reason) },
        "reboot_requested": { p in
            guard let technician = p["technician"], let kind = p["kind"] else { return nil }
            return .rebootRequested(technician: technician, kind: kind)
        },
        "reboot_refused": { _ in .rebootRefused },
        "reboot_failed": { p in guard let reason = p["reason"] else { return nil }; return .rebootFailed(reason: reason) },
        "machine_restarting": { p in guard let kind = p["kind"] else { return nil }; return .machineRestarting(kind: kind) },
        "machine_restarted": { _ in .machineRestarted },
        "customer_restarting": { _ in .customerRestarting },
        "customer_restart_cancelled": { _ in .customerRestartCancelled },
        "unattended_requested": { p in guard let technician = p["technician"] else { return nil }; return .unattendedRequested(technician: technician) },
        "unattended_refused": { _ in .unattendedRefused },
        "unattended_granted": { p in guard let name = p["name"] else { return nil }; return .unattendedGranted(name: name) },
        "unattended_connection": { p in
            guard let technician = p["technician"], let name = p["name"] else { return nil }
            return .unattendedConnection(technician: technician, name: name)
        },
        "unattended_connection_refused": { p in guard let reason = p["reason"] else { return nil }; return .unattendedConnectionRefused(reason: reason) },
        "lan_connection": { p in
            guard let technician = p["technician"], let address = p["address"], let key = p["fingerprint"] else { return nil }; return .lanConnection(technician: technician, address: address, fingerprint: key) },
        "lan_connection_refused": { p in guard let reason = p["reason"] else { return nil }; return .lanConnectionRefused(reason: reason) },
        "file_manager_requested": { p in guard let technician = p["technician"] else { return nil }; return .fileManagerRequested(technician: technician) },
        "file_manager_closed": { p in guard let reason = p["reason"] else { return nil }; return .fileManagerClosed(reason: reason) },
        "file_manager_folder_made": { p in guard let technician = p["technician"], let path = p["path"] else { return nil }; return .fileManagerFolderMade(technician: technician, path: path) },
        "file_manager_renamed": { p in guard let technician = p["technician"], let path = p["path"], let name = p["name"] else { return nil }; return .fileManagerRenamed(technician: technician, path: path, name: name) },
        "file_manager_deleted": { p in guard let technician = p["technician"], let path = p["path"], let what = p["what"] else { return nil }; return .fileManagerDeleted(technician: technician, path: path, what: what) },
        "file_manager_copied_from": { p in guard let technician = p["technician"], let path = p["path"], let size = p["size"], let sha256 = p["sha256"] else { return nil }; return .fileManagerCopiedFrom(technician: technician, path: path, size: size, sha256: sha256) },
        "file_manager_copied_to": { p in guard let technician = p["technician"], let path = p["path"], let size = p["size"], let sha256 = p["sha256"] else { return nil }; return .fileManagerCopiedTo(technician: technician, path: path, size: size, sha256: sha256) },
        "file_manager_copied_files_from": { p in guard let technician = p["technician"], let count = p["count"], let size = p["size"], let folder = p["folder"] else { return nil }; return .fileManagerCopiedFilesFrom(technician: technician, count: count, size: size, folder: folder) },
        "file_manager_copied_files_to": { p in guard let technician = p["technician"], let count = p["count"], let size = p["size"], let folder = p["folder"] else { return nil }; return .fileManagerCopiedFilesTo(technician: technician, count: count, size: size, folder: folder) },
        "process_ended": { p in guard let technician = p["technician"], let name = p["name"], let pid = p["pid"], let children = p["children"] else { return nil }; return .processEnded(technician: technician, name: name, pid: pid, children: children) },
        "system_report_saved": { p in guard let technician = p["technician"], let name = p["name"], let size = p["size"] else { return nil }; return .systemReportSaved(technician: technician, name: name, size: size) },
        "application_removed": { p in guard let technician = p["technician"], let name = p["name"], let source = p["source"] else { return nil }; return .applicationRemoved(technician: technician, name: name, source: source) },
        "script_started": { p in guard let technician = p["technician"], let name = p["name"], let sha256 = p["sha256"] else { return nil }; return .scriptStarted(technician: technician, name: name, sha256: sha256) },
        "script_finished": { p in guard let name = p["name"], let result = p["result"], let bytes = p["bytes"], let hash = p["hash"] else { return nil }; return .scriptFinished(name: name, result: result, bytes: bytes, hash: hash) },
        "process_killed": { p in guard let technician = p["technician"], let name = p["name"], let pid = p["pid"], let children = p["children"] else { return nil }; return .processKilled(technician: technician, name: name, pid: pid, children: children) },
        "service_changed": { p in guard let technician = p["technician"], let operation = p["operation"], let name = p["name"], let result = p["result"] else { return nil }; return .serviceChanged(technician: technician, operation: operation, name: name, result: result) },
        "startup_on": { p in guard let technician = p["technician"], let name = p["name"] else { return nil }; return .startupOn(technician: technician, name: name) },
        "startup_off": { p in guard let technician = p["technician"], let name = p["name"] else { return nil }; return .startupOff(technician: technician, name: name) },
        "file_manager_opened": { _ in .fileManagerOpened },
        "file_manager_refused": { _ in .fileManagerRefused },
        "elevated": { _ in .elevated },
        "unelevated": { _ in .unelevated },
        "applet_took_over": { _ in .appletTookOver },
        "recording_stopped_with_remote": { _ in .recordingStoppedWithRemote },
        "survey_sent": { _ in .surveySent },
        "applet_declined": { _ in .appletDeclined },
        "invitation_declined": { _ in .invitationDeclined },
        "terms_refused": { _ in .termsRefused },
        "applet_closed": { _ in .appletClosed },
        "applet_rejoined": { _ in .appletRejoined },
        "joined_with_applet": { _ in .joinedWithApplet },
        "joined_instant_chat": { _ in .joinedInstantChat },
        "joined_to_show_screen": { _ in .joinedToShowScreen },
        "browser_screen_frames": { _ in .browserScreenFrames },
        "browser_screen_webrtc": { _ in .browserScreenWebRTC },
        "browser_screen_back_to_frames": { _ in .browserScreenBackToFrames },
        "card_installed": { _ in .cardInstalled },
        "card_refused": { _ in .cardRefused },
        "remote_control_accepted": { _ in .remoteControlAccepted },
        "desktop_view_accepted": { _ in .desktopViewAccepted },
        "screen_refused": { _ in .screenRefused },
        "colleague_invited": { p in guard let technician = p["technician"], let colleague = p["colleague"] else { return nil }; return .colleagueInvited(technician: technician, colleague: colleague) },
        "colleague_invited_comment": { p in guard let technician = p["technician"], let colleague = p["colleague"], let comment = p["comment"] else { return nil }; return .colleagueInvitedWithComment(technician: technician, colleague: colleague, comment: comment) },
        "colleague_joined": { p in guard let technician = p["technician"] else { return nil }; return .colleagueJoined(technician: technician) },
        "technician_screen_started": { p in p["technician"].map { .technicianScreenStarted(technician: $0) } },
        "technician_screen_stopped": { p in p["technician"].map { .technicianScreenStopped(technician: $0) } },
        "technician_screen_closed": { p in p["technician"].map { .technicianScreenClosedByCustomer(technician: $0) } },
        "colleague_declined": { p in guard let technician = p["technician"] else { return nil }; return .colleagueDeclined(technician: technician) },
        "colleague_left": { p in guard let technician = p["technician"] else { return nil }; return .colleagueLeft(technician: technician) },
        "colleague_timed_out": { p in guard let technician = p["technician"] else { return nil }; return .colleagueTimedOut(technician: technician) },
        "control_given": { p in guard let technician = p["technician"], let colleague = p["colleague"] else { return nil }; return .controlGiven(technician: technician, colleague: colleague) },
        "control_taken_back": { p in guard let technician = p["technician"], let colleague = p["colleague"] else { return nil }; return .controlTakenBack(technician: technician, colleague: colleague) },
        "colleague_removed": { p in guard let technician = p["technician"], let colleague = p["colleague"] else { return nil }; return .colleagueRemoved(technician: technician, colleague: colleague) },
        "colleague_permissions_changed": { p in guard let technician = p["technician"], let colleague = p["colleague"] else { return nil }; return .colleaguePermissionsChanged(technician: technician, colleague: colleague) },
        "colleague_held": { p in guard let technician = p["technician"] else { return nil }; return .colleagueHeld(technician: technician) },
        "colleague_resumed": { p in guard let technician = p["technician"] else { return nil }; return .colleagueResumed(technician: technician) },
        "lead_offered": { p in guard let technician = p["technician"], let colleague = p["colleague"] else { return nil }; return .leadOffered(technician: technician, colleague: colleague) },
        "lead_offer_withdrawn": { p in guard let technician = p["technician"], let colleague = p["colleague"] else { return nil }; return .leadOfferWithdrawn(technician: technician, colleague: colleague) },
        "lead_taken": { p in guard let technician = p["technician"] else { return nil }; return .leadTaken(technician: technician) },
    ]
}
