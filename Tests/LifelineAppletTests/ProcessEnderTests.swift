import Foundation
import Testing
import LifelineProtocol
@testable import LifelineApplet

/// Ending a process on this machine (L2): a real process tree started by the test, ended with its
/// children; one that ignores SIGTERM killed after the grace time; a stale start time, the machine
/// itself and the applet (this test process) refused without a signal sent.
@Suite("Ending a process and its children")
struct ProcessEnderTests {
    /// A shell started as the customer's programs are: no signal blocked (the test runner's
    /// threads block most, and Foundation's Process would pass that on).
    struct Shell {
        let pid: pid_t

        init(_ script: String) throws {
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            sigemptyset(&none)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
            var pid: pid_t = 0
            let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", script].map { $0.withCString { strdup($0) } } + [nil]
            defer { arguments.forEach { free($0) } }
            let status = posix_spawn(&pid, "/bin/sh", nil, &attributes, arguments, environ)
            guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
            self.pid = pid
        }

        /// The signal that ended it, once it has ended.
        func signalThatEndedIt() -> Int32 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status & 0x7f
        }
    }

    /// A shell that starts two sleeping children, and when it started as the processes view shows it.
    static func tree(_ script: String) async throws -> (Shell, Double) {
        let shell = try Shell(script)
        // Until both children are there.
        for _ in 0..<100 {
            if children(of: shell.pid).count >= 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let row = try #require(await SystemInfoReader(sampling: .zero).processes().first { $0.pid == shell.pid })
        return (shell, row.started)
    }

    static func children(of pid: pid_t) -> [Int32] {
        SystemInfoReader.processIDs(in: "/proc").filter { (LocalText.read("/proc/\($0)/stat") ?? "").contains(") S \(pid) ") }
    }

    static func exists(_ pid: Int32) -> Bool {
        let text = LocalText.read("/proc/\(pid)/stat") ?? ""
        return !text.isEmpty && !text.contains(") Z ")
    }

    @Test("the process and the two it started end on SIGTERM; its number with another start time is refused")
    func endsTheTree() async throws {
        let (shell, started) = try await Self.tree("sleep 300 & sleep 300 & wait")
        let children = Self.children(of: shell.pid)
        let stale = await ProcessEnder().end(pid: shell.pid, started: started - 5)
        #expect(stale == .failed(code: "process_gone", message: "The process has ended, or its number now belongs to another one."))
        #expect(Self.exists(shell.pid))

        let result = await ProcessEnder().end(pid: shell.pid, started: started)
        if result != .processEnded(pid: shell.pid, name: "sh", children: 2, forced: false) { kill(shell.pid, SIGKILL) }
        #expect(result == .processEnded(pid: shell.pid, name: "sh", children: 2, forced: false))
        #expect(shell.signalThatEndedIt() == SIGTERM)
        #expect(children.count == 2 && children.allSatisfy { !Self.exists($0) })
    }

    @Test("a process that ignores SIGTERM is killed after the grace time, with its children")
    func killsWhatIgnoresTerm() async throws {
        let (shell, started) = try await Self.tree("trap '' TERM; sleep 300 & sleep 300 & wait")
        let children = Self.children(of: shell.pid)
        #expect(children.count == 2)
        let result = await ProcessEnder(grace: .milliseconds(300)).end(pid: shell.pid, started: started)
        if result != .processEnded(pid: shell.pid, name: "sh", children: 2, forced: true) { kill(shell.pid, SIGKILL) }
        #expect(result == .processEnded(pid: shell.pid, name: "sh", children: 2, forced: true))
        #expect(shell.signalThatEndedIt() == SIGKILL)
        #expect(children.allSatisfy { !Self.exists($0) })
    }

    @Test("PID 1 and the applet's own process (and what it runs under) are refused")
    func refusals() async throws {
        let reader = SystemInfoReader(sampling: .zero)
        let rows = await reader.processes()
        let me = try #require(rows.first { $0.pid == getpid() })
        #expect(await ProcessEnder().end(pid: me.pid, started: me.started) == .failed(
            code: "refused_applet", message: "Ending it would end the applet, and the session with it."))
        if let parent = rows.first(where: { $0.pid == getppid() }), parent.pid > 2 {
            guard case .failed(let code, _) = await ProcessEnder().end(pid: parent.pid, started: parent.started) else {
                Issue.record("the test's parent was ended")
                return
            }
            #expect(code == "refused_applet")
        }
        if let first = rows.first(where: { $0.pid == 1 }) {
            guard case .failed(let code, _) = await ProcessEnder().end(pid: 1, started: first.started) else {
                Issue.record("PID 1 was ended")
                return
            }
            #expect(code == "refused_system")
        }
    }
}
