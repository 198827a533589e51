/// Bodies of the customer endpoints, shared by the gateway and the applet.

/// Who a PIN or link would connect the customer to (`pin-check`, `links/{token}`).
public struct Invitation: Codable, Equatable, Sendable {
    public let technicianName: String
    public let organisation: String
    public let sessionName: String

    public init(technicianName: String, organisation: String, sessionName: String) {
        self.technicianName = technicianName
        self.organisation = organisation
        self.sessionName = sessionName
    }
}

/// The answer to `join`: the applet token opens `/ws/applet` for this session.
public struct JoinedSession: Codable, Equatable, Sendable {
    public let sessionId: String
    public let appletToken: String
    public let technicianName: String
    public let organisation: String

    public init(sessionId: String, appletToken: String, technicianName: String, organisation: String) {
        self.sessionId = sessionId
        self.appletToken = appletToken
        self.technicianName = technicianName
        self.organisation = organisation
    }
}
