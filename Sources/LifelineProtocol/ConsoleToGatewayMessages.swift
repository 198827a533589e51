#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// The messages a console sends (`ConsoleToGateway`), field by field.
extension ConsoleToGateway {
    /// A message naming only its session.
    public struct SessionTarget: WireMessage {
        public let sessionId: String
        public init(sessionId: String) { self.sessionId = sessionId }
    }

    /// `chat`: a line to the session's customer; with `technicians` true, to the session's
    /// technicians only (I1), never to the customer.
    public struct Chat: WireMessage {
        public let sessionId: String
        public let text: String
        public let technicians: Bool?
        public init(sessionId: String, text: String, technicians: Bool? = nil) {
            self.sessionId = sessionId
            self.text = text
            self.technicians = technicians
        }
    }

    /// `command`: Start, Hold or End.
    public struct Command: WireMessage {
        public let sessionId: String
        public let command: SessionCommand
        public init(sessionId: String, command: SessionCommand) { self.sessionId = sessionId; self.command = command }
    }

    /// `remote_request`.
    public struct RemoteRequest: WireMessage {
        public let sessionId: String
        public let mode: RemoteMode
        public init(sessionId: String, mode: RemoteMode) { self.sessionId = sessionId; self.mode = mode }
    }

    /// `remote_stop`.
    public struct RemoteStop: WireMessage {
        public let sessionId: String
        public init(sessionId: String) { self.sessionId = sessionId }
    }

    /// `remote_input`.
    public struct RemoteInput: WireMessage {
        public let sessionId: String
        public let events: [InputEvent]
        public init(sessionId: String, events: [InputEvent]) { self.sessionId = sessionId; self.events = events }
    }

    /// `frame_ack`.
    public struct FrameAck: WireMessage {
        public let sessionId: String
        public let sequence: UInt32
        /// On `technician_screen_ack`: the customer's applet wants a whole picture next. From a
        /// console: it lost track of the customer's screen (a video frame it could not decode) and
        /// wants the whole screen.
        public let refresh: Bool?
        /// On `technician_screen_ack`: which of the technician's shared screens (nil: the first).
        public let screen: UInt8?
        /// From a console: it decodes VP8 video tiles (WebCodecs), so the customer's moving
        /// regions may come as video (issue 23).
        public let video: Bool?
        public init(sessionId: String, sequence: UInt32, refresh: Bool? = nil, screen: UInt8? = nil, video: Bool? = nil) {
            self.sessionId = sessionId
            self.sequence = sequence
            self.refresh = refresh
            self.screen = screen
            self.video = video
        }
    }

    /// `remote_settings`.
    public struct RemoteSettings: WireMessage {
        public let sessionId: String
        public let quality: RemoteQuality
        public init(sessionId: String, quality: RemoteQuality) { self.sessionId = sessionId; self.quality = quality }
    }

    /// `remote_tool`.
    public struct RemoteToolUse: WireMessage {
        public let sessionId: String
        public let tool: RemoteTool
        public init(sessionId: String, tool: RemoteTool) { self.sessionId = sessionId; self.tool = tool }
    }

    /// `elevate`.
    public struct Elevate: WireMessage {
        public let sessionId: String
        public let credentials: ElevationCredentials
        public init(sessionId: String, credentials: ElevationCredentials) { self.sessionId = sessionId; self.credentials = credentials }
    }
}

/// A technician as colleagues see them: for transfer lists and status next to names.
public struct TechnicianStatusView: Codable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let status: TechnicianStatus

    public init(id: String, name: String, status: TechnicianStatus) {
        self.id = id
        self.name = name
        self.status = status
    }
}
