/// The customer-side tools of the remote desktop besides capture and input, each behind a
/// protocol so another display system can provide them (issue 5).

/// Where the pointer is and what it looks like (XFixes on X11).
public protocol CursorSource: AnyObject {
    /// The pointer's position relative to `origin`, and its shape when it changed since the
    /// last call; nil when nothing changed.
    func poll(origin: (x: Int, y: Int)) -> CursorLook?
}

public struct CursorLook: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var shape: CursorShape?
}

public struct CursorShape: Equatable, Sendable {
    public let hotX: Int
    public let hotY: Int
    public let width: Int
    public let height: Int
    /// Non-premultiplied RGBA.
    public let rgba: [UInt8]
}

/// The customer's clipboard, text only (J10).
public protocol ClipboardBridge: AnyObject {
    /// Makes `text` what the customer pastes.
    func set(_ text: String)
    /// Text the customer copied since the last call (not text set through `set`), if any.
    func copiedText() -> String?
}

/// Red pen strokes and a laser dot drawn over everything on the customer's screen (J12, J13),
/// letting clicks through.
public protocol ScreenOverlay: AnyObject {
    func draw(_ points: [(x: Int, y: Int)])
    func clear()
    func laser(x: Int, y: Int)
    func laserOff()
}

/// One monitor of the customer's screen (J16).
public struct Monitor: Equatable, Sendable {
    public let name: String
    public let rect: ScreenRect
    public let primary: Bool

    public init(name: String, rect: ScreenRect, primary: Bool) {
        self.name = name
        self.rect = rect
        self.primary = primary
    }
}
