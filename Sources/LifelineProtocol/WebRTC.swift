#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// A STUN or TURN server the two browsers use to find a direct path (RTCIceServer's shape).
public struct IceServer: Codable, Equatable, Sendable {
    public let urls: [String]
    public let username: String?
    public let credential: String?

    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }

    /// From the operator's option: `stun:host:port`, or `USER:PASSWORD@turn:host:port` (also
    /// `turns:`) for a TURN server with long-term credentials. nil when it is neither.
    public init?(option: String) {
        let schemes = ["stun:", "turn:", "turns:"]
        if schemes.contains(where: { option.hasPrefix($0) }) {
            self.init(urls: [option])
            return
        }
        // The credentials end where the address starts: the password may hold '@' or ':'.
        guard let at = schemes.compactMap({ option.firstRange(of: "@" + $0) }).min(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
        let credentials = option[..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return nil }
        let url = String(option[option.index(after: at.lowerBound)...])
        guard url.hasPrefix("turn") else { return nil }
        self.init(urls: [url], username: String(credentials[..<colon]), credential: String(credentials[credentials.index(after: colon)...]))
    }
}

/// What the gateway lets the browsers use for a direct path; absent when the operator turned it off.
public struct WebRTCSetup: Codable, Equatable, Sendable {
    public var iceServers: [IceServer]
    /// "relay" when the operator wants every path through the TURN server (RTCIceTransportPolicy); absent: any path.
    public var iceTransportPolicy: String?
    public init(iceServers: [IceServer], relayOnly: Bool = false) {
        self.iceServers = iceServers
        self.iceTransportPolicy = relayOnly ? "relay" : nil
    }
}

/// A TURN server whose credentials the gateway mints per session (coturn's `use-auth-secret`):
/// its addresses, the shared secret, and how long each pair of credentials lives.
public struct TurnServerSecret: Sendable {
    public let urls: [String]
    public let secret: [UInt8]
    public let lifetime: TimeInterval
    public init(urls: [String], secret: [UInt8], lifetime: TimeInterval = TurnCredentials.defaultLifetime) {
        self.urls = urls
        self.secret = secret
        self.lifetime = lifetime
    }

    /// The server with fresh credentials for `sessionId`.
    public func server(for sessionId: String, now: Date, hmac: TurnCredentials.HMAC) -> IceServer {
        let made = TurnCredentials.make(secret: secret, label: sessionId, now: now, lifetime: lifetime, hmac: hmac)
        return IceServer(urls: urls, username: made.username, credential: made.credential)
    }
}

/// One WebRTC signal between the customer's browser and a console (issue 16): the offer or the
/// answer (`sdp`), or a network candidate. The gateway checks who may send it and its size, and
/// passes it on unread.
public struct WebRTCSignal: Codable, Equatable, Sendable {
    public typealias Kind = RemoteDesktopState.SignalKind
    public let kind: Kind
    public let sdp: String?
    public let candidate: String?
    public let sdpMid: String?
    public let sdpMLineIndex: Int?

    public static let maximumSDPBytes = 32_768
    public static let maximumCandidateBytes = 1_024

    public init(kind: Kind, sdp: String? = nil, candidate: String? = nil, sdpMid: String? = nil, sdpMLineIndex: Int? = nil) {
        self.kind = kind
        self.sdp = sdp
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
    }

    /// An offer or answer carries a description and no candidate; a candidate the other way round.
    public var isValid: Bool {
        switch kind {
        case .offer, .answer:
            guard let sdp, !sdp.isEmpty, sdp.utf8.count <= Self.maximumSDPBytes else { return false }
            return candidate == nil
        case .candidate:
            guard let candidate, candidate.utf8.count <= Self.maximumCandidateBytes, sdp == nil else { return false }
            return (sdpMid?.utf8.count ?? 0) <= 64 && (sdpMLineIndex ?? 0) >= 0 && (sdpMLineIndex ?? 0) < 16
        }
    }

    /// The error's wording when it is not.
    public static let invalidMessage = "A WebRTC signal is an offer or answer with its description (up to \(maximumSDPBytes) bytes) "
        + "or a candidate (up to \(maximumCandidateBytes) bytes)."
}

/// A signal about one session, on the console's channel.
public struct WebRTCSignalOfSession: WireMessage {
    public let sessionId: String
    public let signal: WebRTCSignal
    public init(sessionId: String, signal: WebRTCSignal) { self.sessionId = sessionId; self.signal = signal }
}

/// `screen_transport`: how the customer's browser sends its pictures now.
public struct ScreenTransportMessage: WireMessage {
    public let transport: RemoteDesktopState.Transport
    public init(transport: RemoteDesktopState.Transport) { self.transport = transport }
}
