/// A time zone's offset from UTC at any instant. The gateway answers from Foundation's time zones;
/// the agent on the customer's computer from the system's TZif files (`ZoneRules`), since the
/// applet carries no ICU data.
public protocol ZoneClock: Sendable {
    /// Seconds east of UTC in effect at `seconds` since 1970 (UTC).
    func secondsFromUTC(atUnixTime seconds: Int64) -> Int
}

/// One zone read from a TZif file (RFC 8536, as in /usr/share/zoneinfo): its transitions, and past
/// the last one the POSIX TZ rule in the file's footer. Pure: the bytes come from outside.
public struct ZoneRules: ZoneClock, Equatable {
    public struct Malformed: Error, Equatable {
        public let reason: String
    }

    /// Instants (UTC seconds) from which `offsets[i]` applies.
    let transitions: [Int64]
    let offsets: [Int]
    /// Before the first transition (time type 0).
    let initialOffset: Int
    /// After the last transition; nil when the file has none (the last offset stays).
    let footer: PosixZoneRule?

    /// An IANA zone name as it may name a file under /usr/share/zoneinfo: ASCII letters, digits and
    /// `_+-/`, at most 64, never absolute nor with a `..` part.
    public static func isZoneName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix("/") && !name.split(separator: "/").contains("..")
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789_+-/.".unicodeScalars.contains($0)) }
    }

    public init(tzif bytes: [UInt8]) throws(Malformed) {
        var reader = ByteReader(bytes: bytes)
        let first = try reader.header()
        if first.version == 0 {
            let block = try reader.block(first, timeSize: 4)
            self.init(block: block, footer: nil)
            return
        }
        // Version 2 and later repeat the data with 64-bit times, then the footer.
        reader.skip(first.dataLength(timeSize: 4))
        let second = try reader.header()
        let block = try reader.block(second, timeSize: 8)
        let footerText = try reader.footer()
        let footer: PosixZoneRule?
        if footerText.isEmpty {
            footer = nil
        } else {
            do throws(PosixZoneRule.Malformed) {
                footer = try PosixZoneRule(footerText)
            } catch {
                throw Malformed(reason: "footer \(footerText): \(error.reason)")
            }
        }
        self.init(block: block, footer: footer)
    }

    private init(block: ByteReader.Block, footer: PosixZoneRule?) {
        transitions = block.times
        offsets = block.typeIndices.map { block.typeOffsets[Int($0)] }
        initialOffset = block.typeOffsets.first ?? 0
        self.footer = footer
    }

    public func secondsFromUTC(atUnixTime seconds: Int64) -> Int {
        guard let last = transitions.last else { return footer?.secondsFromUTC(atUnixTime: seconds) ?? initialOffset }
        if seconds >= last, let footer { return footer.secondsFromUTC(atUnixTime: seconds) }
        guard seconds >= transitions[0] else { return initialOffset }
        // The last transition at or before `seconds`.
        var low = 0, high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        return offsets[low]
    }
}

/// Reads TZif's big-endian fields, refusing a file cut short.
private struct ByteReader {
    struct Header {
        let version: UInt8
        let isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount: Int

        func dataLength(timeSize: Int) -> Int {
            timeCount * timeSize + timeCount + typeCount * 6 + characterCount + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
        }
    }

    struct Block {
        let times: [Int64]
        let typeIndices: [UInt8]
        let typeOffsets: [Int]
    }

    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func skip(_ count: Int) { position += count }

    mutating func take(_ count: Int) throws(ZoneRules.Malformed) -> ArraySlice<UInt8> {
        guard count >= 0, position + count <= bytes.count else { throw ZoneRules.Malformed(reason: "the file ends too early") }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func integer(_ size: Int) throws(ZoneRules.Malformed) -> Int64 {
        let raw = try take(size).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // Sign-extend 32-bit values.
        return size == 4 ? Int64(Int32(truncatingIfNeeded: raw)) : Int64(bitPattern: raw)
    }

    mutating func header() throws(ZoneRules.Malformed) -> Header {
        guard Array(try take(4)) == Array("TZif".utf8) else { throw ZoneRules.Malformed(reason: "not a TZif file") }
        let version = try take(1).first!
        _ = try take(15)
        var counts: [Int] = []
        for _ in 0..<6 {
            let count = try integer(4)
            guard (0...1_000_000).contains(count) else { throw ZoneRules.Malformed(reason: "a count out of range") }
            counts.append(Int(count))
        }
        let header = Header(version: version == 0 ? 0 : version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
                            timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
        guard header.typeCount > 0 else { throw ZoneRules.Malformed(reason: "no local time type") }
        return header
    }

    mutating func block(_ header: Header, timeSize: Int) throws(ZoneRules.Malformed) -> Block {
        var times: [Int64] = []
        for _ in 0..<header.timeCount { times.append(try integer(timeSize)) }
        let indices = Array(try take(header.timeCount))
        var offsets: [Int] = []
        for _ in 0..<header.typeCount {
            offsets.append(Int(try integer(4)))
            _ = try take(2)
        }
        guard indices.allSatisfy({ Int($0) < offsets.count }) else { throw ZoneRules.Malformed(reason: "a transition names no time type") }
        _ = try take(header.characterCount + header.leapCount * (timeSize + 4) + header.isStandardCount + header.isUTCCount)
        return Block(times: times, typeIndices: indices, typeOffsets: offsets)
    }

    /// The POSIX TZ string between two newlines.
    mutating func footer() throws(ZoneRules.Malformed) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\n") else { return "" }
        position += 1
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else { throw ZoneRules.Malformed(reason: "the footer has no end") }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }
}
