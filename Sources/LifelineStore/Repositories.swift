import Foundation
import LifelineCore
import LifelineProtocol

/// One protocol per aggregate, so a PostgreSQL store can stand behind the same contract.
public protocol OrganisationRepository: Sendable {
    func insertOrganisation(_ organisation: Organisation) async throws(StoreError)
    func organisation(id: String) async throws(StoreError) -> Organisation?
    func organisationCount() async throws(StoreError) -> Int
}

public protocol GroupRepository: Sendable {
    func insertGroup(_ group: TechnicianGroup) async throws(StoreError)
    func group(id: String) async throws(StoreError) -> TechnicianGroup?
    func groups(organisationId: String) async throws(StoreError) -> [TechnicianGroup]
    func updateGroup(_ group: TechnicianGroup) async throws(StoreError)
    func deleteGroup(id: String) async throws(StoreError)
}

public protocol TechnicianRepository: Sendable {
    func insertTechnician(_ technician: Technician) async throws(StoreError)
    func updateTechnician(_ technician: Technician) async throws(StoreError)
    func technician(id: String) async throws(StoreError) -> Technician?
    func technician(email: String) async throws(StoreError) -> Technician?
    func technicians(organisationId: String) async throws(StoreError) -> [Technician]
}

public protocol SessionRepository: Sendable {
    func insertSession(_ session: SessionRecord) async throws(StoreError)
    /// Writes the session if the stored row still has `session.version`; returns the new version.
    /// A row that moved on meanwhile throws `.conflict` and nothing is written. `viewsChanged`
    /// false (the caller knows other technicians' views are as stored) writes the row alone, one
    /// statement instead of a transaction that rewrites the views.
    @discardableResult
    func updateSession(_ session: SessionRecord, viewsChanged: Bool, fence: LeaseFence?) async throws(StoreError) -> Int64
    func session(id: String) async throws(StoreError) -> SessionRecord?
    func session(pin: String) async throws(StoreError) -> SessionRecord?
    func session(linkTokenHash: String) async throws(StoreError) -> SessionRecord?
    func session(appletTokenHash: String) async throws(StoreError) -> SessionRecord?
    /// Sessions still in some queue (not yet removed), oldest first.
    func liveSessions() async throws(StoreError) -> [SessionRecord]
    /// Sessions that left the queue, newest first.
    func closedSessions(technicianId: String, limit: Int) async throws(StoreError) -> [SessionRecord]
    /// The organisation's sessions with a device, newest first (D6).
    func sessions(organisationId: String, deviceId: String, limit: Int) async throws(StoreError) -> [SessionRecord]
    /// The organisation's sessions created in [from, to), oldest first (reports, R3).
    func sessions(organisationId: String, createdFrom from: Date, to: Date) async throws(StoreError) -> [SessionRecord]
    func notes(sessionId: String) async throws(StoreError) -> SessionNotes?
    func saveNotes(_ notes: SessionNotes) async throws(StoreError)
}

extension SessionRepository {
    /// Writes the session and its views.
    @discardableResult
    public func updateSession(_ session: SessionRecord) async throws(StoreError) -> Int64 {
        try await updateSession(session, viewsChanged: true, fence: nil)
    }

    /// Writes the session without a lease to check (a single gateway, a session not leased yet).
    @discardableResult
    public func updateSession(_ session: SessionRecord, viewsChanged: Bool) async throws(StoreError) -> Int64 {
        try await updateSession(session, viewsChanged: viewsChanged, fence: nil)
    }
}

public protocol SessionLogRepository: Sendable {
    /// Appends a line and returns it with its id.
    func appendLog(sessionId: String, at: Date, kind: LogEntry.Kind, authorRole: LogEntry.AuthorRole,
                   author: String, text: String, state: SessionState?, event: SessionLogEvent?) async throws(StoreError) -> LogEntry
    /// The session's log, oldest first; only the lines after `afterId` when given (a gateway node
    /// catching up on lines another node wrote).
    func log(sessionId: String, afterId: Int64?) async throws(StoreError) -> [LogEntry]
    /// The states each session of the organisation created in [from, to) entered, in order (reports, R3).
    func stateChanges(organisationId: String, createdFrom from: Date, to: Date) async throws(StoreError) -> [String: [SessionTiming.Change]]
}

public protocol AuthTokenRepository: Sendable {
    func insertToken(_ token: AuthTokenRecord) async throws(StoreError)
    func token(hash: String) async throws(StoreError) -> AuthTokenRecord?
    func deleteToken(hash: String) async throws(StoreError)
    func deleteTokens(technicianId: String) async throws(StoreError)
}

/// Small named values: the one-time setup token's hash, and later the Admin Center settings.
public protocol SettingsRepository: Sendable {
    func setting(_ key: String) async throws(StoreError) -> String?
    func setSetting(_ key: String, _ value: String?) async throws(StoreError)
    /// Deletes the setting only if it still holds `value`, in one statement: of concurrent takers
    /// exactly one gets true (single-use secrets such as the setup token).
    func takeSetting(_ key: String, ifEquals value: String) async throws(StoreError) -> Bool
}

public protocol ChannelRepository: Sendable {
    func insertChannel(_ channel: Channel) async throws(StoreError)
    func updateChannel(_ channel: Channel) async throws(StoreError)
    func deleteChannel(id: String) async throws(StoreError)
    func channels(organisationId: String) async throws(StoreError) -> [Channel]
    func channel(id: String) async throws(StoreError) -> Channel?
    func channel(publicToken: String) async throws(StoreError) -> Channel?
}

/// Screen recordings (J14): the rows; the video files live beside the database.
public protocol RecordingRepository: Sendable {
    func insertRecording(_ recording: Recording) async throws(StoreError)
    func updateRecording(_ recording: Recording) async throws(StoreError)
    func recording(id: String) async throws(StoreError) -> Recording?
    func recordings(sessionId: String) async throws(StoreError) -> [Recording]
}

/// Files sent in sessions (D4, G1): the rows; received files live beside the database.
public protocol FileTransferRepository: Sendable {
    func saveFileTransfer(_ transfer: FileTransferRecord) async throws(StoreError)
    func fileTransfer(id: String) async throws(StoreError) -> FileTransferRecord?
    func fileTransfers(sessionId: String) async throws(StoreError) -> [FileTransferRecord]
}

/// Predefined replies and URLs shared by an organisation's technicians (D2, D3).
public protocol ReplyRepository: Sendable {
    func saveReply(_ reply: Reply) async throws(StoreError)
    /// Several replies in one unit of work (an import): all are kept or none.
    func saveReplies(_ replies: [Reply]) async throws(StoreError)
    func deleteReply(id: String) async throws(StoreError)
    func reply(id: String) async throws(StoreError) -> Reply?
    func replies(organisationId: String) async throws(StoreError) -> [Reply]
}

/// Script libraries (N1, R4): each technician's, and those embedded for a technician group.
public protocol ScriptRepository: Sendable {
    /// Saves the row and applies `resource` in one unit of work.
    func saveScript(_ script: LibraryScript, resource: ScriptResourceChange) async throws(StoreError)
    /// Several new scripts with their resources in one unit of work (an import): all are kept or none.
    func saveScripts(_ scripts: [(LibraryScript, Data?)]) async throws(StoreError)
    /// New places for a library's scripts (a move swaps two), in one unit of work.
    func setScriptPositions(_ positions: [(id: String, position: Int)]) async throws(StoreError)
    func deleteScript(id: String) async throws(StoreError)
    func script(id: String) async throws(StoreError) -> LibraryScript?
    /// A technician's own scripts, in their order.
    func scripts(ownerId: String) async throws(StoreError) -> [LibraryScript]
    /// The scripts embedded for a group, in their order.
    func scripts(groupId: String) async throws(StoreError) -> [LibraryScript]
    func scriptResource(id: String) async throws(StoreError) -> Data?
}

/// Customer surveys (D5): what each group or channel asks, and what was sent and answered.
public protocol SurveyRepository: Sendable {
    func saveSurveySetting(_ setting: SurveySetting) async throws(StoreError)
    func surveySetting(scope: SurveyScope, scopeId: String) async throws(StoreError) -> SurveySetting?
    func surveySettings(organisationId: String) async throws(StoreError) -> [SurveySetting]
    func saveSurveyResponse(_ response: SurveyResponse) async throws(StoreError)
    func surveyResponse(tokenHash: String) async throws(StoreError) -> SurveyResponse?
    func surveyResponse(sessionId: String) async throws(StoreError) -> SurveyResponse?
    /// Surveys sent in [from, to), oldest first.
    func surveyResponses(organisationId: String, from: Date, to: Date) async throws(StoreError) -> [SurveyResponse]
}

/// Calling Cards (F3, O1).
/// Resume tickets (M1–M3): what lets the applet of a restarted machine rejoin its session, once.
/// Only the ticket's hash is kept.
public protocol ResumeTicketRepository: Sendable {
    func saveResumeTicket(hash: String, sessionId: String, expiresAt: Date) async throws(StoreError)
    /// The session of an unexpired ticket, which is used up by the asking: of any number of
    /// askers at once (on any gateway sharing the database) exactly one gets it.
    func useResumeTicket(hash: String, now: Date) async throws(StoreError) -> String?
    /// A session's tickets are dropped (a reboot that did not happen, the session ended).
    func dropResumeTickets(sessionId: String) async throws(StoreError)
}

/// Unattended computers (F5) and the one-time enrolments that add them.
public protocol DeviceRepository: Sendable {
    func saveEnrolment(tokenHash: String, _ enrolment: DeviceEnrolment) async throws(StoreError)
    /// An unexpired enrolment, used up by the asking: of any number of agents at once, exactly one gets it.
    func useEnrolment(tokenHash: String, now: Date) async throws(StoreError) -> DeviceEnrolment?
    func dropEnrolments(sessionId: String) async throws(StoreError)
    func insertDevice(_ device: UnattendedDevice) async throws(StoreError)
    func device(id: String) async throws(StoreError) -> UnattendedDevice?
    func devices(technicianId: String, groupId: String?) async throws(StoreError) -> [UnattendedDevice]
    func deleteDevice(id: String) async throws(StoreError) -> Bool
    func deviceSeen(id: String, at: Date) async throws(StoreError)
    /// LAN connectors (F4): the subnets a computer's agent may check, nil when it is not one.
    func setLanSubnets(deviceId: String, _ subnets: [String]?) async throws(StoreError) -> Bool
    func lanConnectors(organisationId: String) async throws(StoreError) -> [UnattendedDevice]
}

public protocol CallingCardRepository: Sendable {
    func saveCallingCard(_ card: CallingCard) async throws(StoreError)
    func deleteCallingCard(id: String) async throws(StoreError)
    func callingCard(id: String) async throws(StoreError) -> CallingCard?
    func callingCards(organisationId: String) async throws(StoreError) -> [CallingCard]
}

/// The append-only audit log (A5, R3).
public protocol AuditRepository: Sendable {
    /// Appends an entry and moves the head to it in one transaction, adding `lostBefore` entries
    /// the gateway gave up on since the last one written.
    func appendAudit(_ entry: AuditEntry, lostBefore: Int64) async throws(StoreError)
    /// Appends the entry `next` makes of the entry really last, read and written in one unit of
    /// work that other writers wait for; returns it.
    func appendNextAudit(lostBefore: Int64, _ next: @escaping @Sendable (AuditEntry?) -> AuditEntry) async throws(StoreError) -> AuditEntry
    /// What the gateway last wrote (nil before the first entry).
    func auditHead() async throws(StoreError) -> AuditHead?
    func lastAuditEntry() async throws(StoreError) -> AuditEntry?
    /// Every entry, oldest first (for verification).
    func allAuditEntries() async throws(StoreError) -> [AuditEntry]
    /// An organisation's entries in [from, to), oldest first.
    func auditEntries(organisationId: String, from: Date, to: Date) async throws(StoreError) -> [AuditEntry]
}

/// Two-step verification enrolments (A2), one per technician.
public protocol TwoStepRepository: Sendable {
    func saveTwoStep(_ enrolment: TwoStepEnrolment) async throws(StoreError)
    func twoStep(technicianId: String) async throws(StoreError) -> TwoStepEnrolment?
    func deleteTwoStep(technicianId: String) async throws(StoreError)
}

/// External collaborators (I2), each in one session.
public protocol CollaboratorRepository: Sendable {
    func saveExternalCollaborator(_ collaborator: ExternalCollaborator) async throws(StoreError)
    func openExternalCollaborators() async throws(StoreError) -> [ExternalCollaborator]
}

extension SessionLogRepository {
    /// The whole log of the session, oldest first.
    public func log(sessionId: String) async throws(StoreError) -> [LogEntry] {
        try await log(sessionId: sessionId, afterId: nil)
    }

    /// A chat line or a state change: no event.
    public func appendLog(sessionId: String, at: Date, kind: LogEntry.Kind, authorRole: LogEntry.AuthorRole,
                          author: String, text: String, state: SessionState?) async throws(StoreError) -> LogEntry {
        try await appendLog(sessionId: sessionId, at: at, kind: kind, authorRole: authorRole, author: author, text: text, state: state, event: nil)
    }
}

public typealias Store = OrganisationRepository & GroupRepository & TechnicianRepository & SessionRepository
    & SessionLogRepository & AuthTokenRepository & SettingsRepository & ChannelRepository & RecordingRepository
    & FileTransferRepository & ReplyRepository & ScriptRepository & SurveyRepository & CallingCardRepository & AuditRepository
    & TwoStepRepository & CollaboratorRepository & ResumeTicketRepository & DeviceRepository
