/// Which processes "end this process" reaches, decided from one reading of `/proc` (pure: the
/// applet reads, this decides, the applet signals).
public enum ProcessTree {
    /// Why a process may not be ended from the console.
    public enum Refusal: Equatable, Sendable {
        /// Not running, or its number now belongs to a later process.
        case gone
        /// PID 1 or a kernel thread: the machine itself.
        case system
        /// The applet is the process or one of its descendants: the session would end with it.
        case applet
    }

    /// The process and all its descendants, the process first, then each generation in PID order.
    /// A child is a process whose parent is in the tree and that started no earlier than its
    /// parent (a PID reused by an older process is not a child).
    public static func members(of pid: Int32, startTicks: Int64, in processes: [ProcReadings.ProcessStat]) -> [ProcReadings.ProcessStat] {
        guard let root = processes.first(where: { $0.pid == pid && $0.startTicks == startTicks }) else { return [] }
        var children: [Int32: [ProcReadings.ProcessStat]] = [:]
        for process in processes where process.pid != process.parent {
            children[process.parent, default: []].append(process)
        }
        var tree = [root]
        var generation = [root]
        var seen: Set<Int32> = [root.pid]
        while !generation.isEmpty {
            var next: [ProcReadings.ProcessStat] = []
            for parent in generation {
                for child in children[parent.pid] ?? [] where child.startTicks >= parent.startTicks && seen.insert(child.pid).inserted {
                    next.append(child)
                }
            }
            next.sort { $0.pid < $1.pid }
            tree += next
            generation = next
        }
        return tree
    }

    /// Whether ending `pid` (started at `startTicks`) and its descendants is refused, and why.
    public static func refusal(ending pid: Int32, startTicks: Int64, in processes: [ProcReadings.ProcessStat], applet: Int32) -> Refusal? {
        let tree = members(of: pid, startTicks: startTicks, in: processes)
        guard let root = tree.first else { return .gone }
        // PID 1, kthreadd and the kernel threads under it.
        if root.pid <= 2 || root.parent == 2 { return .system }
        if tree.contains(where: { $0.pid == applet }) { return .applet }
        return nil
    }
}
