#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// The bodies of the gateway's messages to the applet (see `GatewayToApplet`): one struct each,
/// its properties the JSON keys.
extension GatewayToApplet {
    /// `welcome`: who the customer is talking to.
    public struct Welcome: WireMessage {
        public let sessionId: String
        public let technicianName: String
        public let organisation: String
        public let state: SessionState
        public init(sessionId: String, technicianName: String, organisation: String, state: SessionState) {
            self.sessionId = sessionId
            self.technicianName = technicianName
            self.organisation = organisation
            self.state = state
        }
    }

    /// `technician_changed`.
    public struct TechnicianChanged: WireMessage {
        public let name: String
        public init(name: String) { self.name = name }
    }

    /// `remote_request`.
    public struct RemoteRequest: WireMessage {
        public let mode: RemoteMode
        public let technicianName: String
        /// To a browser sharing its screen, when the gateway allows a direct path (issue 16).
        public let webrtc: WebRTCSetup?
        public init(mode: RemoteMode, technicianName: String, webrtc: WebRTCSetup? = nil) {
            self.mode = mode
            self.technicianName = technicianName
            self.webrtc = webrtc
        }
    }

    /// `frame_ack`.
    public struct FrameAck: WireMessage {
        public let sequence: UInt32
        /// Set by an applet that could not draw the technician's picture (a video frame without the
        /// ones before it): the next picture must be a whole one.
        public let refresh: Bool?
        /// Which of the technician's shared screens (`ScreenUpdate.screen`; nil: the first).
        public let screen: UInt8?
        /// To the applet: every console that sees the screen decodes video, so its moving part
        /// may go as VP8 (issue 23); nil or false: tiles only.
        public let video: Bool?
        public init(sequence: UInt32, refresh: Bool? = nil, screen: UInt8? = nil, video: Bool? = nil) {
            self.sequence = sequence
            self.refresh = refresh
            self.screen = screen
            self.video = video
        }
    }

    /// `remote_settings`.
    public struct RemoteSettings: WireMessage {
        public let quality: RemoteQuality
        public init(quality: RemoteQuality) { self.quality = quality }
    }

    /// `recording`.
    public struct RecordingNotice: WireMessage {
        public let active: Bool
        public let technicianName: String
        public init(active: Bool, technicianName: String) { self.active = active; self.technicianName = technicianName }
    }

    /// `remote_viewers`: the technicians who see the screen, and the one of them using the mouse
    /// and keyboard (control mode; nil in view mode).
    public struct RemoteViewers: WireMessage {
        public let names: [String]
        public let inControl: String?
        public init(names: [String], inControl: String?) { self.names = names; self.inControl = inControl }
    }

    /// `elevate`: the credentials pass through, never kept or logged.
    public struct Elevate: WireMessage {
        public let credentials: ElevationCredentials
        public let technicianName: String
        public init(credentials: ElevationCredentials, technicianName: String) { self.credentials = credentials; self.technicianName = technicianName }
    }

    /// `file_cancelled`.
    public struct FileCancelled: WireMessage {
        public let id: String
        public let reason: String
        public init(id: String, reason: String) { self.id = id; self.reason = reason }
    }

    /// `open_url`.
    public struct OpenURL: WireMessage {
        public let url: String
        public let technicianName: String
        public init(url: String, technicianName: String) { self.url = url; self.technicianName = technicianName }
    }

    /// `applet_invitation`.
    public struct AppletInvitation: WireMessage {
        public let linkToken: String
        public let technicianName: String
        public init(linkToken: String, technicianName: String) { self.linkToken = linkToken; self.technicianName = technicianName }
    }

    /// `survey`.
    public struct Survey: WireMessage {
        public let url: String
        public let technicianName: String
        public init(url: String, technicianName: String) { self.url = url; self.technicianName = technicianName }
    }

    /// `chat_switched`.
    public struct ChatSwitched: WireMessage {
        public let enabled: Bool
        public init(enabled: Bool) { self.enabled = enabled }
    }

    /// `collaborator`: an external technician joined or left.
    public struct CollaboratorPresence: WireMessage {
        public let name: String
        public let joined: Bool
        public init(name: String, joined: Bool) { self.name = name; self.joined = joined }
    }
}
