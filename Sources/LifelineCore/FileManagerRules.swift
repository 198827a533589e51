/// The file manager of a session (K1–K5): opened by the owner of an active session, accepted or
/// refused by the customer, closed by either side's red X, a hold, a transfer or the session
/// leaving Active. Each operation on the customer's side needs the permission of its kind (A5).
/// Pure: the gateway asks before passing a message on; the applet enforces the consent itself.
public struct FileManagerAccess: Equatable, Sendable {
    public enum Phase: String, Codable, Equatable, Sendable {
        /// The customer is being asked.
        case asking
        /// The customer agreed: operations pass.
        case open
    }

    /// What the technician does on the customer's side, grouped by the permission it needs.
    public enum Operation: String, Codable, Equatable, Sendable, CaseIterable {
        /// Roots (home, /, mounted volumes) and folder listings.
        case browse
        /// Copy from the customer's side to the technician's.
        case download
        /// Copy from the technician's side to the customer's, and new folders there.
        case upload
        /// Rename and delete on the customer's side.
        case modify

        public var permission: Permission {
            switch self {
            case .browse: .fileManager
            case .download: .fileManagerDownload
            case .upload: .fileManagerUpload
            case .modify: .fileManagerModify
            }
        }
    }

    public enum Refusal: Error, Equatable, Sendable {
        case notPermitted(Permission)
        case sessionNotActive(SessionState)
        /// Another technician's file manager is open or being asked for in this session.
        case inUseByOther
        /// Not opened yet, or closed: open it first.
        case notOpen
        /// The customer has not answered yet.
        case waitingForCustomer
    }

    public let technicianId: String
    public private(set) var phase: Phase

    init(technicianId: String, phase: Phase) {
        self.technicianId = technicianId
        self.phase = phase
    }

    /// Opening asks the customer; asking again while asked or open changes nothing (nil: nothing to send).
    public static func open(by technicianId: String, permissions: PermissionSet, sessionState: SessionState,
                            current: FileManagerAccess?) throws(Refusal) -> FileManagerAccess? {
        guard permissions.allows(.fileManager) else { throw .notPermitted(.fileManager) }
        guard isWorking(sessionState) else { throw .sessionNotActive(sessionState) }
        if let current {
            guard current.technicianId == technicianId else { throw .inUseByOther }
            return nil
        }
        return FileManagerAccess(technicianId: technicianId, phase: .asking)
    }

    /// The customer agreed; an answer to no question is ignored (nil).
    public static func accepted(_ current: FileManagerAccess?) -> FileManagerAccess? {
        guard var current, current.phase == .asking else { return nil }
        current.phase = .open
        return current
    }

    /// An operation passes only when open, for the technician who opened it, with its permission
    /// and the file manager's own (taken away mid-session, it stops everything), in a session still active.
    public func check(_ operation: Operation, by technicianId: String, permissions: PermissionSet,
                      sessionState: SessionState) throws(Refusal) {
        guard permissions.allows(operation.permission) else { throw .notPermitted(operation.permission) }
        guard permissions.allows(.fileManager) else { throw .notPermitted(.fileManager) }
        guard Self.isWorking(sessionState) else { throw .sessionNotActive(sessionState) }
        guard self.technicianId == technicianId else { throw .inUseByOther }
        guard phase == .open else { throw .waitingForCustomer }
    }

    /// Whether the file manager survives the session moving to `state`: only Active (and Active
    /// with collaborators) keep it; a hold, a transfer, the end close it (C5, C6).
    public static func survives(_ state: SessionState) -> Bool { isWorking(state) }

    static func isWorking(_ state: SessionState) -> Bool { state == .active || state == .collaboration }
}

/// What a copy meets when the name is taken (K3): asked once in the console, applied by the applet.
public enum FileConflict: String, Codable, Sendable, CaseIterable {
    /// Ask the technician: the copy answers that the name is taken, before any byte moves.
    case ask
    case overwrite
    case skip
    /// Overwrite only when the arriving file is newer.
    case keepNewer = "keep_newer"
    /// Keep both: the arriving file takes "name (2)", "name (3)" …
    case rename
}
