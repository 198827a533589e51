import LifelineCore
import LifelineProtocol

/// What the customer is told, as an event: the terminal prints each as a line, the window draws
/// it (a chat line, a dialog, the permissions panel). The line in the customer's language comes
/// with it, so both say the same words.
public enum CustomerEvent: Sendable {
    case invitation(technician: String, organisation: String)
    /// The applet was started again and goes back to its session without asking (issue 16).
    case rejoining(technician: String, organisation: String)
    case welcome(sessionId: String, technician: String, state: SessionState)
    case chat(LogEntry)
    case status(SessionState, technician: String)
    case technicianChanged(String)
    case remoteRequested(RemoteMode, technician: String)
    case remoteStarted(RemoteMode, technician: String)
    case remoteDenied
    case remoteEnded
    /// Who sees the screen, and who has the mouse and keyboard (issue 21).
    case remoteViewers(names: [String], inControl: String?)
    case recording(active: Bool, technician: String)
    /// A technician asks to restart the applet with administrator rights (J3).
    case elevationRequested(technician: String)
    /// ELEVATING, ELEVATED, ELEVATION_REFUSED or ELEVATION_FAILED (J3).
    case elevation(String)
    case fileOffered(FileOffer, folder: String)
    case fileProgress(name: String, percent: Int)
    /// A file saved, sent or failed.
    case fileDone(name: String?)
    /// A technician asks to open the file manager (K1).
    case fileManagerRequested(technician: String)
    case fileManagerOpened(technician: String)
    /// Refused, or closed by either side.
    case fileManagerClosed
    /// A folder made, something renamed or deleted on the customer's side.
    case fileManagerActivity
    /// A script runs on this computer (N2), until `scriptEnded`.
    case scriptStarted(name: String, technician: String)
    case scriptEnded
    /// The technician asks to uninstall an application (L4), until `uninstallAnswered`.
    case uninstallRequested(name: String)
    case uninstallAnswered
    /// The technician asks to restart this computer (M1–M3), until `restartAnswered`.
    case restartRequested(kind: RebootKind, autoLogin: Bool)
    case restartAnswered
    /// The technician asks for unattended access (F5), until `unattendedAnswered`; the rules in words.
    case unattendedRequested(details: String)
    /// The customer allowed access with their own credentials: their account's password is asked
    /// (again after a wrong one), until `unattendedAnswered`.
    case unattendedPasswordAsked(account: String, refused: Bool)
    case unattendedAnswered
    /// This computer gives the technician unattended access (F5), until `unattendedRevoked`.
    case unattendedInPlace(technician: String)
    case unattendedRevoked
    case callingCardOffer(CallingCardOffer)
    case callingCardDone
    case ended(reason: String)
    /// Every right was taken back (the big X).
    case revoked
    case reconnecting
    /// How to use the terminal ("type /allow"): the window has buttons instead.
    case terminalHelp
    /// Anything else worth a line: links, notes, errors, collaborators.
    case notice
}
