/// A technician's console options, saved on the gateway so they follow them to any browser (B3, B4).
public struct ConsoleOptions: Codable, Equatable, Sendable {
    /// Start incoming private sessions without pressing Start. nil: the organisation's default.
    public var autoStartIncoming: Bool?
    /// Ask before ending a session.
    public var confirmEnd: Bool
    /// Ask before signing out or closing the console.
    public var confirmLogout: Bool

    public init(autoStartIncoming: Bool? = nil, confirmEnd: Bool = true, confirmLogout: Bool = true) {
        self.autoStartIncoming = autoStartIncoming
        self.confirmEnd = confirmEnd
        self.confirmLogout = confirmLogout
    }

    public static let standard = ConsoleOptions()
}
