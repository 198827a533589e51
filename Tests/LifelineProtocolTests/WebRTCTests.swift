import Testing
import LifelineProtocol

@Suite("WebRTC signals and ICE servers (issue 16)")
struct WebRTCTests {
    @Test("the operator's ICE server options: STUN as written, TURN with its credentials, anything else refused")
    func iceServerOptions() {
        #expect(IceServer(option: "stun:stun.example.com:3478") == IceServer(urls: ["stun:stun.example.com:3478"]))
        #expect(IceServer(option: "help:s3cr:t@x@turn:turn.example.com:3478?transport=tcp")
                == IceServer(urls: ["turn:turn.example.com:3478?transport=tcp"], username: "help", credential: "s3cr:t@x"))
        #expect(IceServer(option: "u:p@turns:turn.example.com:5349") == IceServer(urls: ["turns:turn.example.com:5349"], username: "u", credential: "p"))
        for wrong in ["", "http://example.com", "stun.example.com", "nocolon@turn:host", "u:p@stun:host"] {
            #expect(IceServer(option: wrong) == nil, "\(wrong)")
        }
    }

    @Test("a signal is an offer or answer with a description, or a candidate, each within its size")
    func validity() {
        let table: [(WebRTCSignal, Bool)] = [
            (WebRTCSignal(kind: .offer, sdp: "v=0"), true),
            (WebRTCSignal(kind: .answer, sdp: "v=0"), true),
            (WebRTCSignal(kind: .offer), false),
            (WebRTCSignal(kind: .offer, sdp: ""), false),
            (WebRTCSignal(kind: .answer, sdp: String(repeating: "a", count: WebRTCSignal.maximumSDPBytes + 1)), false),
            (WebRTCSignal(kind: .offer, sdp: "v=0", candidate: "candidate:1"), false),
            (WebRTCSignal(kind: .candidate, candidate: "candidate:1 1 udp 1 10.0.0.1 9 typ host", sdpMid: "0", sdpMLineIndex: 0), true),
            // The end of the candidates is an empty one.
            (WebRTCSignal(kind: .candidate, candidate: ""), true),
            (WebRTCSignal(kind: .candidate), false),
            (WebRTCSignal(kind: .candidate, candidate: String(repeating: "c", count: 1_025)), false),
            (WebRTCSignal(kind: .candidate, candidate: "c", sdpMLineIndex: -1), false),
            (WebRTCSignal(kind: .candidate, sdp: "v=0", candidate: "c"), false),
        ]
        for (signal, valid) in table { #expect(signal.isValid == valid, "\(signal)") }
    }
}
