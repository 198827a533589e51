import Foundation
import LifelineCore

/// Messages the customer's applet sends on `/ws/applet`.
public enum AppletToGateway: ChannelMessage, Equatable {
    /// First frame: the applet token from `POST /api/v1/customer/join`.
    case hello(token: String, appletVersion: String, customer: CustomerInfo)
    case chat(text: String)
    /// The customer ends the session.
    case quit
    /// The customer's answer to a remote-desktop request (J1, J2).
    case remoteAnswer(accepted: Bool)
    /// The remote desktop stopped on the customer's side: they took control back, or capture failed.
    case remoteEnded(reason: String)
    /// The customer's clipboard or monitors (J10, J16).
    case remoteNotice(RemoteNotice)
    /// The elevated restart could not be done (J3): wrong password, no sudo …
    case elevationFailed(reason: String)
    /// The customer's answer to `file_offer` (D4); on yes the applet then downloads it.
    case fileAnswer(id: String, accepted: Bool)
    /// The applet saved the file (with the MD5 of what it wrote), or could not.
    case fileResult(id: String, md5: String?, error: String?)
    /// Instant Chat (G2): the customer answered "Not now" to the invitation to download the applet.
    case appletDeclined
    /// The Calling Card offer's outcome (O1): installed, refused by the customer, or failed.
    case callingCardResult(installed: Bool, error: String?)

    private enum Keys: String, CodingKey { case token, appletVersion, customer, text, accepted, reason, notice, id, md5, error, installed }

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
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .hello(let token, let version, let customer):
            try c.encode(token, forKey: .token)
            try c.encode(version, forKey: .appletVersion)
            try c.encode(customer, forKey: .customer)
        case .chat(let text):
            try c.encode(text, forKey: .text)
        case .quit:
            break
        case .remoteAnswer(let accepted):
            try c.encode(accepted, forKey: .accepted)
        case .remoteEnded(let reason):
            try c.encode(reason, forKey: .reason)
        case .remoteNotice(let notice):
            try c.encode(notice, forKey: .notice)
        case .elevationFailed(let reason):
            try c.encode(reason, forKey: .reason)
        case .fileAnswer(let id, let accepted):
            try c.encode(id, forKey: .id)
            try c.encode(accepted, forKey: .accepted)
        case .fileResult(let id, let md5, let error):
            try c.encode(id, forKey: .id)
            try c.encodeIfPresent(md5, forKey: .md5)
            try c.encodeIfPresent(error, forKey: .error)
        case .appletDeclined:
            break
        case .callingCardResult(let installed, let error):
            try c.encode(installed, forKey: .installed)
            try c.encodeIfPresent(error, forKey: .error)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        let c = try decoder.container(keyedBy: Keys.self)
        switch type {
        case "hello":
            return .hello(token: try c.decode(String.self, forKey: .token),
                          appletVersion: try c.decode(String.self, forKey: .appletVersion),
                          customer: try c.decode(CustomerInfo.self, forKey: .customer))
        case "chat": return .chat(text: try c.decode(String.self, forKey: .text))
        case "quit": return .quit
        case "remote_answer": return .remoteAnswer(accepted: try c.decode(Bool.self, forKey: .accepted))
        case "remote_ended": return .remoteEnded(reason: try c.decode(String.self, forKey: .reason))
        case "remote_notice": return .remoteNotice(try c.decode(RemoteNotice.self, forKey: .notice))
        case "elevation_failed": return .elevationFailed(reason: try c.decode(String.self, forKey: .reason))
        case "file_answer": return .fileAnswer(id: try c.decode(String.self, forKey: .id), accepted: try c.decode(Bool.self, forKey: .accepted))
        case "file_result": return .fileResult(id: try c.decode(String.self, forKey: .id), md5: try c.decodeIfPresent(String.self, forKey: .md5),
                                               error: try c.decodeIfPresent(String.self, forKey: .error))
        case "applet_declined": return .appletDeclined
        case "calling_card_result": return .callingCardResult(installed: try c.decode(Bool.self, forKey: .installed),
                                                              error: try c.decodeIfPresent(String.self, forKey: .error))
        default: return nil
        }
    }
}

/// Messages the gateway sends to the applet.
public enum GatewayToApplet: ChannelMessage, Equatable {
    /// Answer to hello: who the customer is talking to.
    case welcome(sessionId: String, technicianName: String, organisation: String, state: SessionState)
    case chat(LogEntry)
    /// The session changed state (technician joined, held, resumed …).
    case status(LogEntry)
    /// Another technician took the session over (a transfer).
    case technicianChanged(name: String)
    /// The session is over; the applet exits.
    case ended(reason: String)
    case error(code: String, message: String)
    /// The technician asks to see (and control) the screen; the customer must accept (J1, J2).
    case remoteRequest(mode: RemoteMode, technicianName: String)
    /// The remote desktop ends (technician's red X, hold, transfer).
    case remoteStop(reason: String)
    /// Mouse and keyboard from the technician (control mode, after the customer accepted).
    case input([InputEvent])
    /// The console drew screen update `sequence` (flow control).
    case frameAck(sequence: UInt32)
    /// Colour quality chosen by the technician (J7).
    case remoteSettings(quality: RemoteQuality)
    /// A toolbar tool, already checked by the gateway (J10, J12, J13, J16).
    case remoteTool(RemoteTool)
    /// The technician started or stopped recording the screen (J14): the customer is told.
    case recording(active: Bool, technicianName: String)
    /// Restart with administrator rights (J3), with the credentials the technician entered.
    case elevate(ElevationCredentials, technicianName: String)
    /// The technician offers a file (D4): the customer accepts and picks a folder, or declines.
    case fileOffer(FileOffer)
    /// The offered file will not come (the technician's upload stopped, or the session moved on).
    case fileCancelled(id: String, reason: String)
    /// Open this link in the customer's default browser, after showing it (D3).
    case openURL(String, technicianName: String)
    /// Instant Chat (G2): the technician invites the customer to download the applet; `linkToken`
    /// is a one-time link (`/c/<token>`) that joins the applet to this same session.
    case appletInvitation(linkToken: String, technicianName: String)
    /// Instant Chat: the applet took the session over; the browser page stops here.
    case movedToApplet
    /// The customer survey (D5): the applet opens it in the browser, Instant Chat shows the link.
    case survey(url: String, technicianName: String)
    /// The technician turned the chat on or off for this session (D1); sent after `welcome` when off.
    case chatSwitched(enabled: Bool)
    /// Install this Calling Card (O1), if the customer agrees.
    case callingCardOffer(CallingCardOffer)
    /// An external technician joined or left the session (I2): the customer always knows who is there.
    case collaborator(name: String, joined: Bool)

    private enum Keys: String, CodingKey {
        case sessionId, technicianName, organisation, state, entry, reason, code, message, name, mode, events, sequence, quality, tool, active,
             credentials, offer, id, url, linkToken, enabled, joined
    }

    public var type: String {
        switch self {
        case .welcome: "welcome"
        case .chat: "chat"
        case .status: "status"
        case .technicianChanged: "technician_changed"
        case .collaborator: "collaborator"
        case .ended: "ended"
        case .error: "error"
        case .remoteRequest: "remote_request"
        case .remoteStop: "remote_stop"
        case .input: "input"
        case .frameAck: "frame_ack"
        case .remoteSettings: "remote_settings"
        case .remoteTool: "remote_tool"
        case .recording: "recording"
        case .elevate: "elevate"
        case .fileOffer: "file_offer"
        case .fileCancelled: "file_cancelled"
        case .openURL: "open_url"
        case .appletInvitation: "applet_invitation"
        case .movedToApplet: "moved_to_applet"
        case .survey: "survey"
        case .chatSwitched: "chat_switched"
        case .callingCardOffer: "calling_card_offer"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .welcome(let id, let name, let organisation, let state):
            try c.encode(id, forKey: .sessionId)
            try c.encode(name, forKey: .technicianName)
            try c.encode(organisation, forKey: .organisation)
            try c.encode(state, forKey: .state)
        case .chat(let entry), .status(let entry):
            try c.encode(entry, forKey: .entry)
        case .technicianChanged(let name):
            try c.encode(name, forKey: .name)
        case .collaborator(let name, let joined):
            try c.encode(name, forKey: .name)
            try c.encode(joined, forKey: .joined)
        case .ended(let reason):
            try c.encode(reason, forKey: .reason)
        case .error(let code, let message):
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
        case .remoteRequest, .remoteStop, .input, .frameAck, .remoteSettings, .remoteTool, .recording, .elevate:
            try encodeRemoteDesktopFields(into: &c)
        case .fileOffer(let offer):
            try c.encode(offer, forKey: .offer)
        case .fileCancelled(let id, let reason):
            try c.encode(id, forKey: .id)
            try c.encode(reason, forKey: .reason)
        case .openURL(let url, let name):
            try c.encode(url, forKey: .url)
            try c.encode(name, forKey: .technicianName)
        case .appletInvitation(let token, let name):
            try c.encode(token, forKey: .linkToken)
            try c.encode(name, forKey: .technicianName)
        case .movedToApplet:
            break
        case .survey(let url, let name):
            try c.encode(url, forKey: .url)
            try c.encode(name, forKey: .technicianName)
        case .chatSwitched(let enabled):
            try c.encode(enabled, forKey: .enabled)
        case .callingCardOffer(let offer):
            try c.encode(offer, forKey: .offer)
        }
    }

    /// The remote desktop's messages (J1–J16) and elevation (J3).
    private func encodeRemoteDesktopFields(into c: inout KeyedEncodingContainer<Keys>) throws {
        switch self {
        case .remoteRequest(let mode, let name):
            try c.encode(mode, forKey: .mode)
            try c.encode(name, forKey: .technicianName)
        case .remoteStop(let reason):
            try c.encode(reason, forKey: .reason)
        case .input(let events):
            try c.encode(events, forKey: .events)
        case .frameAck(let sequence):
            try c.encode(sequence, forKey: .sequence)
        case .remoteSettings(let quality):
            try c.encode(quality, forKey: .quality)
        case .remoteTool(let tool):
            try c.encode(tool, forKey: .tool)
        case .recording(let active, let name):
            try c.encode(active, forKey: .active)
            try c.encode(name, forKey: .technicianName)
        case .elevate(let credentials, let name):
            try c.encode(credentials, forKey: .credentials)
            try c.encode(name, forKey: .technicianName)
        default:
            break
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        let c = try decoder.container(keyedBy: Keys.self)
        switch type {
        case "welcome":
            return .welcome(sessionId: try c.decode(String.self, forKey: .sessionId),
                            technicianName: try c.decode(String.self, forKey: .technicianName),
                            organisation: try c.decode(String.self, forKey: .organisation),
                            state: try c.decode(SessionState.self, forKey: .state))
        case "chat": return .chat(try c.decode(LogEntry.self, forKey: .entry))
        case "status": return .status(try c.decode(LogEntry.self, forKey: .entry))
        case "technician_changed": return .technicianChanged(name: try c.decode(String.self, forKey: .name))
        case "collaborator": return .collaborator(name: try c.decode(String.self, forKey: .name), joined: try c.decode(Bool.self, forKey: .joined))
        case "ended": return .ended(reason: try c.decode(String.self, forKey: .reason))
        case "error": return .error(code: try c.decode(String.self, forKey: .code), message: try c.decode(String.self, forKey: .message))
        case "remote_request": return .remoteRequest(mode: try c.decode(RemoteMode.self, forKey: .mode),
                                                      technicianName: try c.decode(String.self, forKey: .technicianName))
        case "remote_stop": return .remoteStop(reason: try c.decode(String.self, forKey: .reason))
        case "input": return .input(try c.decode([InputEvent].self, forKey: .events))
        case "frame_ack": return .frameAck(sequence: try c.decode(UInt32.self, forKey: .sequence))
        case "remote_settings": return .remoteSettings(quality: try c.decode(RemoteQuality.self, forKey: .quality))
        case "remote_tool": return .remoteTool(try c.decode(RemoteTool.self, forKey: .tool))
        case "recording": return .recording(active: try c.decode(Bool.self, forKey: .active),
                                            technicianName: try c.decode(String.self, forKey: .technicianName))
        case "elevate": return .elevate(try c.decode(ElevationCredentials.self, forKey: .credentials),
                                        technicianName: try c.decode(String.self, forKey: .technicianName))
        case "file_offer": return .fileOffer(try c.decode(FileOffer.self, forKey: .offer))
        case "file_cancelled": return .fileCancelled(id: try c.decode(String.self, forKey: .id), reason: try c.decode(String.self, forKey: .reason))
        case "open_url": return .openURL(try c.decode(String.self, forKey: .url), technicianName: try c.decode(String.self, forKey: .technicianName))
        case "applet_invitation": return .appletInvitation(linkToken: try c.decode(String.self, forKey: .linkToken),
                                                           technicianName: try c.decode(String.self, forKey: .technicianName))
        case "moved_to_applet": return .movedToApplet
        case "calling_card_offer": return .callingCardOffer(try c.decode(CallingCardOffer.self, forKey: .offer))
        case "chat_switched": return .chatSwitched(enabled: try c.decode(Bool.self, forKey: .enabled))
        case "survey": return .survey(url: try c.decode(String.self, forKey: .url), technicianName: try c.decode(String.self, forKey: .technicianName))
        default: return nil
        }
    }
}
