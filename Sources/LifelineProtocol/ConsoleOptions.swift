/// A technician's console options, saved on the gateway so they follow them to any browser (B2–B4).
public struct ConsoleOptions: Codable, Equatable, Sendable {
    /// The console's sound alerts (B2), each switchable.
    public enum SoundAlert: String, Codable, CaseIterable, Sendable {
        case newSessionMinimised = "new_session_minimised"
        case newSessionOpen = "new_session_open"
        case customerDisconnected = "customer_disconnected"
        case networkInterrupted = "network_interrupted"
        case permissionDenied = "permission_denied"
        case sessionUrgent = "session_urgent"
        case chatMessageMinimised = "chat_message_minimised"
        case chatMessageUnfocused = "chat_message_unfocused"
        case customerSentFile = "customer_sent_file"
    }

    /// The session list's columns (C3); the technician chooses which to show.
    public enum QueueColumn: String, Codable, CaseIterable, Sendable {
        case name, id, status, time, channel, transferredBy = "transferred_by"
    }

    /// Optional columns about the customer's computer (issue 15): off until the technician turns them on.
    public enum CustomerDetail: String, Codable, CaseIterable, Sendable {
        case computer, system, user, address
    }

    /// Start incoming private sessions without pressing Start. nil: the organisation's default.
    public var autoStartIncoming: Bool?
    /// Ask before ending a session.
    public var confirmEnd: Bool
    /// Ask before signing out or closing the console.
    public var confirmLogout: Bool
    /// Sound alerts switched off; every other alert plays.
    public var mutedSounds: Set<SoundAlert>
    /// Columns the technician hid from the session list.
    public var hiddenColumns: Set<QueueColumn>
    /// Custom field columns the technician hid, by field name (at most five, 40 characters each).
    public var hiddenFields: Set<String>
    /// The customer's computer details shown as columns of the session list.
    public var shownDetails: Set<CustomerDetail>
    /// Clipboard sync for every remote-control session (J10); each session can still turn it off.
    public var clipboardSync: Bool
    /// Open the remote screen in a window of its own every time (J5).
    public var alwaysDetach: Bool
    /// The console's colour scheme (B1).
    public var theme: Theme

    public enum Theme: String, Codable, Sendable, CaseIterable {
        case light, dark
        /// High contrast: black on white, strong outlines.
        case contrast
    }

    public init(autoStartIncoming: Bool? = nil, confirmEnd: Bool = true, confirmLogout: Bool = true,
                mutedSounds: Set<SoundAlert> = [], hiddenColumns: Set<QueueColumn> = [], hiddenFields: Set<String> = [],
                shownDetails: Set<CustomerDetail> = [], clipboardSync: Bool = true, alwaysDetach: Bool = false, theme: Theme = .light) {
        self.shownDetails = shownDetails
        self.theme = theme
        self.clipboardSync = clipboardSync
        self.alwaysDetach = alwaysDetach
        self.hiddenColumns = hiddenColumns
        self.hiddenFields = hiddenFields
        self.autoStartIncoming = autoStartIncoming
        self.confirmEnd = confirmEnd
        self.confirmLogout = confirmLogout
        self.mutedSounds = mutedSounds
    }

    public static let standard = ConsoleOptions()

    private enum Keys: String, CodingKey {
        case autoStartIncoming, confirmEnd, confirmLogout, mutedSounds, hiddenColumns, hiddenFields, shownDetails, clipboardSync, alwaysDetach, theme
    }

    /// Options saved by an older version lack newer fields: those take their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        autoStartIncoming = try c.decodeIfPresent(Bool.self, forKey: .autoStartIncoming)
        confirmEnd = try c.decodeIfPresent(Bool.self, forKey: .confirmEnd) ?? true
        confirmLogout = try c.decodeIfPresent(Bool.self, forKey: .confirmLogout) ?? true
        mutedSounds = try c.decodeIfPresent(Set<SoundAlert>.self, forKey: .mutedSounds) ?? []
        hiddenColumns = try c.decodeIfPresent(Set<QueueColumn>.self, forKey: .hiddenColumns) ?? []
        // Names only matter if they match a field; bounded so a client cannot store a heap of them.
        hiddenFields = Set((try c.decodeIfPresent([String].self, forKey: .hiddenFields) ?? []).prefix(5).map { String($0.prefix(40)) })
        shownDetails = try c.decodeIfPresent(Set<CustomerDetail>.self, forKey: .shownDetails) ?? []
        clipboardSync = try c.decodeIfPresent(Bool.self, forKey: .clipboardSync) ?? true
        alwaysDetach = try c.decodeIfPresent(Bool.self, forKey: .alwaysDetach) ?? false
        theme = try c.decodeIfPresent(Theme.self, forKey: .theme) ?? .light
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(autoStartIncoming, forKey: .autoStartIncoming)
        try c.encode(confirmEnd, forKey: .confirmEnd)
        try c.encode(confirmLogout, forKey: .confirmLogout)
        try c.encode(mutedSounds.map(\.rawValue).sorted(), forKey: .mutedSounds)
        try c.encode(hiddenColumns.map(\.rawValue).sorted(), forKey: .hiddenColumns)
        try c.encode(hiddenFields.sorted(), forKey: .hiddenFields)
        try c.encode(shownDetails.map(\.rawValue).sorted(), forKey: .shownDetails)
        try c.encode(clipboardSync, forKey: .clipboardSync)
        try c.encode(alwaysDetach, forKey: .alwaysDetach)
        try c.encode(theme, forKey: .theme)
    }
}
