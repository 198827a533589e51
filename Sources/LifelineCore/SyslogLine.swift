/// A line of a syslog file (rsyslog's traditional `Dec  4 00:17:01 host program[pid]: message` or
/// RFC 3339 `2025-12-04T00:17:01.5+01:00 host program[pid]: message`), for machines without a
/// journal (L8) and cron's runs (L1). Pure: the applet reads the files and turns a traditional
/// local time into seconds.
public struct SyslogLine: Equatable, Sendable {
    /// When, as the line says it.
    public enum Time: Equatable, Sendable {
        /// RFC 3339: seconds since 1970.
        case absolute(Double)
        /// Traditional syslog: local time, no year.
        case local(month: Int, day: Int, hour: Int, minute: Int, second: Int)
    }

    public var time: Time
    public var host: String
    public var program: String
    public var pid: Int?
    public var message: String

    public init?(_ line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard let first = fields.first else { return nil }
        // The traditional time is three fields ("Dec", "4", "00:17:01"), RFC 3339's one.
        let timeFields = CronLog.months.contains(String(first)) ? 3 : 1
        guard fields.count > timeFields + 1, let time = CronLog.time(line[first.startIndex..<fields[timeFields - 1].endIndex]) else { return nil }
        self.time = time
        host = String(fields[timeFields])
        let rest = line[fields[timeFields + 1].startIndex...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        var tag = rest[..<colon]
        pid = nil
        if tag.hasSuffix("]"), let open = tag.lastIndex(of: "[") {
            pid = Int(tag[tag.index(after: open)..<tag.index(before: tag.endIndex)])
            tag = tag[..<open]
        }
        guard !tag.isEmpty, !tag.contains(" ") else { return nil }
        program = String(tag)
        message = rest[rest.index(after: colon)...].trimmedOfSpaces
    }
}

/// The cron jobs a syslog file says ran (`CRON[pid]: (user) CMD (command)`), for the dashboard's
/// scheduled jobs on machines without systemd timers (L1).
public enum CronLog {
    public struct Run: Equatable, Sendable {
        public var time: SyslogLine.Time
        public var user: String
        public var command: String
    }

    /// Every cron run in `text`, in file order.
    public static func runs(in text: Substring) -> [Run] {
        text.split(separator: "\n").compactMap(run)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func run(_ line: Substring) -> Run? {
        guard let parsed = SyslogLine(line), parsed.program == "CRON", parsed.message.hasPrefix("("),
              let userEnd = parsed.message.firstIndex(of: ")") else { return nil }
        let user = parsed.message[parsed.message.index(after: parsed.message.startIndex)..<userEnd]
        let after = parsed.message[parsed.message.index(after: userEnd)...]
        guard after.hasPrefix(" CMD ("), after.hasSuffix(")") else { return nil }
        return Run(time: parsed.time, user: String(user), command: after.dropFirst(6).dropLast().trimmedOfSpaces)
    }

    static func time(_ head: Substring) -> SyslogLine.Time? {
        let fields = head.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = fields.first else { return nil }
        if let month = months.firstIndex(of: String(first)), fields.count >= 3, let day = Int(fields[1]) {
            let clock = fields[2].split(separator: ":").compactMap { Int($0) }
            guard clock.count == 3 else { return nil }
            return .local(month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2])
        }
        return absolute(first).map { .absolute($0) }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` as seconds since 1970.
    static func absolute(_ text: Substring) -> Double? {
        let characters = Array(text)
        guard characters.count >= 20, characters[4] == "-", characters[7] == "-", characters[10] == "T", characters[13] == ":",
              characters[16] == ":" else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(characters[range])) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month) else { return nil }
        var index = 19
        var fraction = 0.0
        if characters[index] == "." {
            var digits = ""
            index += 1
            while index < characters.count, characters[index].isNumber {
                digits.append(characters[index])
                index += 1
            }
            fraction = Double("0." + digits) ?? 0
        }
        var offset = 0
        if index < characters.count, characters[index] == "+" || characters[index] == "-", index + 6 <= characters.count,
           let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6) {
            offset = (characters[index] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        } else if index >= characters.count || characters[index] != "Z" {
            return nil
        }
        let days = daysSince1970(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
