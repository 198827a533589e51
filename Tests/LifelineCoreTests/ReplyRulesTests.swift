import LifelineCore
import Testing

/// The links a technician sends (D3) and keeps as replies: what the customer's browser launcher
/// opens must be exactly what the log shows.
@Suite("Links sent to the customer")
struct ReplyRulesTests {
    @Test("http, https and ftp links with a host are accepted", arguments: [
        "https://example.com", "http://example.com/a?b=c#d", "ftp://files.example.com/x.zip",
    ])
    func acceptedLinks(_ link: String) throws {
        try ReplyRules.checkURL(link)
    }

    @Test("other schemes, no host, spaces and control characters (NUL, escape, DEL) are refused", arguments: [
        "javascript:alert(1)", "file:///etc/passwd", "https://", "https://exa mple.com",
        "https://example.com/\u{0}.evil.test", "https://example.com/\u{1B}[2J", "https://example.com/\u{7F}",
        "https://example.com/\u{85}",
    ])
    func refusedLinks(_ link: String) {
        #expect(throws: ReplyRules.Problem.badURL) { try ReplyRules.checkURL(link) }
    }
}
