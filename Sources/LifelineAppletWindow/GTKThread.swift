#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LifelineApplet

/// The thread GTK lives on: it initialises GTK and runs its main loop; every widget is made and
/// touched there. Other threads hand it work with `post`. One per process.
final class GTKThread: @unchecked Sendable {
    let gtk: GTK
    let handlers = SignalHandlers()
    private var loop: GTK.Object?
    /// Signalled when the main loop has returned: GTK does nothing more.
    private let loopEnded = DispatchSemaphore(value: 0)

    /// The one running, for the C trampolines (which cannot capture).
    nonisolated(unsafe) static var current: GTKThread?

    private init(gtk: GTK) {
        self.gtk = gtk
    }

    /// Loads GTK and starts its thread; throws when there is no GTK or no display to open.
    static func start() throws(GTK.Unavailable) -> GTKThread {
        let gtk = try GTK.load()
        let thread = GTKThread(gtk: gtk)
        let started = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var opened = false
        let running = PosixThread.start {
            // The windows' class (WM_CLASS): window managers and launchers know the applet by it.
            gtk.setProgramName("lifeline-applet")
            opened = gtk.initCheck() != 0
            if opened {
                thread.loop = gtk.mainLoopNew(nil, 0)
                current = thread
            }
            started.signal()
            if opened { gtk.mainLoopRun(thread.loop) }
            thread.loopEnded.signal()
        }
        guard running else { throw GTK.Unavailable(description: "no thread for GTK") }
        started.wait()
        guard opened else { throw GTK.Unavailable(description: "GTK could not open the display") }
        return thread
    }

    /// Runs `work` on the GTK thread, soon.
    func post(_ work: @escaping () -> Void) {
        let box = Unmanaged.passRetained(WorkBox(work)).toOpaque()
        _ = gtk.idleAdd(unsafeBitCast(runPosted, to: UnsafeRawPointer.self), box)
    }

    /// Calls `handler` when `object` emits `signal` (a signal with no arguments: clicked, activate).
    func connect(_ object: GTK.Object?, _ signal: String, _ handler: @escaping () -> Void) {
        _ = gtk.signalConnectData(object, signal, unsafeBitCast(fireSignal, to: UnsafeRawPointer.self), handlers.add(handler), nil, 0)
    }

    /// A window's close button: `handler` decides what happens; the window stays until it is destroyed.
    func onCloseRequest(_ window: GTK.Object?, _ handler: @escaping () -> Void) {
        _ = gtk.signalConnectData(window, "close-request", unsafeBitCast(closeRequested, to: UnsafeRawPointer.self),
                                  handlers.add(handler), nil, 0)
    }

    /// A native dialog's answer (GTK_RESPONSE_ACCEPT is -3), once.
    func onResponse(_ dialog: GTK.Object?, _ handler: @escaping (Int32) -> Void) {
        _ = gtk.signalConnectData(dialog, "response", unsafeBitCast(responded, to: UnsafeRawPointer.self),
                                  handlers.addResponse(handler), nil, 0)
    }

    func quit() {
        post { [gtk, loop] in gtk.mainLoopQuit(loop) }
    }

    /// Ends the main loop and returns once it has (2 s at most): a process that exits while GTK
    /// still tears a window down crashes in the library's exit handlers.
    func quitAndWait() async {
        quit()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [loopEnded] in
                _ = loopEnded.wait(timeout: .now() + 2)
                continuation.resume()
            }
        }
    }
}

private final class WorkBox {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}

private let runPosted: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { data in
    guard let data else { return 0 }
    Unmanaged<WorkBox>.fromOpaque(data).takeRetainedValue().work()
    return 0  // G_SOURCE_REMOVE: once
}

private let fireSignal: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { _, data in
    GTKThread.current?.handlers.fire(data)
}

private let closeRequested: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { _, data in
    GTKThread.current?.handlers.fire(data)
    return 1  // TRUE: the handler decides; GTK does not destroy the window itself
}

private let responded: @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer?) -> Void = { _, response, data in
    GTKThread.current?.handlers.respond(data, response)
}
