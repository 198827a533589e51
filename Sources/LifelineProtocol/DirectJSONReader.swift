extension DirectJSON {
    /// Reads back exactly what `DirectJSON` and `WireCodec` write — no spaces, keys in sorted order,
    /// numbers and escapes as they write them — and gives up (nil) on anything else, which is then
    /// decoded the general way. The gateway reads the applet's long lists so: JSONDecoder spent
    /// about 1 µs a field on its containers' bookkeeping. A test holds both readings equal.
    public struct Reader {
        private let bytes: [UInt8]
        private var index = 0
        private var first = true

        public init(_ text: String) { bytes = Array(text.utf8) }

        public var atEnd: Bool { index == bytes.count }

        /// Takes `text` when the next bytes are exactly it.
        public mutating func take(_ text: StaticString) -> Bool {
            text.withUTF8Buffer { take(bytes: $0) }
        }

        public mutating func take(_ text: String) -> Bool {
            take(bytes: Array(text.utf8))
        }

        private mutating func take(bytes expected: some Collection<UInt8>) -> Bool {
            guard bytes.count - index >= expected.count, bytes[index..<index + expected.count].elementsEqual(expected) else { return false }
            index += expected.count
            return true
        }

        /// The rows of a list whose `[` was taken, up to and with its `]`; nil when one does not read.
        public mutating func rows<Row: DirectJSONRow>(of _: Row.Type) -> [Row]? {
            var rows: [Row] = []
            if take("]") { return rows }
            repeat {
                guard let row = Row(reading: &self) else { return nil }
                rows.append(row)
            } while take(",")
            return take("]") ? rows : nil
        }

        /// `{`, the start of an object whose fields follow.
        public mutating func openObject() -> Bool {
            first = true
            return take("{")
        }

        /// Takes the field's `"key":` when it comes next (after its comma when not the object's first).
        public mutating func key(_ key: StaticString) -> Bool {
            let start = index
            if !first, !take(",") { return false }
            guard take("\""), take(key), take("\":") else {
                index = start
                return false
            }
            first = false
            return true
        }

        /// A string, its escapes undone; nil for an escape the writers do not make.
        public mutating func string() -> String? {
            guard take("\"") else { return nil }
            var plainFrom = index
            var unescaped: [UInt8]? = nil
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text: String
                    if var built = unescaped {
                        built += bytes[plainFrom..<index]
                        text = String(decoding: built, as: UTF8.self)
                    } else {
                        text = String(decoding: bytes[plainFrom..<index], as: UTF8.self)
                    }
                    index += 1
                    return text
                }
                if byte < 0x20 { return nil }
                guard byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                var built = unescaped ?? []
                built += bytes[plainFrom..<index]
                guard index + 1 < bytes.count, let plain = Self.unescaped(bytes[index + 1], hex: bytes[min(index + 2, bytes.count)...]) else { return nil }
                built.append(plain.byte)
                index += 2 + plain.hexDigits
                plainFrom = index
                unescaped = built
            }
            return nil
        }

        /// The character an escape stands for, and how many hex digits it took: the writers escape
        /// quotes, backslashes and control characters only.
        private static func unescaped(_ letter: UInt8, hex: ArraySlice<UInt8>) -> (byte: UInt8, hexDigits: Int)? {
            switch letter {
            case UInt8(ascii: "\""): (UInt8(ascii: "\""), 0)
            case UInt8(ascii: "\\"): (UInt8(ascii: "\\"), 0)
            case UInt8(ascii: "b"): (0x08, 0)
            case UInt8(ascii: "f"): (0x0C, 0)
            case UInt8(ascii: "n"): (0x0A, 0)
            case UInt8(ascii: "r"): (0x0D, 0)
            case UInt8(ascii: "t"): (0x09, 0)
            case UInt8(ascii: "u"):
                // \u00XX, a control character; any other \u is left to the general decoder.
                if hex.count >= 4, hex.starts(with: Array("00".utf8)),
                   let value = UInt8(String(decoding: hex.dropFirst(2).prefix(2), as: UTF8.self), radix: 16), value < 0x20 {
                    (value, 4)
                } else {
                    nil
                }
            default: nil
            }
        }

        /// A number's text as JSON writes it: an optional minus, digits, an optional fraction and exponent.
        private mutating func numberText(integer: Bool) -> String? {
            let start = index
            func digits() -> Bool {
                let from = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                return index > from
            }
            _ = take("-")
            let digitsStart = index
            guard digits() else { return nil }
            // No leading zero (JSON has none; the general decoder refuses it).
            if bytes[digitsStart] == UInt8(ascii: "0"), index - digitsStart > 1 { return nil }
            if !integer {
                if take("."), !digits() { return nil }
                if take("e") || take("E") {
                    if !take("+") { _ = take("-") }
                    guard digits() else { return nil }
                }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// A finite double (one out of range is left to the general decoder, which refuses it).
        public mutating func double() -> Double? { numberText(integer: false).flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil } }

        /// An integer without fraction or exponent, within Int64.
        public mutating func int64() -> Int64? { numberText(integer: true).flatMap { Int64($0) } }
    }
}
