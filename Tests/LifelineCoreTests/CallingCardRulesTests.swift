import Foundation
import Testing
@testable import LifelineCore

@Suite("Calling Card rules (F3, G3)")
struct CallingCardRulesTests {
    @Test("a design is trimmed and checked: name, #rrggbb colours, bounded plain texts")
    func design() throws {
        let clean = try CallingCardRules.validated(CallingCardDesign(name: "  Acme Support ", channelId: "c", headerColour: "#A0B0C0",
                                                                     groupIds: ["g2", "g1", "g2"]))
        #expect(clean.name == "Acme Support")
        #expect(clean.headerColour == "#a0b0c0")
        #expect(clean.groupIds == ["g1", "g2"])
        let bad: [(CallingCardDesign, CallingCardRules.Problem)] = [
            (CallingCardDesign(name: " ", channelId: "c"), .badName),
            (CallingCardDesign(name: "Line\nbreak", channelId: "c"), .badName),
            (CallingCardDesign(name: "A", channelId: "c", headerColour: "blue"), .badColour("blue")),
            (CallingCardDesign(name: "A", channelId: "c", textColour: "#12345g"), .badColour("#12345g")),
            (CallingCardDesign(name: "A", channelId: "c", welcomeText: String(repeating: "w", count: 1_001)), .badText(field: "welcomeText")),
            (CallingCardDesign(name: "A", channelId: "c", helpText: "bell\u{07}"), .badText(field: "helpText")),
        ]
        for (design, problem) in bad {
            #expect(throws: problem) { try CallingCardRules.validated(design) }
        }
    }

    @Test("logos are PNG images of at most 256 KiB")
    func logo() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        try CallingCardRules.checkLogo(png)
        #expect(throws: CallingCardRules.Problem.badLogo) { try CallingCardRules.checkLogo(Array("GIF89a".utf8)) }
        #expect(throws: CallingCardRules.Problem.badLogo) { try CallingCardRules.checkLogo(png + Array(repeating: 0, count: 256 * 1024)) }
    }

    @Test("brand colours map to the terminal's 256-colour cube", arguments: [
        ("#000000", 16), ("#ffffff", 231), ("#ff0000", 196), ("#1f6feb", 27), ("nonsense", 15),
    ])
    func terminalColour(hex: String, index: Int) {
        #expect(CallingCardRules.terminalColour(hex) == index)
    }

    @Test("proxy settings: http://[user[:password]@]host:port, or none")
    func proxy() throws {
        #expect(try ProxySettings.parse("  ") == nil)
        let plain = try #require(try ProxySettings.parse("http://proxy.example:3128"))
        #expect(plain == ProxySettings(host: "proxy.example", port: 3128))
        #expect(plain.authorization == nil)
        let withUser = try #require(try ProxySettings.parse("http://ann:p%40ss@10.0.0.1:8080/"))
        #expect(withUser.username == "ann" && withUser.password == "p@ss")
        #expect(withUser.authorization == "Basic " + Data("ann:p@ss".utf8).base64EncodedString())
        for bad in ["proxy:3128", "https://proxy:3128", "http://proxy", "http://proxy:0", "http://proxy:3128/path", "socks5://p:1080"] {
            #expect(throws: CallingCardRules.Problem.badProxy) { try ProxySettings.parse(bad) }
        }
    }
}
