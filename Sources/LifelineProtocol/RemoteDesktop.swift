import LifelineCore

/// What the technician asks for: control (view plus mouse and keyboard) or view only (J1, J2).
public typealias RemoteMode = RemoteDesktopState.Mode

/// Where a remote-desktop request stands, as the console shows it.
public enum RemotePhase: String, Codable, Sendable {
    /// Waiting for the customer's answer in the applet.
    case requested
    case active
    case denied
    case ended
}

/// The remote desktop of one session, pushed to the technician's consoles.
public struct RemoteStatus: Codable, Equatable, Sendable {
    public let sessionId: String
    public let mode: RemoteMode
    public let phase: RemotePhase
    /// Why it ended or was denied, in English.
    public let reason: String?
    /// When the session's entering a state ended it (a hold, an end): that state, so the console
    /// says why in its own language.
    public let sessionState: SessionState?
    /// A browser's screen that may come over a direct path (issue 16): the servers to find it.
    public let webrtc: WebRTCSetup?
    /// Control mode: the technician whose mouse and keyboard reach the customer (the lead, or the
    /// colleague the lead gave control to); the gateway drops anyone else's (issue 21).
    public let controller: String?
    /// Every technician who sees the screen, the lead first.
    public let viewers: [RemoteViewer]?

    public init(sessionId: String, mode: RemoteMode, phase: RemotePhase, reason: String? = nil, sessionState: SessionState? = nil,
                webrtc: WebRTCSetup? = nil, controller: String? = nil, viewers: [RemoteViewer]? = nil) {
        self.sessionId = sessionId
        self.mode = mode
        self.phase = phase
        self.reason = reason
        self.sessionState = sessionState
        self.webrtc = webrtc
        self.controller = controller
        self.viewers = viewers
    }
}

/// A technician who sees a session's remote desktop.
public struct RemoteViewer: Codable, Equatable, Sendable {
    public let technicianId: String
    public let name: String
    /// Whether the lead may give this viewer the mouse and keyboard (the lead, and colleagues
    /// granted remote control in the session).
    public let mayControl: Bool

    public init(technicianId: String, name: String, mayControl: Bool) {
        self.technicianId = technicianId
        self.name = name
        self.mayControl = mayControl
    }
}

/// One input event from the technician, in the customer's screen coordinates (J1, J11).
public enum InputEvent: Codable, Equatable, Sendable {
    case move(x: Int, y: Int)
    /// X button numbers: 1 left, 2 middle, 3 right.
    case button(button: Int, down: Bool, x: Int, y: Int)
    /// Wheel steps: negative up, positive down.
    case wheel(steps: Int, x: Int, y: Int)
    /// An X keysym: with local-layout sync it is the character typed, with remote layout the key.
    case key(keysym: UInt32, down: Bool)
    /// Remote-layout sync (J11): the physical key at this Linux evdev code (KeyboardEvent.code
    /// mapped in the console), whatever the customer's layout makes of it.
    case physicalKey(code: Int, down: Bool)

    private enum Keys: String, CodingKey { case t, x, y, button, down, steps, keysym, code }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .t) {
        case "move": self = .move(x: try c.decode(Int.self, forKey: .x), y: try c.decode(Int.self, forKey: .y))
        case "button":
            self = .button(button: try c.decode(Int.self, forKey: .button), down: try c.decode(Bool.self, forKey: .down),
                           x: try c.decode(Int.self, forKey: .x), y: try c.decode(Int.self, forKey: .y))
        case "wheel":
            self = .wheel(steps: try c.decode(Int.self, forKey: .steps), x: try c.decode(Int.self, forKey: .x), y: try c.decode(Int.self, forKey: .y))
        case "key": self = .key(keysym: try c.decode(UInt32.self, forKey: .keysym), down: try c.decode(Bool.self, forKey: .down))
        case "physical_key": self = .physicalKey(code: try c.decode(Int.self, forKey: .code), down: try c.decode(Bool.self, forKey: .down))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .t, in: c, debugDescription: "Unknown input event \"\(other)\".")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .move(let x, let y):
            try c.encode("move", forKey: .t)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
        case .button(let button, let down, let x, let y):
            try c.encode("button", forKey: .t)
            try c.encode(button, forKey: .button)
            try c.encode(down, forKey: .down)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
        case .wheel(let steps, let x, let y):
            try c.encode("wheel", forKey: .t)
            try c.encode(steps, forKey: .steps)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
        case .key(let keysym, let down):
            try c.encode("key", forKey: .t)
            try c.encode(keysym, forKey: .keysym)
            try c.encode(down, forKey: .down)
        case .physicalKey(let code, let down):
            try c.encode("physical_key", forKey: .t)
            try c.encode(code, forKey: .code)
            try c.encode(down, forKey: .down)
        }
    }

    /// Whether the event is sane to inject: buttons 1–7, wheel steps bounded.
    public var isValid: Bool {
        switch self {
        case .move: true
        case .button(let button, _, _, _): (1...7).contains(button)
        case .wheel(let steps, _, _): (-20...20).contains(steps) && steps != 0
        case .key(let keysym, _): keysym != 0
        // evdev codes of keyboard keys; X keycodes are these plus 8 and stop at 255.
        case .physicalKey(let code, _): (1...247).contains(code)
        }
    }
}
