import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import Logging

/// Unattended access asked for by the technician (F5): the customer sees who asks, for how long and
/// at which hours, and says yes (the window's dialog, `/allow unattended`, `--remote-consent`) or no.
/// On yes the computer makes its own key pair, enrols with the one-time token (the gateway keeps the
/// public key only), checks the gateway's key is the one the offer named and pins it, and installs
/// the agent, which enforces the rules itself.
actor UnattendedSetup {
    private let consent: RemoteConsent
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    private let client: GatewayClient
    private let logger = Logger(label: "lifeline-applet")
    /// The offer the customer has not answered yet.
    private var waiting: UnattendedOffer?

    init(consent: RemoteConsent, transcript: Transcript, outgoing: OutgoingMessages, client: GatewayClient) {
        self.consent = consent
        self.transcript = transcript
        self.outgoing = outgoing
        self.client = client
    }

    var isPending: Bool { waiting != nil }

    func offered(_ offer: UnattendedOffer) async {
        switch consent {
        case .accept: await approve(offer)
        case .deny: await refuse()
        case .ask:
            waiting = offer
            transcript.unattendedRequested(offer)
        }
    }

    func customerAnswered(allow: Bool) async {
        guard let offer = waiting else { return }
        waiting = nil
        if allow { await approve(offer) } else { await refuse() }
    }

    private func refuse() async {
        transcript.unattendedRefused()
        await outgoing.send(.unattendedAnswer(.init(accepted: false)))
    }

    private func approve(_ offer: UnattendedOffer) async {
        let key = Curve25519.Signing.PrivateKey()
        let hostname = ProcessInfo.processInfo.hostName
        let enrolled: EnrolledAgent
        do {
            enrolled = try await client.enrol(AgentEnrolment(token: offer.enrolmentToken, publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                                                             hostname: hostname, name: hostname))
        } catch {
            return transcript.unattendedFailed("\(error)")
        }
        // The key the gateway signs with from now on must be the one its offer named.
        guard enrolled.gatewayKey == offer.gatewayKey else {
            return transcript.unattendedFailed("the gateway answered with another key than the one it offered; nothing was installed")
        }
        let state = AgentState(gateway: client.gateway.absoluteString, deviceId: enrolled.deviceId, privateKey: key.rawRepresentation.base64EncodedString(),
                               gatewayKey: enrolled.gatewayKey, rules: offer.rules, approvedAt: Date(), technician: offer.technician, proxy: client.proxy)
        let installation = AgentInstallation.forThisAccount()
        do {
            try installation.install(state, runningBinary: LocalPaths.runningBinary())
            try installation.start()
        } catch {
            logger.error("The agent could not be installed", metadata: ["error": "\(error)"])
            return transcript.unattendedFailed("\(error)")
        }
        transcript.unattendedApproved(technician: offer.technician, computerId: enrolled.deviceId)
    }
}
