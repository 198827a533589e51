#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Rules for technicians from outside the organisation invited into a session (I2): who they are,
/// whether they get the full or the limited collaborator console, and how their view of the
/// session follows the lead's.
public enum ExternalCollaboration {
    /// External collaborators open (invited or joined) in one session at a time.
    public static let maximumPerSession = 5
    public static let maximumNameLength = 100

    public enum Problem: Error, Equatable, Sendable {
        case emptyName
        case nameTooLong
        case badEmail
        case tooMany
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .emptyName: "Give the external technician's name: the customer sees it in the chat."
        case .nameTooLong: "A name has at most \(maximumNameLength) characters."
        case .badEmail: "The email address is not valid."
        case .tooMany: "A session has at most \(maximumPerSession) external technicians at once."
        }
    }

    /// A name as the customer will read it: one line, trimmed, not empty.
    public static func validatedName(_ raw: String) throws(Problem) -> String {
        let name = String(String.UnicodeScalarView(raw.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
            .trimmedOfSpaces
        guard !name.isEmpty else { throw .emptyName }
        guard name.count <= maximumNameLength else { throw .nameTooLong }
        return name
    }

    /// On the organisation's approved list (R4): the full collaborator console; otherwise the
    /// limited one. An invitation without an email address is never approved.
    public static func isApproved(email: String?, approvedList: [String]) -> Bool {
        guard let email = email?.trimmedOfSpaces.lowercased(), !email.isEmpty else { return false }
        return approvedList.contains(email)
    }

    /// Whether an external collaborator sees the customer's screen while the lead's remote desktop
    /// runs: the full console only (approved list), only while collaborating (not invited, not
    /// while the machine restarts). They watch; the mouse and keyboard stay with the organisation.
    public static func seesScreen(approved: Bool, viewState: SessionState) -> Bool {
        approved && viewState == .collaboration
    }

    /// The email that carries an invitation (when the lead asks the gateway to send it).
    public static func invitationEmail(name: String, inviter: String, organisation: String, link: String, pin: String,
                                       pinPage: String, validMinutes: Int) -> (subject: String, body: String) {
        let subject = "\(inviter) (\(organisation)) invites you to a remote support session"
        let body = """
            Hello \(name),

            \(inviter) of \(organisation) would like your help in a remote support session, in its chat with the customer.

            Open this link to join: \(link)
            Or type the PIN \(pin) at \(pinPage)

            The invitation works once, within \(validMinutes) minutes. No account is needed.
            """
        return (subject, body)
    }

    /// The event an external collaborator's view takes when the lead's view takes `event` and
    /// lands in `leadState`; nil when their view does not change.
    public static func viewEvent(forLead event: SessionEvent, leadState: SessionState, viewState: SessionState) -> SessionEvent? {
        let sessionOver = leadState.isClosed || leadState == .timedOut
        // An invitation nobody accepted goes with the session.
        if viewState == .invitation { return sessionOver ? .end : nil }
        switch event {
        case .rebootStarted, .rebootFinished: return event
        case .customerClosed: return .customerClosed(stillWaitingForTechnician: false)
        default: return sessionOver ? .closedByLead : nil
        }
    }
}
