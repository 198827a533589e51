import LifelineCore

/// Which way a file goes (D4, G1).
public enum FileDirection: String, Codable, Sendable {
    /// From the technician's console to the customer's applet.
    case toCustomer = "to_customer"
    /// From the customer's applet to the session's (lead) technician.
    case fromCustomer = "from_customer"
}

/// Where a file transfer stands.
public enum FilePhase: String, Codable, Sendable {
    /// Waiting for the customer to accept and pick a folder.
    case offered
    /// The customer accepted; the bytes flow.
    case sending
    /// Every byte arrived; `md5` is the hash of what was received.
    case done
    case declined
    /// Interrupted or refused on the way: nothing partial is kept.
    case failed
}

/// A file transfer as the console and the API show it.
public struct FileTransferSummary: Codable, Equatable, Sendable {
    public let id: String
    public let sessionId: String
    public let direction: FileDirection
    public let name: String
    public let size: Int64
    public var phase: FilePhase
    /// The MD5 of the bytes the gateway passed on (or received), hex.
    public var md5: String?
    /// The MD5 the receiving side computed of what it wrote, hex (the applet's, for files to the customer).
    public var receivedMD5: String?
    public var reason: String?

    public init(id: String, sessionId: String, direction: FileDirection, name: String, size: Int64, phase: FilePhase,
                md5: String? = nil, receivedMD5: String? = nil, reason: String? = nil) {
        self.id = id
        self.sessionId = sessionId
        self.direction = direction
        self.name = name
        self.size = size
        self.phase = phase
        self.md5 = md5
        self.receivedMD5 = receivedMD5
        self.reason = reason
    }
}

/// A file the technician offers to the customer.
public struct FileOffer: Codable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let size: Int64
    public let technicianName: String

    public init(id: String, name: String, size: Int64, technicianName: String) {
        self.id = id
        self.name = name
        self.size = size
        self.technicianName = technicianName
    }
}
