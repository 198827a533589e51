/// What a Linux machine says of itself in the text of `/etc/os-release`, `/proc/cpuinfo`,
/// `/proc/meminfo`, `/proc/stat` and `/proc/<pid>/stat` (L1, L2): parsed here, without I/O, so
/// fixtures and the live machine go through the same code. Unknown or missing fields stay nil.
public enum ProcReadings {
    /// `/etc/os-release` (or `/usr/lib/os-release`): `KEY=value` lines, values maybe quoted.
    public static func osRelease(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmedOfSpaces
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var value = Substring(trimmed[trimmed.index(after: equals)...])
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast()
            }
            fields[String(trimmed[..<equals])] = unquoted(value)
        }
        return fields
    }

    /// Backslash escapes of a quoted os-release value ($, ", \ and `).
    private static func unquoted(_ value: Substring) -> String {
        var result = ""
        var escaped = false
        for character in value {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }

    public struct Processor: Equatable, Sendable {
        public var vendor: String?
        public var model: String?
        /// Logical processors (what `nproc` counts).
        public var threads: Int
        /// Physical cores, when the kernel says (`physical id` × `core id` pairs).
        public var cores: Int?
        /// The first processor's current clock, in MHz.
        public var megahertz: Double?
    }

    /// `/proc/cpuinfo`: one block per logical processor.
    public static func processor(_ text: String) -> Processor {
        var result = Processor(vendor: nil, model: nil, threads: 0, cores: nil, megahertz: nil)
        var physical: String?
        var pairs = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmedOfSpaces
            let value = line[line.index(after: colon)...].trimmedOfSpaces
            switch key {
            case "processor": result.threads += 1
            case "vendor_id", "CPU implementer": if result.vendor == nil { result.vendor = value }
            case "model name", "Model", "cpu model": if result.model == nil { result.model = value }
            case "cpu MHz": if result.megahertz == nil { result.megahertz = Double(value) }
            case "physical id": physical = value
            case "core id": pairs.insert("\(physical ?? "0")/\(value)")
            default: break
            }
        }
        result.cores = pairs.isEmpty ? nil : pairs.count
        return result
    }

    public struct Memory: Equatable, Sendable {
        /// Bytes.
        public var total: Int64
        public var available: Int64
        public var swapTotal: Int64
        public var swapFree: Int64
    }

    /// `/proc/meminfo`: sizes in kB. "Available" is MemAvailable, or free + buffers + cache on
    /// kernels too old to say it.
    public static func memory(_ text: String) -> Memory {
        var values: [String: Int64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            guard parts.count >= 2, let kilobytes = Int64(parts[1]) else { continue }
            values[String(parts[0])] = kilobytes * 1_024
        }
        let available = values["MemAvailable"] ?? ((values["MemFree"] ?? 0) + (values["Buffers"] ?? 0) + (values["Cached"] ?? 0))
        return Memory(total: values["MemTotal"] ?? 0, available: available, swapTotal: values["SwapTotal"] ?? 0, swapFree: values["SwapFree"] ?? 0)
    }

    /// `/proc/stat`: the boot time (seconds since 1970) and the CPU time spent so far, all states, in ticks.
    public static func systemStat(_ text: String) -> (bootTime: Int64?, totalTicks: Int64?) {
        var bootTime: Int64?
        var total: Int64?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.first == "btime", fields.count >= 2 { bootTime = Int64(fields[1]) }
            if fields.first == "cpu" { total = fields.dropFirst().prefix(8).compactMap { Int64($0) }.reduce(0, +) }
        }
        return (bootTime, total)
    }

    public struct ProcessStat: Equatable, Sendable {
        public var pid: Int32
        /// The name the kernel keeps (at most 15 bytes; may hold spaces and parentheses).
        public var name: String
        public var state: Character
        public var parent: Int32
        /// User and system time, in clock ticks.
        public var cpuTicks: Int64
        /// When it started, in clock ticks after boot: with the PID, what tells one process from a later one.
        public var startTicks: Int64
        /// Resident memory, in pages.
        public var residentPages: Int64

        public init(pid: Int32, name: String, state: Character, parent: Int32, cpuTicks: Int64, startTicks: Int64, residentPages: Int64) {
            self.pid = pid
            self.name = name
            self.state = state
            self.parent = parent
            self.cpuTicks = cpuTicks
            self.startTicks = startTicks
            self.residentPages = residentPages
        }
    }

    /// `/proc/<pid>/stat`. The name sits in parentheses and may itself hold ") ": the last
    /// parenthesis closes it.
    public static func processStat(_ text: String) -> ProcessStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
              let pid = Int32(text[..<open].trimmedOfSpaces) else { return nil }
        let name = String(text[text.index(after: open)..<close])
        let rest = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // rest[0] is field 3 (state); utime and stime are fields 14 and 15, starttime 22, rss 24.
        guard rest.count >= 22, let state = rest[0].first, let parent = Int32(rest[1]), let user = Int64(rest[11]),
              let system = Int64(rest[12]), let start = Int64(rest[19]), let resident = Int64(rest[21]) else { return nil }
        return ProcessStat(pid: pid, name: name, state: state, parent: parent, cpuTicks: user + system, startTicks: start,
                           residentPages: resident)
    }

    /// A process's share of one CPU between two readings, in percent (100 = one CPU busy all the
    /// time, as `top` counts). Nil when the second reading is of another process (PID reused).
    public static func cpuPercent(before: ProcessStat, after: ProcessStat, elapsedTicks: Int64, processors: Int) -> Double? {
        guard before.pid == after.pid, before.startTicks == after.startTicks, elapsedTicks > 0 else { return nil }
        // The machine's ticks count every processor: one CPU's worth is elapsed / processors.
        let perProcessor = Double(elapsedTicks) / Double(max(1, processors))
        return max(0, Double(after.cpuTicks - before.cpuTicks)) / perProcessor * 100
    }
}
