import CX11
import Synchronization

/// X protocol errors the applet meets in the normal course of things: a window another client
/// closes between two of the applet's requests (`XQueryTree`, then `XGetWindowAttributes` on one
/// of its children) is `BadWindow`. Xlib's default handler prints it and ends the process — the
/// customer's applet vanished in the middle of a session because a browser closed a popup.
/// They are ignored instead; each request checks its own status.
enum X11Errors {
    private static let installed = Mutex(false)

    /// Installs the ignoring handler for the whole process, once (every X connection opens here).
    static func install() {
        installed.withLock { done in
            guard !done else { return }
            done = true
            XSetErrorHandler(ignoreError)
        }
    }

    /// Runs `body` with the ignoring handler even if a toolkit has since put its own in place, and
    /// waits for the server to answer every request `body` made, so its errors come while it holds.
    static func trapping<T>(_ display: OpaquePointer, _ body: () -> T) -> T {
        let previous = XSetErrorHandler(ignoreError)
        defer {
            XSync(display, 0)
            XSetErrorHandler(previous)
        }
        return body()
    }
}

private func ignoreError(_ display: OpaquePointer?, _ event: UnsafeMutablePointer<XErrorEvent>?) -> Int32 { 0 }
