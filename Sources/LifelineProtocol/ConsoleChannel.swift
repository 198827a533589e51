#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// What a technician can do to a session from the console's toolbar.
public enum SessionCommand: String, Codable, Sendable, CaseIterable {
    case start
    case hold
    case end
}

/// Messages the technician console sends on `/ws/console`.
public enum ConsoleToGateway: ChannelMessage, Equatable {
    case chat(Chat)
    case command(Command)
    /// The technician is at the console (keyboard or mouse), sent at most every 30 seconds: it
    /// keeps them from turning Away automatically.
    case activity
    /// The monitored technician shares their screen with the administrator, declines, or stops (E1).
    case monitorScreenAnswer(MonitorScreenAnswer)
    /// Ask the customer for remote control or desktop view (J1, J2).
    case remoteRequest(RemoteRequest)
    /// The technician's red X: the remote desktop ends, the session stays active.
    case remoteStop(RemoteStop)
    /// Mouse and keyboard for the customer's screen (control mode only); at most 200 events a frame.
    case remoteInput(RemoteInput)
    /// The console drew screen update `sequence`: the applet may send the next ones (flow control).
    case frameAck(FrameAck)
    /// Colour quality of the remote screen (J7).
    case remoteSettings(RemoteSettings)
    /// A toolbar tool acting on the customer's side: clipboard, whiteboard, laser, monitor (J10–J16).
    case remoteTool(RemoteToolUse)
    /// Restart the customer's applet with administrator rights (J3).
    case elevate(Elevate)
    /// The console's answer and candidates for a direct path to a customer's browser (issue 16).
    case webrtcSignal(WebRTCSignalOfSession)
    /// Ask the customer to open the file manager (K1).
    case fileManagerOpen(SessionTarget)
    /// The technician closes the file manager.
    case fileManagerClose(SessionTarget)
    /// One operation on the customer's files (K1–K5), answered by `file_manager_reply`.
    case fileManagerRequest(FileManagerRequestMessage)
    /// One view of the customer's machine (L1–L8), answered by `system_info_reply`.
    case systemInfoRequest(SystemInfoRequestMessage)
    /// End a process (L2) and, later, the other changes of the System info tab.
    case systemActionRequest(SystemActionRequestMessage)
    /// Run a script of the library on the customer's machine (N2).
    case scriptRunRequest(ScriptRunRequestMessage)
    /// Stop a script that runs.
    case scriptCancel(ScriptCancelMessage)
    /// Restart the customer's machine and reconnect (M1–M3).
    case rebootRequest(RebootRequestMessage)
    /// Ask the customer for unattended access to their computer (F5).
    case unattendedRequest(UnattendedRequestMessage)

    public var type: String {
        switch self {
        case .chat: "chat"
        case .command: "command"
        case .activity: "activity"
        case .monitorScreenAnswer: "monitor_screen_answer"
        case .remoteRequest: "remote_request"
        case .remoteStop: "remote_stop"
        case .remoteInput: "remote_input"
        case .frameAck: "frame_ack"
        case .remoteSettings: "remote_settings"
        case .remoteTool: "remote_tool"
        case .elevate: "elevate"
        case .webrtcSignal: "webrtc_signal"
        case .fileManagerOpen: "file_manager_open"
        case .fileManagerClose: "file_manager_close"
        case .fileManagerRequest: "file_manager_request"
        case .systemInfoRequest: "system_info_request"
        case .systemActionRequest: "system_action_request"
        case .scriptRunRequest: "script_run_request"
        case .scriptCancel: "script_cancel"
        case .rebootRequest: "reboot_request"
        case .unattendedRequest: "unattended_request"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .rebootRequest(let message): try message.encode(to: encoder)
        case .unattendedRequest(let message): try message.encode(to: encoder)
        case .scriptRunRequest(let message): try message.encode(to: encoder)
        case .scriptCancel(let message): try message.encode(to: encoder)
        case .fileManagerOpen(let message), .fileManagerClose(let message): try message.encode(to: encoder)
        case .fileManagerRequest(let message): try message.encode(to: encoder)
        case .systemInfoRequest(let message): try message.encode(to: encoder)
        case .systemActionRequest(let message): try message.encode(to: encoder)
        case .chat(let message): try message.encode(to: encoder)
        case .command(let message): try message.encode(to: encoder)
        case .activity: break
        case .monitorScreenAnswer(let message): try message.encode(to: encoder)
        case .remoteRequest(let message): try message.encode(to: encoder)
        case .remoteStop(let message): try message.encode(to: encoder)
        case .remoteInput(let message): try message.encode(to: encoder)
        case .frameAck(let message): try message.encode(to: encoder)
        case .remoteSettings(let message): try message.encode(to: encoder)
        case .remoteTool(let message): try message.encode(to: encoder)
        case .elevate(let message): try message.encode(to: encoder)
        case .webrtcSignal(let message): try message.encode(to: encoder)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "chat": .chat(try Chat(from: decoder))
        case "command": .command(try Command(from: decoder))
        case "activity": .activity
        case "monitor_screen_answer": .monitorScreenAnswer(try MonitorScreenAnswer(from: decoder))
        case "remote_request": .remoteRequest(try RemoteRequest(from: decoder))
        case "remote_stop": .remoteStop(try RemoteStop(from: decoder))
        case "remote_input": .remoteInput(try RemoteInput(from: decoder))
        case "frame_ack": .frameAck(try FrameAck(from: decoder))
        case "remote_settings": .remoteSettings(try RemoteSettings(from: decoder))
        case "remote_tool": .remoteTool(try RemoteToolUse(from: decoder))
        case "elevate": .elevate(try Elevate(from: decoder))
        case "webrtc_signal": .webrtcSignal(try WebRTCSignalOfSession(from: decoder))
        case "file_manager_open": .fileManagerOpen(try SessionTarget(from: decoder))
        case "file_manager_close": .fileManagerClose(try SessionTarget(from: decoder))
        case "file_manager_request": .fileManagerRequest(try FileManagerRequestMessage(from: decoder))
        case "system_info_request": .systemInfoRequest(try SystemInfoRequestMessage(from: decoder))
        case "system_action_request": .systemActionRequest(try SystemActionRequestMessage(from: decoder))
        case "script_run_request": .scriptRunRequest(try ScriptRunRequestMessage(from: decoder))
        case "script_cancel": .scriptCancel(try ScriptCancelMessage(from: decoder))
        case "reboot_request": .rebootRequest(try RebootRequestMessage(from: decoder))
        case "unattended_request": .unattendedRequest(try UnattendedRequestMessage(from: decoder))
        default: nil
        }
    }

    /// The session a message is about (all but `activity`).
    public var sessionId: String? {
        switch self {
        case .chat(let message): message.sessionId
        case .command(let message): message.sessionId
        case .activity, .monitorScreenAnswer: nil
        case .remoteRequest(let message): message.sessionId
        case .remoteStop(let message): message.sessionId
        case .remoteInput(let message): message.sessionId
        case .frameAck(let message): message.sessionId
        case .remoteSettings(let message): message.sessionId
        case .remoteTool(let message): message.sessionId
        case .elevate(let message): message.sessionId
        case .webrtcSignal(let message): message.sessionId
        case .fileManagerOpen(let message), .fileManagerClose(let message): message.sessionId
        case .fileManagerRequest(let message): message.sessionId
        case .systemInfoRequest(let message): message.sessionId
        case .systemActionRequest(let message): message.sessionId
        case .scriptRunRequest(let message): message.sessionId
        case .scriptCancel(let message): message.sessionId
        case .rebootRequest(let message): message.sessionId
        case .unattendedRequest(let message): message.sessionId
        }
    }
}

/// Messages the gateway pushes to a technician console.
public enum GatewayToConsole: ChannelMessage, Equatable {
    /// First frame: the technician's whole queue.
    case snapshot(Snapshot)
    /// A session was created or changed state (including leaving the queue); under `session`.
    case session(SessionSummary)
    /// A new chat or status line in one session's log; under `entry`.
    case log(LogEntry)
    /// A colleague's (or one's own) status changed (A6); under `technician`.
    case technicianStatus(TechnicianStatusView)
    /// The remote desktop of a session was requested, started, denied or ended (J1, J2); under `remote`.
    case remote(RemoteStatus)
    /// The customer's clipboard or monitors, during a remote desktop (J10, J16).
    case remoteNotice(RemoteNoticeOfSession)
    /// A file transfer of one of the technician's sessions changed (D4, G1); under `file`.
    case file(FileTransferSummary)
    /// The customer's browser's offer and candidates for a direct path (issue 16).
    case webrtcSignal(WebRTCSignalOfSession)
    /// The file manager of a session was asked for, opened, refused or closed (K1).
    case fileManager(FileManagerStatus)
    /// The customer's side answered one `file_manager_request` (a listing in several pages).
    case fileManagerReply(FileManagerReplyMessage)
    /// The applet's answer to a `system_info_request`.
    case systemInfoReply(SystemInfoReplyMessage)
    case systemActionReply(SystemActionReplyMessage)
    /// A script run was sent to the applet, wrote output, ended (N2).
    case scriptStarted(ScriptStartedMessage)
    case scriptOutput(ScriptOutputMessage)
    case scriptFinished(ScriptFinishedMessage)
    /// What came of a `reboot_request` on the customer's side (M1–M3).
    case rebootResult(RebootResultMessage)
    /// What came of an `unattended_request` (F5).
    case unattendedResult(UnattendedResultMessage)
    /// An administrator's monitoring of a technician started, changed state or ended (E1); under `monitoring`.
    case monitoring(MonitoringSummary)
    /// The mirror of a monitored technician's console: their queue, a session, a log line (E1).
    case monitored(MonitoredUpdate)
    /// To a technician: an administrator started or stopped watching them (when the organisation says so).
    case monitorNotice(MonitorNotice)
    /// To a technician: an administrator monitoring them asks to see their screen, or stops (E1).
    case monitorScreenRequest(MonitorScreenRequest)
    /// Who shows their screen to the customer (H1), and the customer's acknowledgements that pace the sharer.
    case technicianScreen(TechnicianScreenStatus)
    case technicianScreenAck(ConsoleToGateway.FrameAck)
    /// The customer chose the colours of the technician's screen (H1): to the sharer's consoles.
    case technicianScreenQuality(ConsoleToGateway.RemoteSettings)
    case error(ErrorMessage)

    /// `snapshot`.
    public struct Snapshot: WireMessage {
        public let technicianId: String
        public let sessions: [SessionSummary]
        /// This console socket's id: its page's workers name it to open `/ws/screens` (issue 23).
        public let console: String?
        public init(technicianId: String, sessions: [SessionSummary], console: String? = nil) {
            self.technicianId = technicianId
            self.sessions = sessions
            self.console = console
        }
    }

    /// `remote_notice`.
    public struct RemoteNoticeOfSession: WireMessage {
        public let sessionId: String
        public let notice: RemoteNotice
        public init(sessionId: String, notice: RemoteNotice) { self.sessionId = sessionId; self.notice = notice }
    }

    public var type: String {
        switch self {
        case .snapshot: "snapshot"
        case .session: "session"
        case .log: "log"
        case .technicianStatus: "technician_status"
        case .remote: "remote"
        case .remoteNotice: "remote_notice"
        case .file: "file"
        case .webrtcSignal: "webrtc_signal"
        case .fileManager: "file_manager"
        case .fileManagerReply: "file_manager_reply"
        case .systemInfoReply: "system_info_reply"
        case .systemActionReply: "system_action_reply"
        case .scriptStarted: "script_started"
        case .scriptOutput: "script_output"
        case .scriptFinished: "script_finished"
        case .rebootResult: "reboot_result"
        case .unattendedResult: "unattended_result"
        case .monitoring: "monitoring"
        case .monitored: "monitored"
        case .monitorNotice: "monitor_notice"
        case .monitorScreenRequest: "monitor_screen_request"
        case .technicianScreen: "technician_screen"
        case .technicianScreenAck: "technician_screen_ack"
        case .technicianScreenQuality: "technician_screen_quality"
        case .error: "error"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .snapshot(let message): try message.encode(to: encoder)
        case .session(let summary): try encoder.encodeBody(summary, under: "session")
        case .log(let entry): try encoder.encodeBody(entry, under: "entry")
        case .technicianStatus(let view): try encoder.encodeBody(view, under: "technician")
        case .remote(let status): try encoder.encodeBody(status, under: "remote")
        case .remoteNotice(let message): try message.encode(to: encoder)
        case .file(let summary): try encoder.encodeBody(summary, under: "file")
        case .webrtcSignal(let message): try message.encode(to: encoder)
        case .fileManager(let message): try message.encode(to: encoder)
        case .fileManagerReply(let message): try message.encode(to: encoder)
        case .systemInfoReply(let message): try message.encode(to: encoder)
        case .systemActionReply(let message): try message.encode(to: encoder)
        case .scriptStarted(let message): try message.encode(to: encoder)
        case .scriptOutput(let message): try message.encode(to: encoder)
        case .scriptFinished(let message): try message.encode(to: encoder)
        case .rebootResult(let message): try message.encode(to: encoder)
        case .unattendedResult(let message): try message.encode(to: encoder)
        case .monitoring(let summary): try encoder.encodeBody(summary, under: "monitoring")
        case .monitored(let message): try message.encode(to: encoder)
        case .monitorNotice(let message): try message.encode(to: encoder)
        case .monitorScreenRequest(let message): try message.encode(to: encoder)
        case .technicianScreen(let message): try message.encode(to: encoder)
        case .technicianScreenAck(let message): try message.encode(to: encoder)
        case .technicianScreenQuality(let message): try message.encode(to: encoder)
        case .error(let message): try message.encode(to: encoder)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "snapshot": .snapshot(try Snapshot(from: decoder))
        case "session": .session(try decoder.decodeBody(under: "session"))
        case "log": .log(try decoder.decodeBody(under: "entry"))
        case "technician_status": .technicianStatus(try decoder.decodeBody(under: "technician"))
        case "remote": .remote(try decoder.decodeBody(under: "remote"))
        case "remote_notice": .remoteNotice(try RemoteNoticeOfSession(from: decoder))
        case "file": .file(try decoder.decodeBody(under: "file"))
        case "webrtc_signal": .webrtcSignal(try WebRTCSignalOfSession(from: decoder))
        case "file_manager": .fileManager(try FileManagerStatus(from: decoder))
        case "file_manager_reply": .fileManagerReply(try FileManagerReplyMessage(from: decoder))
        case "system_info_reply": .systemInfoReply(try SystemInfoReplyMessage(from: decoder))
        case "system_action_reply": .systemActionReply(try SystemActionReplyMessage(from: decoder))
        case "script_started": .scriptStarted(try ScriptStartedMessage(from: decoder))
        case "script_output": .scriptOutput(try ScriptOutputMessage(from: decoder))
        case "script_finished": .scriptFinished(try ScriptFinishedMessage(from: decoder))
        case "reboot_result": .rebootResult(try RebootResultMessage(from: decoder))
        case "unattended_result": .unattendedResult(try UnattendedResultMessage(from: decoder))
        case "monitoring": .monitoring(try decoder.decodeBody(under: "monitoring"))
        case "monitored": .monitored(try MonitoredUpdate(from: decoder))
        case "monitor_notice": .monitorNotice(try MonitorNotice(from: decoder))
        case "monitor_screen_request": .monitorScreenRequest(try MonitorScreenRequest(from: decoder))
        case "technician_screen": .technicianScreen(try TechnicianScreenStatus(from: decoder))
        case "technician_screen_ack": .technicianScreenAck(try ConsoleToGateway.FrameAck(from: decoder))
        case "technician_screen_quality": .technicianScreenQuality(try ConsoleToGateway.RemoteSettings(from: decoder))
        case "error": .error(try ErrorMessage(from: decoder))
        default: nil
        }
    }
}
