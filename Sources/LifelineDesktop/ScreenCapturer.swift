/// A picture of the screen in 32-bit BGRX pixels, rows `bytesPerRow` apart. Valid until the
/// next capture by the same capturer.
public struct ScreenImage {
    public let width: Int
    public let height: Int
    public let bytesPerRow: Int
    public let pixels: UnsafeRawPointer

    public init(width: Int, height: Int, bytesPerRow: Int, pixels: UnsafeRawPointer) {
        self.width = width
        self.height = height
        self.bytesPerRow = bytesPerRow
        self.pixels = pixels
    }
}

/// Reads the customer's screen. X11 today; a Wayland (PipeWire portal) capturer can stand
/// behind the same protocol without the streamer changing.
public protocol ScreenCapturer: AnyObject {
    var width: Int { get }
    var height: Int { get }
    func capture() throws(DesktopError) -> ScreenImage
    /// Whether the screen may have changed since the last call, without blocking. Capturers that
    /// cannot tell say yes, and the streamer compares pixels anyway.
    func mayHaveChanged() -> Bool
    /// Like `mayHaveChanged`, but waits up to `milliseconds` for a change (blocking the thread):
    /// an idle screen costs no wake-ups, and a change is seen the moment it is reported.
    func waitForChange(milliseconds: Int32) -> Bool
    /// Whether `mayHaveChanged` really knows (X11 with XDAMAGE); otherwise the streamer paces itself.
    var tellsChanges: Bool { get }
    /// Top-level windows that moved since the last call, as copies of their old place to the new
    /// one (clipped to the screen). A hint: the streamer checks the pixels before using it.
    func movedWindows() -> [ScrollCopy]
}

/// Plays the technician's mouse and keyboard on the customer's machine.
public protocol InputInjector: AnyObject {
    func move(x: Int, y: Int) throws(DesktopError)
    func button(_ button: Int, down: Bool) throws(DesktopError)
    /// Presses or releases the key that types `keysym` (adding Shift when the keysym needs it).
    func key(keysym: UInt32, down: Bool) throws(DesktopError)
    /// Presses or releases the physical key at a Linux evdev code (remote-layout sync, J11).
    func physicalKey(code: Int, down: Bool) throws(DesktopError)
}

public enum DesktopError: Error, Equatable, Sendable, CustomStringConvertible {
    case noDisplay
    case cannotOpenDisplay(String)
    case extensionMissing(String)
    case captureFailed(String)
    case encodingFailed(String)
    /// A picture of the technician's screen (H1) that cannot be shown.
    case decodingFailed(String)

    public var description: String {
        switch self {
        case .noDisplay: "No graphical display is available on this computer (DISPLAY is not set)."
        case .cannotOpenDisplay(let name): "The display \(name) cannot be opened."
        case .extensionMissing(let name): "The X server lacks the \(name) extension."
        case .captureFailed(let detail): "The screen could not be read: \(detail)."
        case .encodingFailed(let detail): "The screen could not be compressed: \(detail)."
        case .decodingFailed(let detail): "A picture of the technician's screen could not be shown: \(detail)."
        }
    }
}
