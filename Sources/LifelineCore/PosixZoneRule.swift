/// A POSIX TZ rule as TZif footers write it (`CET-1CEST,M3.5.0,M10.5.0/3`, `<+0330>-3:30`,
/// `AEST-10AEDT,M10.1.0,M4.1.0/3`): the standard offset, and the daylight-saving one with the
/// yearly days and times it starts and ends. Offsets in the text count west of UTC; here east.
public struct PosixZoneRule: ZoneClock, Equatable {
    public struct Malformed: Error, Equatable {
        public let reason: String
    }

    /// A yearly moment: which day, and the local time of day in seconds (may pass 24 h or be negative).
    struct Moment: Equatable {
        enum Day: Equatable {
            /// `Jn`: day 1–365, February 29th never counted.
            case julianNoLeap(Int)
            /// `n`: day 0–365, February 29th counted.
            case zeroBased(Int)
            /// `Mm.w.d`: weekday d (0 Sunday) of week w (5: the last) of month m.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }

        let day: Day
        let time: Int
    }

    let standardOffset: Int
    let daylight: (offset: Int, start: Moment, end: Moment)?

    public static func == (left: PosixZoneRule, right: PosixZoneRule) -> Bool {
        left.standardOffset == right.standardOffset && left.daylight?.offset == right.daylight?.offset
            && left.daylight?.start == right.daylight?.start && left.daylight?.end == right.daylight?.end
    }

    public init(_ text: String) throws(Malformed) {
        var scanner = Scanner(Array(text.utf8))
        try scanner.name()
        standardOffset = -(try scanner.offset())
        guard !scanner.atEnd else {
            daylight = nil
            return
        }
        try scanner.name()
        var daylightOffset = standardOffset + 3_600
        if let next = scanner.peek, next != UInt8(ascii: ",") { daylightOffset = -(try scanner.offset()) }
        // Without a rule POSIX leaves the dates to the system; TZif footers always give them.
        guard scanner.eat(UInt8(ascii: ",")) else { throw Malformed(reason: "daylight saving without its dates") }
        let start = try scanner.moment()
        guard scanner.eat(UInt8(ascii: ",")) else { throw Malformed(reason: "daylight saving without its end") }
        let end = try scanner.moment()
        guard scanner.atEnd else { throw Malformed(reason: "text after the rule") }
        daylight = (daylightOffset, start, end)
    }

    public func secondsFromUTC(atUnixTime seconds: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let year = CivilDate(epochDay: Self.floorDivide(seconds + Int64(standardOffset), 86_400)).year
        // The start is said in standard time, the end in daylight time.
        let start = Self.instant(daylight.start, year: year, offset: standardOffset)
        let end = Self.instant(daylight.end, year: year, offset: daylight.offset)
        let inDaylight = start < end ? (start <= seconds && seconds < end) : (seconds < end || seconds >= start)
        return inDaylight ? daylight.offset : standardOffset
    }

    static func instant(_ moment: Moment, year: Int, offset: Int) -> Int64 {
        let january1 = CivilDate(year: year, month: 1, day: 1).epochDay
        let day: Int64
        switch moment.day {
        case .julianNoLeap(let n):
            // Day 60 is March 1st even in a leap year.
            day = january1 + Int64(n - 1) + (CivilDate.isLeap(year) && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            day = january1 + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDate(year: year, month: month, day: 1).epochDay
            let firstWeekday = Int(Self.floorModulo(first + 4, 7))  // 1970-01-01 was a Thursday.
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            while dayOfMonth > CivilDate.daysIn(month: month, year: year) { dayOfMonth -= 7 }
            day = first + Int64(dayOfMonth - 1)
        }
        return day * 86_400 + Int64(moment.time) - Int64(offset)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        value - floorDivide(value, divisor) * divisor
    }
}

/// Reads the parts of a TZ rule, one after the other.
private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func eat(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    /// `CET`, or `<+0330>` for names that are not letters.
    mutating func name() throws(PosixZoneRule.Malformed) {
        if eat(UInt8(ascii: "<")) {
            while let byte = peek, byte != UInt8(ascii: ">") { position += 1 }
            guard eat(UInt8(ascii: ">")) else { throw .init(reason: "a <name> without its >") }
            return
        }
        let start = position
        while let byte = peek, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) {
            position += 1
        }
        guard position - start >= 3 else { throw .init(reason: "a zone name of three letters or more was expected") }
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, as written (west of UTC positive).
    mutating func offset() throws(PosixZoneRule.Malformed) -> Int {
        let negative = eat(UInt8(ascii: "-"))
        if !negative { _ = eat(UInt8(ascii: "+")) }
        return (negative ? -1 : 1) * (try clock(maximumHours: 167))
    }

    mutating func clock(maximumHours: Int) throws(PosixZoneRule.Malformed) -> Int {
        let hours = try number()
        guard hours <= maximumHours else { throw .init(reason: "hours out of range") }
        var seconds = hours * 3_600
        if eat(UInt8(ascii: ":")) {
            seconds += try number() * 60
            if eat(UInt8(ascii: ":")) { seconds += try number() }
        }
        return seconds
    }

    mutating func number() throws(PosixZoneRule.Malformed) -> Int {
        let start = position
        var value = 0
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), position - start < 4 {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            position += 1
        }
        guard position > start else { throw .init(reason: "a number was expected") }
        return value
    }

    /// `Jn`, `n` or `Mm.w.d`, then `/time` (2:00 when left out).
    mutating func moment() throws(PosixZoneRule.Malformed) -> PosixZoneRule.Moment {
        let day: PosixZoneRule.Moment.Day
        if eat(UInt8(ascii: "J")) {
            let n = try number()
            guard (1...365).contains(n) else { throw .init(reason: "Jn is 1 to 365") }
            day = .julianNoLeap(n)
        } else if eat(UInt8(ascii: "M")) {
            let month = try number()
            guard eat(UInt8(ascii: ".")) else { throw .init(reason: "Mm.w.d expected") }
            let week = try number()
            guard eat(UInt8(ascii: ".")) else { throw .init(reason: "Mm.w.d expected") }
            let weekday = try number()
            guard (1...12).contains(month), (1...5).contains(week), (0...6).contains(weekday) else { throw .init(reason: "Mm.w.d out of range") }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else {
            let n = try number()
            guard (0...365).contains(n) else { throw .init(reason: "n is 0 to 365") }
            day = .zeroBased(n)
        }
        var time = 7_200
        if eat(UInt8(ascii: "/")) {
            // RFC 8536 lets the time run from -167 to 167 hours.
            let negative = eat(UInt8(ascii: "-"))
            _ = eat(UInt8(ascii: "+"))
            time = (negative ? -1 : 1) * (try clock(maximumHours: 167))
        }
        return .init(day: day, time: time)
    }
}
