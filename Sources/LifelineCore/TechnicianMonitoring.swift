/// An administrator watching a technician (E1, E2; the manual's "Surveillance de techniciens" and
/// the appendix's monitoring rows): picked in *Monitor technician*, the monitoring session is
/// Waiting until the technician's console is reached, then Active — the administrator sees a
/// live, read-only mirror of that console (queue, sessions, chats) and, once the technician
/// agrees and picks it, their screen. It ends Closed by customer when the technician closes their
/// console, and Closed when the administrator ends it. Pure: the gateway asks, then acts.
public struct TechnicianMonitoring: Equatable, Sendable {
    public enum State: String, Codable, Equatable, Sendable {
        case connecting
        case waiting
        case active
        case closedByCustomer = "closed_by_customer"
        case closed
    }

    /// The technician's screen, which they share only when they agree.
    public enum Screen: String, Codable, Equatable, Sendable {
        case none
        case asked
        case shared
        case declined
    }

    public enum Event: Equatable, Sendable {
        /// The administrator confirmed the technician in the dialog.
        case confirmed
        /// The technician's console is reached (open now, or opened later).
        case reached
        /// The technician closed their last console, or signed out.
        case technicianLeft
        /// The administrator ended it.
        case ended
    }

    public enum Refusal: Error, Equatable, Sendable {
        case administratorsOnly
        case notPermitted(Permission)
        /// Not a technician this administrator may watch (another organisation, a group they do not administer).
        case outsideScope
        case yourself
        case alreadyMonitoring
        case notActive(State)
        case invalidTransition(from: State, event: Event)
    }

    public let id: String
    public let administratorId: String
    public let technicianId: String
    public private(set) var state: State = .connecting
    public private(set) var screen: Screen = .none

    public init(id: String, administratorId: String, technicianId: String) {
        self.id = id
        self.administratorId = administratorId
        self.technicianId = technicianId
    }

    /// Who may watch whom: an administrator (master: anyone of the organisation; an administrator
    /// of some groups: their technicians only) with the permission, not themselves, once at a time.
    /// `managedGroups`: nil for the whole organisation.
    public static func check(isAdministrator: Bool, permissions: PermissionSet, administratorId: String,
                             technicianId: String, sameOrganisation: Bool, technicianGroup: String?,
                             managedGroups: Set<String>?, alreadyWatching: Bool) throws(Refusal) {
        guard isAdministrator else { throw .administratorsOnly }
        guard permissions.allows(.monitorTechnicians) else { throw .notPermitted(.monitorTechnicians) }
        guard sameOrganisation else { throw .outsideScope }
        if let managedGroups, !(technicianGroup.map(managedGroups.contains) ?? false) { throw .outsideScope }
        guard technicianId != administratorId else { throw .yourself }
        guard !alreadyWatching else { throw .alreadyMonitoring }
    }

    /// The appendix's monitoring rows; the administrator may end it at any point (their tab closes).
    public mutating func apply(_ event: Event) throws(Refusal) {
        switch (state, event) {
        case (.connecting, .confirmed): state = .waiting
        case (.waiting, .reached): state = .active
        case (.waiting, .technicianLeft): break
        case (.active, .technicianLeft):
            state = .closedByCustomer
            screen = .none
        case (.active, .reached): break
        case (.closed, _): throw .invalidTransition(from: state, event: event)
        case (_, .ended):
            state = .closed
            screen = .none
        default: throw .invalidTransition(from: state, event: event)
        }
    }

    /// The administrator asks to see the technician's screen: only while active.
    public mutating func askScreen() throws(Refusal) {
        guard state == .active else { throw .notActive(state) }
        screen = .asked
    }

    /// The technician's answer (their browser asked them to pick the screen), or they stopped sharing.
    public mutating func screenAnswered(shared: Bool) throws(Refusal) {
        guard state == .active, screen == .asked || (screen == .shared && !shared) else { throw .notActive(state) }
        screen = shared ? .shared : .declined
    }

    /// The administrator no longer wants the screen: the technician's console stops sending it.
    public mutating func stopScreen() { screen = .none }

    /// Whether the mirror flows: the administrator sees the technician's console only while active.
    public var mirrors: Bool { state == .active }
}
