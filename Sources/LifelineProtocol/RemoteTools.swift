import LifelineCore

/// A point on the customer's screen, in its pixels.
public struct ScreenPoint: Codable, Equatable, Sendable {
    public let x: Int
    public let y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// The remote-control toolbar's tools that act on the customer's side (J10, J12, J13, J16). The
/// console sends them, the gateway checks them against the remote desktop's mode and the
/// technician's permissions, the applet plays them.
public enum RemoteTool: Codable, Equatable, Sendable {
    /// The technician's clipboard text, put on the customer's X CLIPBOARD (J10).
    case clipboard(text: String)
    /// Whether the customer's clipboard changes come back to the console (J10, per session).
    case clipboardSync(on: Bool)
    /// A piece of a red pen stroke, drawn on the customer's screen (J12). A stroke is sent as it
    /// is drawn: each piece starts where the previous one ended.
    case draw(points: [ScreenPoint])
    /// Wipes every stroke (J12).
    case clearDrawing
    /// The red dot at a point of the customer's screen (J13).
    case laser(x: Int, y: Int)
    case laserOff
    /// Which of the customer's monitors to show: an index into the applet's list, nil for all (J16).
    case monitor(index: Int?)

    /// Clipboard text may be this long in UTF-8 (it travels in one text frame).
    public static let maximumClipboardBytes = 60_000
    public static let maximumPoints = 500

    /// The tools that act on the customer's desktop need remote control: the manual makes
    /// clipboard sync unavailable in desktop view, and drawing or pointing takes the place of
    /// control. Choosing a monitor only changes what the technician sees.
    public var needsControl: Bool {
        switch self {
        case .monitor: false
        case .clipboard, .clipboardSync, .draw, .clearDrawing, .laser, .laserOff: true
        }
    }

    /// A group permission the tool needs besides the remote desktop's own (A5).
    public var permission: Permission? {
        switch self {
        case .clipboard, .clipboardSync: .clipboardSync
        case .draw, .clearDrawing, .laser, .laserOff, .monitor: nil
        }
    }

    public var isValid: Bool {
        switch self {
        case .clipboard(let text): text.utf8.count <= Self.maximumClipboardBytes
        case .draw(let points): !points.isEmpty && points.count <= Self.maximumPoints
            && points.allSatisfy { (0...65_535).contains($0.x) && (0...65_535).contains($0.y) }
        case .laser(let x, let y): (0...65_535).contains(x) && (0...65_535).contains(y)
        case .monitor(let index): index.map { (0..<16).contains($0) } ?? true
        case .clipboardSync, .clearDrawing, .laserOff: true
        }
    }

    private enum Keys: String, CodingKey { case t, text, on, points, x, y, index }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .t) {
        case "clipboard": self = .clipboard(text: try c.decode(String.self, forKey: .text))
        case "clipboard_sync": self = .clipboardSync(on: try c.decode(Bool.self, forKey: .on))
        case "draw": self = .draw(points: try c.decode([ScreenPoint].self, forKey: .points))
        case "clear_drawing": self = .clearDrawing
        case "laser": self = .laser(x: try c.decode(Int.self, forKey: .x), y: try c.decode(Int.self, forKey: .y))
        case "laser_off": self = .laserOff
        case "monitor": self = .monitor(index: try c.decodeIfPresent(Int.self, forKey: .index))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .t, in: c, debugDescription: "Unknown remote tool \"\(other)\".")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .clipboard(let text):
            try c.encode("clipboard", forKey: .t)
            try c.encode(text, forKey: .text)
        case .clipboardSync(let on):
            try c.encode("clipboard_sync", forKey: .t)
            try c.encode(on, forKey: .on)
        case .draw(let points):
            try c.encode("draw", forKey: .t)
            try c.encode(points, forKey: .points)
        case .clearDrawing:
            try c.encode("clear_drawing", forKey: .t)
        case .laser(let x, let y):
            try c.encode("laser", forKey: .t)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
        case .laserOff:
            try c.encode("laser_off", forKey: .t)
        case .monitor(let index):
            try c.encode("monitor", forKey: .t)
            try c.encodeIfPresent(index, forKey: .index)
        }
    }
}

/// One of the customer's monitors (J16), in the X screen's coordinates.
public struct MonitorInfo: Codable, Equatable, Sendable {
    public let name: String
    public let x: Int
    public let y: Int
    public let width: Int
    public let height: Int
    public let primary: Bool

    public init(name: String, x: Int, y: Int, width: Int, height: Int, primary: Bool) {
        self.name = name
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.primary = primary
    }
}

/// What the applet tells the technician about the remote desktop besides the screen itself.
public enum RemoteNotice: Codable, Equatable, Sendable {
    /// The customer copied text (J10; only with control and clipboard sync on).
    case clipboard(text: String)
    /// The customer's monitors and the one shown, nil for all (J16).
    case monitors([MonitorInfo], selected: Int?)
    /// A browser customer's page went to the background (a phone's camera, Q4): the picture is
    /// paused until it comes back (false).
    case paused(Bool)
    /// A Lens customer muted their microphone (Q2), or turned it back on (false).
    case muted(Bool)

    private enum Keys: String, CodingKey { case t, text, monitors, selected, paused, muted }

    public var isValid: Bool {
        switch self {
        case .clipboard(let text): text.utf8.count <= RemoteTool.maximumClipboardBytes
        case .monitors(let list, let selected): list.count <= 16 && selected.map { list.indices.contains($0) } ?? true
        case .paused, .muted: true
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .t) {
        case "clipboard": self = .clipboard(text: try c.decode(String.self, forKey: .text))
        case "monitors": self = .monitors(try c.decode([MonitorInfo].self, forKey: .monitors),
                                          selected: try c.decodeIfPresent(Int.self, forKey: .selected))
        case "paused": self = .paused(try c.decode(Bool.self, forKey: .paused))
        case "muted": self = .muted(try c.decode(Bool.self, forKey: .muted))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .t, in: c, debugDescription: "Unknown remote notice \"\(other)\".")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .clipboard(let text):
            try c.encode("clipboard", forKey: .t)
            try c.encode(text, forKey: .text)
        case .monitors(let list, let selected):
            try c.encode("monitors", forKey: .t)
            try c.encode(list, forKey: .monitors)
            try c.encodeIfPresent(selected, forKey: .selected)
        case .paused(let paused):
            try c.encode("paused", forKey: .t)
            try c.encode(paused, forKey: .paused)
        case .muted(let muted):
            try c.encode("muted", forKey: .t)
            try c.encode(muted, forKey: .muted)
        }
    }
}
