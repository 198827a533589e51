/// The cron jobs a syslog file says ran (`CRON[pid]: (user) CMD (command)`), for the dashboard's
/// scheduled jobs on machines without systemd timers (L1). Pure: the applet reads the file and
/// turns a traditional local time into seconds.
public enum CronLog {
    public struct Run: Equatable, Sendable {
        /// When, as the line says it.
        public enum Time: Equatable, Sendable {
            /// RFC 3339 (`2025-12-04T00:17:01.123+01:00`): seconds since 1970.
            case absolute(Double)
            /// Traditional syslog (`Dec  4 00:17:01`): local time, no year.
            case local(month: Int, day: Int, hour: Int, minute: Int, second: Int)
        }
        public var time: Time
        public var user: String
        public var command: String
    }

    /// Every cron run in `text`, in file order.
    public static func runs(in text: Substring) -> [Run] {
        text.split(separator: "\n").compactMap(run)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func run(_ line: Substring) -> Run? {
        guard let marker = line.firstRange(of: "CRON["), let close = line[marker.upperBound...].firstIndex(of: "]") else { return nil }
        let rest = line[line.index(after: close)...]
        guard rest.hasPrefix(": ("), let userEnd = rest.firstIndex(of: ")") else { return nil }
        let user = rest[rest.index(rest.startIndex, offsetBy: 3)..<userEnd]
        let after = rest[rest.index(after: userEnd)...]
        guard after.hasPrefix(" CMD ("), after.hasSuffix(")") else { return nil }
        let command = after.dropFirst(6).dropLast().trimmedOfSpaces
        guard let time = time(line[..<marker.lowerBound]) else { return nil }
        return Run(time: time, user: String(user), command: command)
    }

    static func time(_ head: Substring) -> Run.Time? {
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
