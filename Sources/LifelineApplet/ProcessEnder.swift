#if canImport(Glibc)
import Glibc
#endif
import CLinuxCalls
import LifelineCore
import LifelineProtocol

/// Ends a process and its descendants for the technician (L2) as a careful administrator would:
/// each process is held by a pidfd opened before its start time is checked again, so a PID
/// reused meanwhile is never signalled; SIGTERM first, SIGKILL to what still runs after `grace`.
struct ProcessEnder: Sendable {
    var proc = "/proc"
    var grace: Duration = .seconds(5)
    var afterKill: Duration = .seconds(2)

    func end(pid: Int32, started: Double) async -> SystemActionResult {
        let bootTime = Double(ProcReadings.systemStat(LocalText.read(proc + "/stat") ?? "").bootTime ?? 0)
        let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let startTicks = Int64(((started - bootTime) * ticksPerSecond).rounded())
        let processes = SystemInfoReader.processIDs(in: proc).compactMap(reading)
        if let refusal = ProcessTree.refusal(ending: pid, startTicks: startTicks, in: processes, applet: getpid()) {
            return Self.failure(refusal)
        }
        var held: [(process: ProcReadings.ProcessStat, handle: Int32)] = []
        defer { for member in held { close(member.handle) } }
        for member in ProcessTree.members(of: pid, startTicks: startTicks, in: processes) {
            let handle = lifeline_pidfd_open(member.pid)
            guard handle >= 0 else { continue } // ended meanwhile
            // Read again once held: the handle is of the process that was listed, or it is let go.
            guard reading(member.pid)?.startTicks == member.startTicks else {
                close(handle)
                continue
            }
            held.append((member, handle))
        }
        guard let root = held.first, root.process.pid == pid else { return Self.failure(.gone) }
        if lifeline_pidfd_send_signal(root.handle, 0) != 0 {
            return errno == EPERM ? .failed(code: "not_permitted", message: "The process belongs to another account; the applet needs administrator rights to end it.")
                : Self.failure(.gone)
        }
        // A descendant that is not ours to signal (setuid) is left; the rest are asked to close.
        for member in held { _ = lifeline_pidfd_send_signal(member.handle, SIGTERM) }
        var running = await Self.stillRunning(held.map(\.handle), after: grace)
        let forced = !running.isEmpty
        if forced {
            for handle in running { _ = lifeline_pidfd_send_signal(handle, SIGKILL) }
            running = await Self.stillRunning(running, after: afterKill)
        }
        if running.contains(root.handle) {
            return .failed(code: "still_running", message: "The process is still running after SIGKILL (it may be stuck in the kernel).")
        }
        return .processEnded(pid: pid, name: root.process.name, children: held.count - 1, forced: forced)
    }

    private func reading(_ pid: Int32) -> ProcReadings.ProcessStat? {
        LocalText.read("\(proc)/\(pid)/stat").flatMap(ProcReadings.processStat)
    }

    private static func failure(_ refusal: ProcessTree.Refusal) -> SystemActionResult {
        switch refusal {
        case .gone: .failed(code: "process_gone", message: "The process has ended, or its number now belongs to another one.")
        case .system: .failed(code: "refused_system", message: "PID 1 and kernel threads are the system itself and are not ended from the console.")
        case .applet: .failed(code: "refused_applet", message: "Ending it would end the applet, and the session with it.")
        }
    }

    /// The handles whose process has not exited within `limit` (a pidfd becomes readable when it has).
    private static func stillRunning(_ handles: [Int32], after limit: Duration) async -> [Int32] {
        let deadline = ContinuousClock.now + limit
        var running = handles
        while true {
            var watched = running.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&watched, nfds_t(watched.count), 0)
            running = watched.filter { $0.revents == 0 }.map(\.fd)
            guard !running.isEmpty, ContinuousClock.now < deadline else { return running }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return running }
        }
    }
}
