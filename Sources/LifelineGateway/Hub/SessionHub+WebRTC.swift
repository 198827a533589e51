import Foundation
import LifelineCore
import LifelineProtocol

extension SessionHub {
    /// What the two browsers of session `sessionId` may use for their direct path: the operator's
    /// STUN/TURN servers, and the TURN server with credentials made for this session now (they
    /// expire by themselves; nothing is kept). nil when the direct path is off.
    func webRTCSetup(for sessionId: String) -> WebRTCSetup? {
        guard var setup = webRTC else { return nil }
        if let turn {
            // The same HMAC-SHA-1 as the authenticator codes'.
            setup.iceServers.append(turn.server(for: sessionId, now: environment.now(), hmac: TwoStepVerification.hmac))
        }
        return setup
    }
}
