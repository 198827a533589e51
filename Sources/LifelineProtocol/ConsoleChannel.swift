import Foundation
import LifelineCore

/// What a technician can do to a session from the console's toolbar.
public enum SessionCommand: String, Codable, Sendable, CaseIterable {
    case start
    case hold
    case end
}

/// Messages the technician console sends on `/ws/console`.
public enum ConsoleToGateway: ChannelMessage, Equatable {
    case chat(sessionId: String, text: String)
    case command(sessionId: String, command: SessionCommand)
    /// The technician is at the console (keyboard or mouse), sent at most every 30 seconds: it
    /// keeps them from turning Away automatically.
    case activity
    /// Ask the customer for remote control or desktop view (J1, J2).
    case remoteRequest(sessionId: String, mode: RemoteMode)
    /// The technician's red X: the remote desktop ends, the session stays active.
    case remoteStop(sessionId: String)
    /// Mouse and keyboard for the customer's screen (control mode only); at most 200 events a frame.
    case remoteInput(sessionId: String, events: [InputEvent])
    /// The console drew screen update `sequence`: the applet may send the next ones (flow control).
    case frameAck(sessionId: String, sequence: UInt32)
    /// Colour quality of the remote screen (J7).
    case remoteSettings(sessionId: String, quality: RemoteQuality)
    /// A toolbar tool acting on the customer's side: clipboard, whiteboard, laser, monitor (J10–J16).
    case remoteTool(sessionId: String, tool: RemoteTool)
    /// Restart the customer's applet with administrator rights (J3).
    case elevate(sessionId: String, credentials: ElevationCredentials)

    private enum Keys: String, CodingKey { case sessionId, text, command, mode, events, sequence, quality, tool, credentials }

    public var type: String {
        switch self {
        case .chat: "chat"
        case .command: "command"
        case .activity: "activity"
        case .remoteRequest: "remote_request"
        case .remoteStop: "remote_stop"
        case .remoteInput: "remote_input"
        case .frameAck: "frame_ack"
        case .remoteSettings: "remote_settings"
        case .remoteTool: "remote_tool"
        case .elevate: "elevate"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .chat(let id, let text):
            try c.encode(id, forKey: .sessionId)
            try c.encode(text, forKey: .text)
        case .command(let id, let command):
            try c.encode(id, forKey: .sessionId)
            try c.encode(command, forKey: .command)
        case .activity:
            break
        case .remoteRequest(let id, let mode):
            try c.encode(id, forKey: .sessionId)
            try c.encode(mode, forKey: .mode)
        case .remoteStop(let id):
            try c.encode(id, forKey: .sessionId)
        case .remoteInput(let id, let events):
            try c.encode(id, forKey: .sessionId)
            try c.encode(events, forKey: .events)
        case .frameAck(let id, let sequence):
            try c.encode(id, forKey: .sessionId)
            try c.encode(sequence, forKey: .sequence)
        case .remoteSettings(let id, let quality):
            try c.encode(id, forKey: .sessionId)
            try c.encode(quality, forKey: .quality)
        case .remoteTool(let id, let tool):
            try c.encode(id, forKey: .sessionId)
            try c.encode(tool, forKey: .tool)
        case .elevate(let id, let credentials):
            try c.encode(id, forKey: .sessionId)
            try c.encode(credentials, forKey: .credentials)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        let c = try decoder.container(keyedBy: Keys.self)
        switch type {
        case "chat": return .chat(sessionId: try c.decode(String.self, forKey: .sessionId), text: try c.decode(String.self, forKey: .text))
        case "command": return .command(sessionId: try c.decode(String.self, forKey: .sessionId),
                                        command: try c.decode(SessionCommand.self, forKey: .command))
        case "activity": return .activity
        case "remote_request": return .remoteRequest(sessionId: try c.decode(String.self, forKey: .sessionId),
                                                      mode: try c.decode(RemoteMode.self, forKey: .mode))
        case "remote_stop": return .remoteStop(sessionId: try c.decode(String.self, forKey: .sessionId))
        case "remote_input": return .remoteInput(sessionId: try c.decode(String.self, forKey: .sessionId),
                                                  events: try c.decode([InputEvent].self, forKey: .events))
        case "frame_ack": return .frameAck(sessionId: try c.decode(String.self, forKey: .sessionId),
                                            sequence: try c.decode(UInt32.self, forKey: .sequence))
        case "remote_settings": return .remoteSettings(sessionId: try c.decode(String.self, forKey: .sessionId),
                                                        quality: try c.decode(RemoteQuality.self, forKey: .quality))
        case "remote_tool": return .remoteTool(sessionId: try c.decode(String.self, forKey: .sessionId),
                                                tool: try c.decode(RemoteTool.self, forKey: .tool))
        case "elevate": return .elevate(sessionId: try c.decode(String.self, forKey: .sessionId),
                                        credentials: try c.decode(ElevationCredentials.self, forKey: .credentials))
        default: return nil
        }
    }
}

/// Messages the gateway pushes to a technician console.
public enum GatewayToConsole: ChannelMessage, Equatable {
    /// First frame: the technician's whole queue.
    case snapshot(technicianId: String, sessions: [SessionSummary])
    /// A session was created or changed state (including leaving the queue).
    case session(SessionSummary)
    /// A new chat or status line in one session's log.
    case log(LogEntry)
    /// A colleague's (or one's own) status changed (A6).
    case technicianStatus(TechnicianStatusView)
    /// The remote desktop of a session was requested, started, denied or ended (J1, J2).
    case remote(RemoteStatus)
    /// The customer's clipboard or monitors, during a remote desktop (J10, J16).
    case remoteNotice(sessionId: String, notice: RemoteNotice)
    /// A file transfer of one of the technician's sessions changed (D4, G1).
    case file(FileTransferSummary)
    case error(code: String, message: String, sessionId: String?)

    private enum Keys: String, CodingKey { case technicianId, sessions, session, entry, code, message, sessionId, technician, remote, notice, file }

    public var type: String {
        switch self {
        case .snapshot: "snapshot"
        case .session: "session"
        case .log: "log"
        case .technicianStatus: "technician_status"
        case .remote: "remote"
        case .remoteNotice: "remote_notice"
        case .file: "file"
        case .error: "error"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .snapshot(let technicianId, let sessions):
            try c.encode(technicianId, forKey: .technicianId)
            try c.encode(sessions, forKey: .sessions)
        case .session(let summary):
            try c.encode(summary, forKey: .session)
        case .log(let entry):
            try c.encode(entry, forKey: .entry)
        case .technicianStatus(let view):
            try c.encode(view, forKey: .technician)
        case .remote(let status):
            try c.encode(status, forKey: .remote)
        case .remoteNotice(let id, let notice):
            try c.encode(id, forKey: .sessionId)
            try c.encode(notice, forKey: .notice)
        case .file(let summary):
            try c.encode(summary, forKey: .file)
        case .error(let code, let message, let sessionId):
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
            try c.encodeIfPresent(sessionId, forKey: .sessionId)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        let c = try decoder.container(keyedBy: Keys.self)
        switch type {
        case "snapshot": return .snapshot(technicianId: try c.decode(String.self, forKey: .technicianId),
                                          sessions: try c.decode([SessionSummary].self, forKey: .sessions))
        case "session": return .session(try c.decode(SessionSummary.self, forKey: .session))
        case "log": return .log(try c.decode(LogEntry.self, forKey: .entry))
        case "technician_status": return .technicianStatus(try c.decode(TechnicianStatusView.self, forKey: .technician))
        case "remote": return .remote(try c.decode(RemoteStatus.self, forKey: .remote))
        case "remote_notice": return .remoteNotice(sessionId: try c.decode(String.self, forKey: .sessionId),
                                                    notice: try c.decode(RemoteNotice.self, forKey: .notice))
        case "file": return .file(try c.decode(FileTransferSummary.self, forKey: .file))
        case "error": return .error(code: try c.decode(String.self, forKey: .code), message: try c.decode(String.self, forKey: .message),
                                    sessionId: try c.decodeIfPresent(String.self, forKey: .sessionId))
        default: return nil
        }
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
