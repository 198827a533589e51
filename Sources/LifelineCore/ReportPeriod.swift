#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The days a report covers (R3, D5): from the first to the last day inclusive, as calendar days
/// in the viewer's time zone, so "today" means the viewer's today.
public struct ReportPeriod: Equatable, Sendable {
    public let start: Date
    /// Exclusive: midnight after the last day.
    public let end: Date
    public let timeZone: TimeZone

    public enum Problem: Error, Equatable, Sendable {
        case badDate(String)
        case badTimeZone(String)
        case reversed
        case tooLong
    }

    public static let maximumDays = 366
    public static let defaultDays = 30

    /// `from` and `to` are YYYY-MM-DD (either may be missing: the last 30 days up to today);
    /// `timeZone` an IANA name, UTC when missing.
    public static func parse(from: String?, to: String?, timeZone name: String?, now: Date) throws(Problem) -> ReportPeriod {
        let zone: TimeZone
        if let name, !name.isEmpty {
            guard let named = TimeZone(identifier: name) else { throw .badTimeZone(name) }
            zone = named
        } else {
            zone = TimeZone(identifier: "UTC")!
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let lastDay = try to.map { text throws(Problem) in try day(text, in: calendar) } ?? calendar.startOfDay(for: now)
        let firstDay = try from.map { text throws(Problem) in try day(text, in: calendar) }
            ?? calendar.date(byAdding: .day, value: -(defaultDays - 1), to: lastDay)!
        guard firstDay <= lastDay else { throw .reversed }
        let end = calendar.date(byAdding: .day, value: 1, to: lastDay)!
        guard let days = calendar.dateComponents([.day], from: firstDay, to: end).day, days <= maximumDays else { throw .tooLong }
        return ReportPeriod(start: firstDay, end: end, timeZone: zone)
    }

    static func day(_ text: String, in calendar: Calendar) throws(Problem) -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: dayOfMonth)),
              calendar.component(.day, from: date) == dayOfMonth, calendar.component(.month, from: date) == month
        else { throw .badDate(text) }
        return date
    }

    /// A moment as the viewer reads it: "2026-11-26 14:05" in the period's time zone.
    public func localText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year!.padded(to: 4))-\(c.month!.padded(to: 2))-\(c.day!.padded(to: 2)) \(c.hour!.padded(to: 2)):\(c.minute!.padded(to: 2))"
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .badDate(let text): "\(text) is not a date: write YYYY-MM-DD."
        case .badTimeZone(let name): "\(name) is not a time zone name such as Europe/Paris."
        case .reversed: "The first day comes after the last day."
        case .tooLong: "A report covers at most \(maximumDays) days."
        }
    }
}

/// Comma-separated values as spreadsheets read them (RFC 4180), safe to open: a cell that a
/// spreadsheet would run as a formula is written as text.
public enum CSVText {
    public static func make(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ value: String) -> String {
        var text = value
        // Unicode scalars, not Characters: "\r\n" is one Character and would hide a lone "\n".
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
