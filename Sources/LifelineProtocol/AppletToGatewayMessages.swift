/// Bodies of the applet's messages to the gateway (see `AppletToGateway`) kept apart from the enum.
extension AppletToGateway {
    /// `file_answer`.
    public struct FileAnswer: WireMessage {
        public let id: String
        public let accepted: Bool
        public init(id: String, accepted: Bool) { self.id = id; self.accepted = accepted }
    }

    /// `file_result`: the MD5 of what was written, or the error.
    public struct FileResult: WireMessage {
        public let id: String
        public let md5: String?
        public let error: String?
        public init(id: String, md5: String?, error: String?) { self.id = id; self.md5 = md5; self.error = error }
    }

    /// `calling_card_result`.
    public struct CallingCardResult: WireMessage {
        public let installed: Bool
        public let error: String?
        public init(installed: Bool, error: String?) { self.installed = installed; self.error = error }
    }
}
