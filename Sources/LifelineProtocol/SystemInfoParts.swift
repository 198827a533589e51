#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

extension SystemInfoReply {
    /// The answer cut into parts whose rows each encode to at most `maximumBytes` (a part always
    /// holds at least one row): processes, services and drivers may be long; the others are one part.
    /// The parts' rows, in order, are the rows of the whole.
    public func parts(maximumBytes: Int) -> [SystemInfoReply] {
        switch self {
        case .processes(let rows): Self.split(rows, maximumBytes: maximumBytes).map { .processes($0) }
        case .drivers(let modules): Self.split(modules, maximumBytes: maximumBytes).map { .drivers($0) }
        case .services(let units): Self.split(units, maximumBytes: maximumBytes).map { .services($0) }
        case .startup(let entries): Self.split(entries, maximumBytes: maximumBytes).map { .startup($0) }
        case .applications(let applications): Self.split(applications, maximumBytes: maximumBytes).map { .applications($0) }
        case .events(let page):
            // The entries split like rows; every part carries the page's cursor and count.
            Self.split(page.entries, maximumBytes: maximumBytes - 2048).map { entries in
                .events(EventPage(entries: entries, next: page.next, scanned: page.scanned, source: page.source))
            }
        case .dashboard, .user, .failed: [self]
        }
    }

    /// Room for a part's rows in one text frame, leaving room for the envelope around them.
    public static let maximumPartBytes = WireProtocol.maximumFrameBytes - 2048

    private static func split<Row: Encodable>(_ rows: [Row], maximumBytes: Int) -> [[Row]] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var parts: [[Row]] = []
        var part: [Row] = []
        var bytes = 2 // the brackets
        for row in rows {
            // Encoding our own value types cannot fail; a failure is a programming error.
            let size = try! encoder.encode(row).count + 1 // and its comma
            if !part.isEmpty && bytes + size > maximumBytes {
                parts.append(part)
                part = []
                bytes = 2
            }
            part.append(row)
            bytes += size
        }
        parts.append(part) // an empty list is one empty part
        return parts
    }
}

extension ProcessRow {
    /// A command line cut to `maximumCommandLineBytes` on a character boundary, "…" marking the cut.
    public static func clipped(_ commandLine: String) -> String { commandLine.clipped(toUTF8Bytes: maximumCommandLineBytes) }
}
