#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// Messages the customer's applet sends on `/ws/applet`.
public enum AppletToGateway: ChannelMessage, Equatable {
    /// First frame: the applet token from `POST /api/v1/customer/join`.
    case hello(Hello)
    case chat(Chat)
    /// The customer ends the session.
    case quit
    /// The customer's answer to a remote-desktop request (J1, J2).
    case remoteAnswer(RemoteAnswer)
    /// The remote desktop stopped on the customer's side: they took control back, or capture failed.
    case remoteEnded(ReasonMessage)
    /// The customer's clipboard or monitors (J10, J16); under `notice`.
    case remoteNotice(RemoteNotice)
    /// The elevated restart could not be done (J3): wrong password, no sudo …
    case elevationFailed(ReasonMessage)
    /// The customer's answer to `file_offer` (D4); on yes the applet then downloads it.
    case fileAnswer(FileAnswer)
    /// The applet saved the file (with the MD5 of what it wrote), or could not.
    case fileResult(FileResult)
    /// Instant Chat (G2): the customer answered "Not now" to the invitation to download the applet.
    case appletDeclined
    /// The Calling Card offer's outcome (O1): installed, refused by the customer, or failed.
    case callingCardResult(CallingCardResult)
    /// A browser sharing its screen: its offer and candidates for a direct path (issue 16).
    case webrtcSignal(WebRTCSignal)
    /// A browser sharing its screen: how its pictures travel now (direct, or through the gateway).
    case screenTransport(ScreenTransportMessage)
    /// The customer's answer to `file_manager_open` (K1).
    case fileManagerAnswer(RemoteAnswer)
    /// The customer closed the file manager (their red X, Stop everything).
    case fileManagerClosed(ReasonMessage)
    /// The answer to one `file_manager_request`; a listing comes in several.
    case fileManagerReply(FileManagerReplyMessage)
    /// The answer to a `system_info_request`.
    case systemInfoReply(SystemInfoReplyMessage)
    /// What came of a `system_action_request`.
    case systemActionReply(SystemActionReplyMessage)
    /// A script's output as it comes, then how it ended (N2).
    case scriptOutput(ScriptOutputMessage)
    case scriptFinished(ScriptFinishedMessage)
    /// What came of a `reboot` order: restarting now, refused by the customer, or failed (M1–M3).
    case rebootResult(RebootResultMessage)
    /// The customer's answer to `unattended_offer` (F5); on yes the agent enrols next.
    case unattendedAnswer(RemoteAnswer)
    /// The customer restarts the machine themselves (logind's PrepareForShutdown), or it did not happen after all (C7).
    case customerRestart(CustomerRestartMessage)
    /// The technician's screen (H1): an update drawn in its window; the customer closed the window;
    /// the customer chose its colours (a lower quality costs fewer bytes; very low is greyscale).
    case technicianScreenAck(GatewayToApplet.FrameAck)
    case technicianScreenClosed
    case technicianScreenQuality(GatewayToApplet.RemoteSettings)

    /// `hello`.
    public struct Hello: WireMessage {
        public let token: String
        public let appletVersion: String
        public let customer: CustomerInfo
        /// The first hello of an applet started again (closed, crashed) with its saved token (issue 16).
        public let rejoining: Bool?
        public init(token: String, appletVersion: String, customer: CustomerInfo, rejoining: Bool? = nil) {
            self.token = token
            self.appletVersion = appletVersion
            self.customer = customer
            self.rejoining = rejoining
        }
    }

    /// `chat`: a line from the customer.
    public struct Chat: WireMessage {
        public let text: String
        public init(text: String) { self.text = text }
    }

    /// `remote_answer`.
    public struct RemoteAnswer: WireMessage {
        public let accepted: Bool
        public init(accepted: Bool) { self.accepted = accepted }
    }

    public var type: String {
        switch self {
        case .hello: "hello"
        case .chat: "chat"
        case .quit: "quit"
        case .remoteAnswer: "remote_answer"
        case .remoteEnded: "remote_ended"
        case .remoteNotice: "remote_notice"
        case .elevationFailed: "elevation_failed"
        case .fileAnswer: "file_answer"
        case .fileResult: "file_result"
        case .appletDeclined: "applet_declined"
        case .callingCardResult: "calling_card_result"
        case .webrtcSignal: "webrtc_signal"
        case .screenTransport: "screen_transport"
        case .fileManagerAnswer: "file_manager_answer"
        case .fileManagerClosed: "file_manager_closed"
        case .fileManagerReply: "file_manager_reply"
        case .systemInfoReply: "system_info_reply"
        case .systemActionReply: "system_action_reply"
        case .scriptOutput: "script_output"
        case .scriptFinished: "script_finished"
        case .rebootResult: "reboot_result"
        case .unattendedAnswer: "unattended_answer"
        case .customerRestart: "customer_restart"
        case .technicianScreenAck: "technician_screen_ack"
        case .technicianScreenClosed: "technician_screen_closed"
        case .technicianScreenQuality: "technician_screen_quality"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .scriptOutput(let message): try message.encode(to: encoder)
        case .scriptFinished(let message): try message.encode(to: encoder)
        case .rebootResult(let message): try message.encode(to: encoder)
        case .unattendedAnswer(let message): try message.encode(to: encoder)
        case .customerRestart(let message): try message.encode(to: encoder)
        case .technicianScreenAck(let message): try message.encode(to: encoder)
        case .technicianScreenClosed: break
        case .technicianScreenQuality(let message): try message.encode(to: encoder)
        case .hello(let message): try message.encode(to: encoder)
        case .chat(let message): try message.encode(to: encoder)
        case .quit, .appletDeclined: break
        case .remoteAnswer(let message): try message.encode(to: encoder)
        case .remoteEnded(let message), .elevationFailed(let message): try message.encode(to: encoder)
        case .remoteNotice(let notice): try encoder.encodeBody(notice, under: "notice")
        case .fileAnswer(let message): try message.encode(to: encoder)
        case .fileResult(let message): try message.encode(to: encoder)
        case .callingCardResult(let message): try message.encode(to: encoder)
        case .webrtcSignal(let signal): try encoder.encodeBody(signal, under: "signal")
        case .screenTransport(let message): try message.encode(to: encoder)
        case .fileManagerAnswer(let message): try message.encode(to: encoder)
        case .fileManagerClosed(let message): try message.encode(to: encoder)
        case .fileManagerReply(let message): try message.encode(to: encoder)
        case .systemInfoReply(let message): try message.encode(to: encoder)
        case .systemActionReply(let message): try message.encode(to: encoder)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "hello": .hello(try Hello(from: decoder))
        case "chat": .chat(try Chat(from: decoder))
        case "quit": .quit
        case "remote_answer": .remoteAnswer(try RemoteAnswer(from: decoder))
        case "remote_ended": .remoteEnded(try ReasonMessage(from: decoder))
        case "remote_notice": .remoteNotice(try decoder.decodeBody(under: "notice"))
        case "elevation_failed": .elevationFailed(try ReasonMessage(from: decoder))
        case "file_answer": .fileAnswer(try FileAnswer(from: decoder))
        case "file_result": .fileResult(try FileResult(from: decoder))
        case "applet_declined": .appletDeclined
        case "calling_card_result": .callingCardResult(try CallingCardResult(from: decoder))
        case "webrtc_signal": .webrtcSignal(try decoder.decodeBody(under: "signal"))
        case "screen_transport": .screenTransport(try ScreenTransportMessage(from: decoder))
        case "file_manager_answer": .fileManagerAnswer(try RemoteAnswer(from: decoder))
        case "file_manager_closed": .fileManagerClosed(try ReasonMessage(from: decoder))
        case "file_manager_reply": .fileManagerReply(try FileManagerReplyMessage(from: decoder))
        case "system_info_reply": .systemInfoReply(try SystemInfoReplyMessage(from: decoder))
        case "system_action_reply": .systemActionReply(try SystemActionReplyMessage(from: decoder))
        case "script_output": .scriptOutput(try ScriptOutputMessage(from: decoder))
        case "script_finished": .scriptFinished(try ScriptFinishedMessage(from: decoder))
        case "reboot_result": .rebootResult(try RebootResultMessage(from: decoder))
        case "unattended_answer": .unattendedAnswer(try RemoteAnswer(from: decoder))
        case "customer_restart": .customerRestart(try CustomerRestartMessage(from: decoder))
        case "technician_screen_ack": .technicianScreenAck(try GatewayToApplet.FrameAck(from: decoder))
        case "technician_screen_closed": .technicianScreenClosed
        case "technician_screen_quality": .technicianScreenQuality(try GatewayToApplet.RemoteSettings(from: decoder))
        default: nil
        }
    }
}

/// Messages the gateway sends to the applet.
public enum GatewayToApplet: ChannelMessage, Equatable {
    /// Answer to hello: who the customer is talking to.
    case welcome(Welcome)
    /// A chat line; under `entry`.
    case chat(LogEntry)
    /// The session changed state (technician joined, held, resumed …); under `entry`.
    case status(LogEntry)
    /// Another technician took the session over (a transfer).
    case technicianChanged(TechnicianChanged)
    /// The session is over; the applet exits.
    case ended(ReasonMessage)
    case error(ErrorMessage)
    /// The technician asks to see (and control) the screen; the customer must accept (J1, J2).
    case remoteRequest(RemoteRequest)
    /// The remote desktop ends (technician's red X, hold, transfer).
    case remoteStop(ReasonMessage)
    /// Mouse and keyboard from the technician (control mode, after the customer accepted); under `events`.
    case input([InputEvent])
    /// The console drew screen update `sequence` (flow control).
    case frameAck(FrameAck)
    /// Colour quality chosen by the technician (J7).
    case remoteSettings(RemoteSettings)
    /// A toolbar tool, already checked by the gateway (J10, J12, J13, J16); under `tool`.
    case remoteTool(RemoteTool)
    /// The technician started or stopped recording the screen (J14): the customer is told.
    case recording(RecordingNotice)
    /// Who sees the customer's screen now, and who uses the mouse and keyboard (issue 21): sent
    /// whenever it changes while the remote desktop runs.
    case remoteViewers(RemoteViewers)
    /// Send the whole screen with the next update: a viewer joined, or one fell too far behind.
    case screenRefresh
    /// Show the technician's screen in a window, or close it (H1).
    case technicianScreen(TechnicianScreenNotice)
    /// Restart with administrator rights (J3), with the credentials the technician entered.
    case elevate(Elevate)
    /// The technician offers a file (D4): the customer accepts and picks a folder, or declines; under `offer`.
    case fileOffer(FileOffer)
    /// The offered file will not come (the technician's upload stopped, or the session moved on).
    case fileCancelled(FileCancelled)
    /// Open this link in the customer's default browser, after showing it (D3).
    case openURL(OpenURL)
    /// Instant Chat (G2): the technician invites the customer to download the applet; `linkToken`
    /// is a one-time link (`/c/<token>`) that joins the applet to this same session.
    case appletInvitation(AppletInvitation)
    /// Instant Chat: the applet took the session over; the browser page stops here.
    case movedToApplet
    /// The customer survey (D5): the applet opens it in the browser, Instant Chat shows the link.
    case survey(Survey)
    /// The technician turned the chat on or off for this session (D1); sent after `welcome` when off.
    case chatSwitched(ChatSwitched)
    /// Install this Calling Card (O1), if the customer agrees; under `offer`.
    case callingCardOffer(CallingCardOffer)
    /// An external technician joined or left the session (I2): the customer always knows who is there.
    case collaborator(CollaboratorPresence)
    /// To a browser sharing its screen: the console's answer and candidates (issue 16).
    case webrtcSignal(WebRTCSignal)
    /// The technician asks to open the file manager (K1): the customer must agree.
    case fileManagerOpen(FileManagerOpen)
    /// The file manager closes (technician, hold, transfer, end).
    case fileManagerClose(ReasonMessage)
    /// One operation on the customer's files, already checked by the gateway; the applet checks
    /// the customer's consent and the path itself.
    case fileManagerRequest(FileManagerRequestMessage)
    /// One view of this machine (L1–L8), answered by `system_info_reply`.
    case systemInfoRequest(SystemInfoRequestMessage)
    /// A change on this machine, already checked by the gateway (`system_actions`).
    case systemActionRequest(SystemActionRequestMessage)
    /// Run a script, already checked by the gateway (`deploy_scripts`); the applet checks its hash
    /// and parameters again (N2).
    case scriptRun(ScriptRunOrder)
    /// Stop a run: the technician asked, or the session was held, transferred or ended.
    case scriptCancel(ScriptCancelMessage)
    /// Restart this machine once the customer agrees, and rejoin with the ticket (M1–M3).
    case reboot(RebootOrder)
    /// Ask the customer for unattended access (F5), with the enrolment token for their yes.
    case unattendedOffer(UnattendedOffer)
    /// The answer to `customer_restart` starting: the ticket to rejoin with after the boot, or none.
    case resumeTicket(ResumeTicketMessage)

    public var type: String {
        switch self {
        case .welcome: "welcome"
        case .chat: "chat"
        case .status: "status"
        case .technicianChanged: "technician_changed"
        case .collaborator: "collaborator"
        case .webrtcSignal: "webrtc_signal"
        case .ended: "ended"
        case .error: "error"
        case .remoteRequest: "remote_request"
        case .remoteStop: "remote_stop"
        case .input: "input"
        case .frameAck: "frame_ack"
        case .remoteSettings: "remote_settings"
        case .remoteTool: "remote_tool"
        case .recording: "recording"
        case .remoteViewers: "remote_viewers"
        case .screenRefresh: "screen_refresh"
        case .technicianScreen: "technician_screen"
        case .elevate: "elevate"
        case .fileOffer: "file_offer"
        case .fileCancelled: "file_cancelled"
        case .openURL: "open_url"
        case .appletInvitation: "applet_invitation"
        case .movedToApplet: "moved_to_applet"
        case .survey: "survey"
        case .chatSwitched: "chat_switched"
        case .callingCardOffer: "calling_card_offer"
        case .fileManagerOpen: "file_manager_open"
        case .fileManagerClose: "file_manager_close"
        case .fileManagerRequest: "file_manager_request"
        case .systemInfoRequest: "system_info_request"
        case .systemActionRequest: "system_action_request"
        case .scriptRun: "script_run"
        case .scriptCancel: "script_cancel"
        case .reboot: "reboot"
        case .unattendedOffer: "unattended_offer"
        case .resumeTicket: "resume_ticket"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .welcome(let message): try message.encode(to: encoder)
        case .chat(let entry), .status(let entry): try encoder.encodeBody(entry, under: "entry")
        case .technicianChanged(let message): try message.encode(to: encoder)
        case .collaborator(let message): try message.encode(to: encoder)
        case .webrtcSignal(let signal): try encoder.encodeBody(signal, under: "signal")
        case .ended(let message), .remoteStop(let message): try message.encode(to: encoder)
        case .error(let message): try message.encode(to: encoder)
        case .remoteRequest(let message): try message.encode(to: encoder)
        case .input(let events): try encoder.encodeBody(events, under: "events")
        case .frameAck(let message): try message.encode(to: encoder)
        case .remoteSettings(let message): try message.encode(to: encoder)
        case .remoteTool(let tool): try encoder.encodeBody(tool, under: "tool")
        case .recording(let message): try message.encode(to: encoder)
        case .remoteViewers(let message): try message.encode(to: encoder)
        case .screenRefresh: break
        case .technicianScreen(let message): try message.encode(to: encoder)
        case .elevate(let message): try message.encode(to: encoder)
        case .fileOffer(let offer): try encoder.encodeBody(offer, under: "offer")
        case .fileCancelled(let message): try message.encode(to: encoder)
        case .openURL(let message): try message.encode(to: encoder)
        case .appletInvitation(let message): try message.encode(to: encoder)
        case .movedToApplet: break
        case .survey(let message): try message.encode(to: encoder)
        case .chatSwitched(let message): try message.encode(to: encoder)
        case .callingCardOffer(let offer): try encoder.encodeBody(offer, under: "offer")
        case .fileManagerOpen(let message): try message.encode(to: encoder)
        case .fileManagerClose(let message): try message.encode(to: encoder)
        case .fileManagerRequest(let message): try message.encode(to: encoder)
        case .systemInfoRequest(let message): try message.encode(to: encoder)
        case .systemActionRequest(let message): try message.encode(to: encoder)
        case .scriptRun(let message): try message.encode(to: encoder)
        case .scriptCancel(let message): try message.encode(to: encoder)
        case .reboot(let message): try message.encode(to: encoder)
        case .unattendedOffer(let message): try message.encode(to: encoder)
        case .resumeTicket(let message): try message.encode(to: encoder)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "welcome": .welcome(try Welcome(from: decoder))
        case "chat": .chat(try decoder.decodeBody(under: "entry"))
        case "status": .status(try decoder.decodeBody(under: "entry"))
        case "technician_changed": .technicianChanged(try TechnicianChanged(from: decoder))
        case "collaborator": .collaborator(try CollaboratorPresence(from: decoder))
        case "webrtc_signal": .webrtcSignal(try decoder.decodeBody(under: "signal"))
        case "ended": .ended(try ReasonMessage(from: decoder))
        case "error": .error(try ErrorMessage(from: decoder))
        case "remote_request": .remoteRequest(try RemoteRequest(from: decoder))
        case "remote_stop": .remoteStop(try ReasonMessage(from: decoder))
        case "input": .input(try decoder.decodeBody(under: "events"))
        case "frame_ack": .frameAck(try FrameAck(from: decoder))
        case "remote_settings": .remoteSettings(try RemoteSettings(from: decoder))
        case "remote_tool": .remoteTool(try decoder.decodeBody(under: "tool"))
        case "recording": .recording(try RecordingNotice(from: decoder))
        case "remote_viewers": .remoteViewers(try RemoteViewers(from: decoder))
        case "screen_refresh": .screenRefresh
        case "technician_screen": .technicianScreen(try TechnicianScreenNotice(from: decoder))
        case "elevate": .elevate(try Elevate(from: decoder))
        case "file_offer": .fileOffer(try decoder.decodeBody(under: "offer"))
        case "file_cancelled": .fileCancelled(try FileCancelled(from: decoder))
        case "open_url": .openURL(try OpenURL(from: decoder))
        case "applet_invitation": .appletInvitation(try AppletInvitation(from: decoder))
        case "moved_to_applet": .movedToApplet
        case "calling_card_offer": .callingCardOffer(try decoder.decodeBody(under: "offer"))
        case "chat_switched": .chatSwitched(try ChatSwitched(from: decoder))
        case "survey": .survey(try Survey(from: decoder))
        case "file_manager_open": .fileManagerOpen(try FileManagerOpen(from: decoder))
        case "file_manager_close": .fileManagerClose(try ReasonMessage(from: decoder))
        case "file_manager_request": .fileManagerRequest(try FileManagerRequestMessage(from: decoder))
        case "system_info_request": .systemInfoRequest(try SystemInfoRequestMessage(from: decoder))
        case "system_action_request": .systemActionRequest(try SystemActionRequestMessage(from: decoder))
        case "script_run": .scriptRun(try ScriptRunOrder(from: decoder))
        case "script_cancel": .scriptCancel(try ScriptCancelMessage(from: decoder))
        case "reboot": .reboot(try RebootOrder(from: decoder))
        case "unattended_offer": .unattendedOffer(try UnattendedOffer(from: decoder))
        case "resume_ticket": .resumeTicket(try ResumeTicketMessage(from: decoder))
        default: nil
        }
    }
}
