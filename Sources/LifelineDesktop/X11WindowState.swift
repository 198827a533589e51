import CX11
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The applet's own window above the others while the technician works on the screen (issue 16):
/// the customer keeps seeing who is there and the Stop button.
public enum X11WindowState {
    /// Asks the window manager (EWMH) to keep `window` above the others, or to stop doing so.
    public static func keepAbove(window: UInt, _ above: Bool,
                                 displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) throws(DesktopError) {
        let display = try X11Connection.open(displayName, needs: [])
        defer { XCloseDisplay(display) }
        lifeline_keep_above(display, Window(window), above ? 1 : 0)
    }
}
