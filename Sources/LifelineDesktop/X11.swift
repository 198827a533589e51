import CX11
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Opens the applet's X display (DISPLAY), checking the extensions it needs.
enum X11Connection {
    static func open(_ displayName: String?, needs extensions: [String]) throws(DesktopError) -> OpaquePointer {
        guard let name = displayName, !name.isEmpty else { throw .noDisplay }
        X11Errors.install()
        guard let display = XOpenDisplay(name) else { throw .cannotOpenDisplay(name) }
        var eventBase: Int32 = 0, errorBase: Int32 = 0, major: Int32 = 0, minor: Int32 = 0
        for name in extensions {
            let present = switch name {
            case "MIT-SHM": XShmQueryExtension(display) != 0
            case "RANDR": XRRQueryExtension(display, &eventBase, &errorBase) != 0
            default: XTestQueryExtension(display, &eventBase, &errorBase, &major, &minor) != 0
            }
            guard present else {
                XCloseDisplay(display)
                throw .extensionMissing(name)
            }
        }
        return display
    }
}

/// Screen capture on X11 with MIT-SHM: a shared-memory image, about 0.2 ms per 720p frame.
/// Its own X connection. Unchecked Sendable: it is created, then handed to the one task that
/// streams the screen, and used only there.
public final class X11Capturer: ScreenCapturer, @unchecked Sendable {
    private let display: OpaquePointer
    private let root: Window
    public let width: Int
    public let height: Int
    /// The part of the X screen captured: one monitor, or all of it (J16).
    public let region: ScreenRect
    private let image: SharedMemoryImage
    /// XDAMAGE tells when something was drawn, so an idle screen costs no captures; 0 without it.
    private var damage: Damage = 0
    private var damageEventBase: Int32 = 0

    /// Captures `region` of the screen (clipped to it), or the whole screen.
    public init(displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"], region requested: ScreenRect? = nil) throws(DesktopError) {
        let display = try X11Connection.open(displayName, needs: ["MIT-SHM"])
        self.display = display
        root = lifeline_root_window(display)
        let screen = ScreenRect(x: 0, y: 0, width: Int(lifeline_display_width(display)), height: Int(lifeline_display_height(display)))
        region = requested.flatMap { $0.clipped(to: screen) } ?? screen
        width = region.width
        height = region.height
        do throws(DesktopError) {
            image = try SharedMemoryImage(display: display, width: width, height: height)
        } catch {
            XCloseDisplay(display)
            throw error
        }
        var errorBase: Int32 = 0
        if XDamageQueryExtension(display, &damageEventBase, &errorBase) != 0 {
            damage = XDamageCreate(display, root, Int32(XDamageReportNonEmpty))
            XSync(display, 0)
        }
    }

    public var tellsChanges: Bool { damage != 0 }

    /// Where each mapped top-level window was at the last look, by window id.
    private var windowPlaces: [Window: (x: Int, y: Int, width: Int, height: Int)] = [:]

    /// A window closed while it is looked at is simply left out (`BadWindow`, ignored).
    public func movedWindows() -> [ScrollCopy] {
        X11Errors.trapping(display) { lookAtWindows() }
    }

    private func lookAtWindows() -> [ScrollCopy] {
        var rootReturn: Window = 0, parent: Window = 0
        var children: UnsafeMutablePointer<Window>?
        var count: UInt32 = 0
        guard XQueryTree(display, root, &rootReturn, &parent, &children, &count) != 0, let children else { return [] }
        defer { XFree(children) }
        var places: [Window: (x: Int, y: Int, width: Int, height: Int)] = [:]
        var moves: [ScrollCopy] = []
        var attributes = XWindowAttributes()
        for index in 0..<Int(count) {
            let window = children[index]
            guard XGetWindowAttributes(display, window, &attributes) != 0, attributes.map_state == IsViewable else { continue }
            // x and y are the border's outer corner; width and height the inside: the copy takes
            // the border too (a 1-pixel frame left behind was four strips to send a move).
            let border = Int(attributes.border_width)
            let place = (x: Int(attributes.x) - region.x, y: Int(attributes.y) - region.y,
                         width: Int(attributes.width) + 2 * border, height: Int(attributes.height) + 2 * border)
            places[window] = place
            if let was = windowPlaces[window], was.width == place.width, was.height == place.height,
               was.x != place.x || was.y != place.y,
               let move = ScrollCopy.move(fromX: was.x, fromY: was.y, toX: place.x, toY: place.y, width: place.width,
                                          height: place.height, screenWidth: width, screenHeight: height) {
                moves.append(move)
            }
        }
        windowPlaces = places
        return moves
    }

    public func waitForChange(milliseconds: Int32) -> Bool {
        guard damage != 0 else { return true }
        if mayHaveChanged() { return true }
        var descriptor = pollfd(fd: XConnectionNumber(display), events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, milliseconds)
        return mayHaveChanged()
    }

    public func mayHaveChanged() -> Bool {
        guard damage != 0 else { return true }
        var changed = false
        var event = XEvent()
        while XPending(display) > 0 {
            XNextEvent(display, &event)
            if event.type == damageEventBase + Int32(XDamageNotify) { changed = true }
        }
        // Re-arms the notification: the next drawing raises a new event.
        if changed { XDamageSubtract(display, damage, 0, 0) }
        return changed
    }

    deinit {
        if damage != 0 { XDamageDestroy(display, damage) }
        image.detach()
        XCloseDisplay(display)
    }

    public func capture() throws(DesktopError) -> ScreenImage {
        guard XShmGetImage(display, root, image.image, Int32(region.x), Int32(region.y), ~UInt(0)) != 0 else {
            throw .captureFailed("XShmGetImage failed")
        }
        return ScreenImage(width: width, height: height, bytesPerRow: image.bytesPerRow, pixels: UnsafeRawPointer(image.pixels))
    }

}

/// Mouse and keyboard on X11 through XTEST, on an X connection of its own.
public final class X11Input: InputInjector {
    private let display: OpaquePointer
    private let width: Int
    private let height: Int
    /// Keys pressed with an added Shift, to release it with them.
    private var shiftedKeys: Set<UInt32> = []
    /// The top left corner of the monitor the technician sees (J16): their coordinates start there.
    public var origin = (x: 0, y: 0)

    public init(displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) throws(DesktopError) {
        display = try X11Connection.open(displayName, needs: ["XTEST"])
        width = Int(lifeline_display_width(display))
        height = Int(lifeline_display_height(display))
    }

    deinit { XCloseDisplay(display) }

    public func move(x: Int, y: Int) throws(DesktopError) {
        XTestFakeMotionEvent(display, -1, Int32(clamping: min(max(x + origin.x, 0), width - 1)),
                             Int32(clamping: min(max(y + origin.y, 0), height - 1)), 0)
        XFlush(display)
    }

    public func button(_ button: Int, down: Bool) throws(DesktopError) {
        XTestFakeButtonEvent(display, UInt32(button), down ? 1 : 0, 0)
        XFlush(display)
    }

    public func key(keysym: UInt32, down: Bool) throws(DesktopError) {
        let code = XKeysymToKeycode(display, KeySym(keysym))
        guard code != 0 else { return }  // a key this keyboard cannot type is skipped
        // A character on the shifted level (">" on the "." key) needs Shift unless it is held.
        let needsShift = XkbKeycodeToKeysym(display, code, 0, 0) != KeySym(keysym)
            && XkbKeycodeToKeysym(display, code, 0, 1) == KeySym(keysym)
        let shift = XKeysymToKeycode(display, KeySym(XK_Shift_L))
        if down {
            if needsShift && !shiftHeld() {
                XTestFakeKeyEvent(display, UInt32(shift), 1, 0)
                shiftedKeys.insert(keysym)
            }
            XTestFakeKeyEvent(display, UInt32(code), 1, 0)
        } else {
            XTestFakeKeyEvent(display, UInt32(code), 0, 0)
            if shiftedKeys.remove(keysym) != nil { XTestFakeKeyEvent(display, UInt32(shift), 0, 0) }
        }
        XFlush(display)
    }

    /// Remote-layout sync (J11): the key at this evdev code, whatever the customer's layout makes
    /// of it (X keycodes are evdev codes plus 8 with the evdev keymap of Xorg and Xvfb).
    public func physicalKey(code: Int, down: Bool) throws(DesktopError) {
        guard (1...247).contains(code) else { return }
        XTestFakeKeyEvent(display, UInt32(code + 8), down ? 1 : 0, 0)
        XFlush(display)
    }

    private func shiftHeld() -> Bool {
        var keys = [CChar](repeating: 0, count: 32)
        XQueryKeymap(display, &keys)
        for keysym in [XK_Shift_L, XK_Shift_R] {
            let code = Int(XKeysymToKeycode(display, KeySym(keysym)))
            if code > 0, (UInt8(bitPattern: keys[code / 8]) >> (code % 8)) & 1 == 1 { return true }
        }
        return false
    }
}

/// The monitors of the X screen (J16), from RandR 1.5; one covering the whole screen without it.
public enum X11Monitors {
    public static func list(displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) throws(DesktopError) -> [Monitor] {
        let display = try X11Connection.open(displayName, needs: [])
        defer { XCloseDisplay(display) }
        let whole = [Monitor(name: "screen", rect: ScreenRect(x: 0, y: 0, width: Int(lifeline_display_width(display)),
                                                               height: Int(lifeline_display_height(display))), primary: true)]
        var eventBase: Int32 = 0, errorBase: Int32 = 0
        guard XRRQueryExtension(display, &eventBase, &errorBase) != 0 else { return whole }
        var count: Int32 = 0
        guard let monitors = XRRGetMonitors(display, lifeline_root_window(display), 1, &count), count > 0 else { return whole }
        defer { XRRFreeMonitors(monitors) }
        return (0..<Int(min(count, 16))).map { index in
            let info = monitors[index]
            var name = "monitor \(index + 1)"
            if let atomName = XGetAtomName(display, info.name) {
                name = String(cString: atomName)
                XFree(atomName)
            }
            return Monitor(name: name, rect: ScreenRect(x: Int(info.x), y: Int(info.y), width: Int(info.width), height: Int(info.height)),
                           primary: info.primary != 0)
        }
    }
}
