import Testing
import LifelineCore

@Suite("Plain formatting: what String(format:) and Foundation's trimming did, without Foundation")
struct PlainFormattingTests {
    @Test("hex, padding and fixed decimals as printf prints them")
    func numbers() {
        #expect([0x00, 0x0f, 0xa5, 0xff].hexString == "000fa5ff")
        #expect([UInt8]().hexString == "")
        let padded: [(Int, Int, String)] = [(7, 2, "07"), (2026, 4, "2026"), (123, 2, "123"), (0, 3, "000"), (-5, 3, "-005")]
        for (value, width, text) in padded { #expect(value.padded(to: width) == text) }
        let fixed: [(Double, Int, String)] = [(2.5, 1, "2.5"), (0.05, 1, "0.1"), (3.14159, 2, "3.14"), (9.96, 1, "10.0"),
                                             (10, 0, "10"), (-1.25, 1, "-1.3"), (-0.01, 1, "0.0"), (0, 2, "0.00")]
        for (value, places, text) in fixed { #expect(value.fixed(places) == text, "\(value) \(places)") }
    }

    @Test("trimming white space, and percent-encoding for URLs")
    func text() {
        #expect("  hello world \n\t".trimmed == "hello world")
        #expect(" \u{00A0}x\u{2003}".trimmed == "x")
        #expect("\n a \n".trimmedOfSpaces == "\n a \n")
        #expect("  a\t".trimmedOfSpaces == "a")
        #expect("".trimmed == "")
        #expect("Lifeline:ann@example.com".percentEncoded(keeping: ["@", ":"]) == "Lifeline:ann@example.com")
        #expect("Acme Support".percentEncoded() == "Acme%20Support")
        #expect("été/1?x".percentEncoded() == "%C3%A9t%C3%A9%2F1%3Fx")
        #expect("a-b_c.d~e".percentEncoded() == "a-b_c.d~e")
    }
}
