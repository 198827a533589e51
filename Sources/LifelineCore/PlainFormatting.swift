/// Number formatting done by hand: `String(format:)` would link all of Foundation, with its
/// 34 MB of ICU data, into the applet customers download (issue 16).
extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte: digests, device keys.
    public var hexString: String {
        // Bytes, not Characters: a digest's 64 digits each cost a grapheme walk before (a bundle
        // of small files hashes and logs thousands).
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(Self.hexDigit(byte >> 4))
            text.append(Self.hexDigit(byte & 0x0f))
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}

extension BinaryInteger {
    /// `7.padded(to: 2)` is "07"; longer numbers are kept whole.
    public func padded(to width: Int) -> String {
        let digits = String(self.magnitude)
        let sign = self < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Double {
    /// Rounded to `places` decimals (0 to 6), halves away from zero: "2.5", "10", "0.05".
    public func fixed(_ places: Int) -> String {
        let places = Swift.min(Swift.max(places, 0), 6)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(self) * scale).rounded()
        guard scaled.isFinite, scaled < 1e15 else { return "\(self)" }
        let whole = Int(scaled)
        let (integer, fraction) = whole.quotientAndRemainder(dividingBy: Int(scale))
        let sign = self < 0 && whole != 0 ? "-" : ""
        return places == 0 ? "\(sign)\(integer)" : "\(sign)\(integer).\(fraction.padded(to: places))"
    }
}

extension StringProtocol {
    /// Without white space or line ends at either end (Foundation's `.whitespacesAndNewlines`).
    public var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// At most `maximumBytes` of UTF-8, cut on a character boundary with "…" marking the cut.
    public func clipped(toUTF8Bytes maximumBytes: Int) -> String {
        guard utf8.count > maximumBytes else { return String(self) }
        let room = maximumBytes - "…".utf8.count
        var kept = ""
        var bytes = 0
        for character in self {
            bytes += character.utf8.count
            if bytes > room { break }
            kept.append(character)
        }
        return kept + "…"
    }

    /// Without spaces and tabs at either end; line ends are kept (Foundation's `.whitespaces`).
    public var trimmedOfSpaces: String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace && !$0.isNewline }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    /// Percent-encoded for a URL, every byte but RFC 3986's unreserved characters escaped
    /// (`allowed` adds more that stay as they are).
    public func percentEncoded(keeping allowed: Set<Character> = []) -> String {
        var text = ""
        for character in String(self) {
            if (character.isASCII && (character.isLetter || character.isNumber)) || "-._~".contains(character) || allowed.contains(character) {
                text.append(character)
            } else {
                for byte in String(character).utf8 {
                    text += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0f, radix: 16, uppercase: true)
                }
            }
        }
        return text
    }
}
