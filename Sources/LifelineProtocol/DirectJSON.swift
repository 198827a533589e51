#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// A row the applet sends by the thousand (the installed applications, a folder's entries),
/// written straight to JSON: JSONEncoder spends about 3 µs a row on its boxes and sorted
/// dictionaries, which made a fresh applet's first answer and each answer's relay through the
/// gateway slow. What it writes is byte for byte what `WireCodec.encodeValue` writes — keys in
/// sorted order, slashes kept, numbers and escapes as JSONEncoder makes them — and a test holds it
/// to that, every field set.
public protocol DirectJSONRow: Codable {
    /// Writes this row's object with `object`'s fields, in its keys' sorted order.
    func writeJSON(_ object: inout DirectJSON.Object)
    /// Reads the object `writeJSON` writes; nil for any other text (then read by JSONDecoder).
    init?(reading json: inout DirectJSON.Reader)
}

public enum DirectJSON {
    /// The fields of the object being written, into the one buffer of all the rows.
    public struct Object {
        var bytes: [UInt8] = []
        private var first = true

        mutating func open() {
            bytes.append(UInt8(ascii: "{"))
            first = true
        }

        mutating func close() {
            bytes.append(UInt8(ascii: "}"))
        }

        private mutating func key(_ key: StaticString) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }

        public mutating func field(_ key: StaticString, _ value: String) {
            self.key(key)
            DirectJSON.appendString(value, to: &bytes)
        }

        /// Left out when nil, as `encodeIfPresent` leaves it.
        public mutating func field(_ key: StaticString, _ value: Int64?) {
            guard let value else { return }
            self.key(key)
            bytes.append(contentsOf: String(value).utf8)
        }

        /// Left out when nil; a name that is not UTF-8 as its object (`raw` bytes, `shown` text).
        public mutating func field(_ key: StaticString, _ value: WireFileName?) {
            guard let value else { return }
            self.key(key)
            if let text = String(validating: value.bytes, as: UTF8.self) {
                DirectJSON.appendString(text, to: &bytes)
            } else {
                bytes.append(contentsOf: Array("{\"raw\":".utf8))
                DirectJSON.appendString(Data(value.bytes).base64EncodedString(), to: &bytes)
                bytes.append(contentsOf: Array(",\"shown\":".utf8))
                DirectJSON.appendString(FileManagerPath.displayName(value.bytes), to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
        }

        /// Left out when nil; a whole number without JSONEncoder's dropped ".0".
        public mutating func field(_ key: StaticString, _ value: Double?) {
            guard let value else { return }
            self.key(key)
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes.append(contentsOf: text.utf8)
        }
    }

    /// The rows' JSON in one buffer, a comma between each two, and where each row ends in it: the
    /// rows from `i` to `j` are the bytes from just after row `i - 1`'s end and its comma to row `j`'s end.
    public static func rows<Row: DirectJSONRow>(_ rows: [Row]) -> (bytes: [UInt8], ends: [Int]) {
        var object = Object()
        object.bytes.reserveCapacity(rows.count * 160)
        var ends: [Int] = []
        ends.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            if index > 0 { object.bytes.append(UInt8(ascii: ",")) }
            object.open()
            row.writeJSON(&object)
            object.close()
            ends.append(object.bytes.count)
        }
        return (object.bytes, ends)
    }

    /// A JSON string as JSONEncoder writes it: quotes, backslashes and control characters escaped,
    /// everything else (slashes, non-ASCII) as it is.
    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value // contiguous UTF-8 to walk (a bridged or lazy string is made so once)
        value.withUTF8 { text in
            var plainFrom = 0
            for (index, byte) in text.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: text[plainFrom..<index])
                plainFrom = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default: bytes.append(contentsOf: Array("\\u00".utf8) + [hexDigit(byte >> 4), hexDigit(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: text[plainFrom...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}

extension InstalledApplication: DirectJSONRow {
    public init?(reading json: inout DirectJSON.Reader) {
        guard json.openObject() else { return nil }
        // Each optional field absent or well formed; a present one that does not read gives up.
        var installed: Double? = nil
        if json.key("installed") { guard let value = json.double() else { return nil }; installed = value }
        guard json.key("name"), let name = json.string() else { return nil }
        var size: Int64? = nil
        if json.key("size") { guard let value = json.int64() else { return nil }; size = value }
        guard json.key("source"), let source = json.string(), json.key("summary"), let summary = json.string(),
              json.key("version"), let version = json.string(), json.take("}") else { return nil }
        self.init(name: name, version: version, source: source, size: size, installed: installed, summary: summary)
    }

    public func writeJSON(_ object: inout DirectJSON.Object) {
        object.field("installed", installed)
        object.field("name", name)
        object.field("size", size)
        object.field("source", source)
        object.field("summary", summary)
        object.field("version", version)
    }
}
