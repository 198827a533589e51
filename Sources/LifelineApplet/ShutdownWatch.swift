#if canImport(Glibc)
import Glibc
#endif
import Logging

/// logind's word that this machine is about to shut down or restart (`PrepareForShutdown`), for the
/// customer's own restart (C7): a *delay* inhibitor holds the shutdown back until the applet has
/// prepared its return (logind waits at most its InhibitDelayMaxSec, 5 s by default), then is let go.
/// Its own thread with its own bus connection; nothing happens where logind cannot be reached.
final class ShutdownWatch: Sendable {
    /// How long the machine is held for `announced(true)`; under logind's default limit.
    static let holdLimit: Duration = .milliseconds(4_500)

    private let stopped = StopFlag()

    /// `announced(true)` when the machine goes down (awaited, up to `holdLimit`), `announced(false)`
    /// when logind says it is not going down after all.
    static func start(announced: @escaping @Sendable (Bool) async -> Void) -> ShutdownWatch {
        let watch = ShutdownWatch()
        if !PosixThread.start({ watch.follow(announced) }) {
            Logger(label: "lifeline-applet").warning("No thread for following the machine's restarts")
        }
        return watch
    }

    func stop() { stopped.raise() }

    private func follow(_ announced: @escaping @Sendable (Bool) async -> Void) {
        let logger = Logger(label: "lifeline-applet")
        do throws(SystemdBus.Failure) {
            let bus = try SystemdBus(user: false)
            let heard = Announcements()
            let subscription = try bus.subscribe(sender: MachinePower.logind, path: MachinePower.logindPath,
                                                 interface: MachinePower.logindManager, member: "PrepareForShutdown") { message in
                heard.goingDown.append(message.bool())
            }
            var inhibitor = try Self.inhibit(on: bus)
            defer { if inhibitor >= 0 { close(inhibitor) } }
            while !stopped.isRaised {
                try bus.process(waitingUpTo: .seconds(1))
                while !heard.goingDown.isEmpty {
                    let goingDown = heard.goingDown.removeFirst()
                    Self.wait(for: announced, goingDown)
                    if goingDown, inhibitor >= 0 {
                        // Ready (or out of time): the machine may go down now.
                        close(inhibitor)
                        inhibitor = -1
                    } else if !goingDown, inhibitor < 0 {
                        inhibitor = try Self.inhibit(on: bus)
                    }
                }
            }
            withExtendedLifetime(subscription) {}
        } catch {
            logger.info("The machine's restarts are not followed: logind cannot be reached", metadata: ["error": "\(error.description)"])
        }
    }

    /// A delay inhibitor for shutting down: the descriptor that holds it.
    private static func inhibit(on bus: SystemdBus) throws(SystemdBus.Failure) -> Int32 {
        let reply = try bus.call("Inhibit", [.string("shutdown"), .string("Lifeline"),
                                             .string("Bringing the support session back after the restart"), .string("delay")],
                                 path: MachinePower.logindPath, interface: MachinePower.logindManager, destination: MachinePower.logind)
        let descriptor = reply.fileDescriptor()
        guard descriptor >= 0 else { throw SystemdBus.Failure(name: "", description: "logind gave no inhibitor") }
        return descriptor
    }

    /// Runs `announced` and waits for it on this thread, at most `holdLimit`.
    private static func wait(for announced: @escaping @Sendable (Bool) async -> Void, _ goingDown: Bool) {
        let done = StopFlag()
        Task {
            await announced(goingDown)
            done.raise()
        }
        let deadline = ContinuousClock.now + holdLimit
        while !done.isRaised, ContinuousClock.now < deadline { usleep(20_000) }
    }

    /// The signals heard, in order, on the watch's own thread.
    private final class Announcements {
        var goingDown: [Bool] = []
    }
}
