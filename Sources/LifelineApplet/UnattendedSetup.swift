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
/// With the customer's own credentials, the yes takes their account's password too, checked by this
/// computer's PAM and kept nowhere (three tries). On yes the computer makes its own key pair, enrols with the one-time token (the gateway keeps the
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
    /// The customer said yes to access with their own credentials: their password comes next.
    private var passwordAsked = false
    private var passwordTries = 0
    static let passwordTriesAllowed = 3

    init(consent: RemoteConsent, transcript: Transcript, outgoing: OutgoingMessages, client: GatewayClient) {
        self.consent = consent
        self.transcript = transcript
        self.outgoing = outgoing
        self.client = client
    }

    var isPending: Bool { waiting != nil }

    /// The customer's next line is their password, not chat.
    var isAwaitingPassword: Bool { passwordAsked && waiting != nil }

    func offered(_ offer: UnattendedOffer) async {
        if passwordAsked { TerminalEcho.show() }
        passwordAsked = false
        passwordTries = 0
        switch consent {
        case .accept where offer.rules.credentials == .customerAtSetup:
            // A yes given in advance has no password to go with it: only the customer can give one.
            transcript.unattendedFailed("access with the customer's own credentials needs their password; nothing was installed")
            await outgoing.send(.unattendedAnswer(.init(accepted: false)))
        case .accept: await approve(offer)
        case .deny: await refuse()
        case .ask:
            waiting = offer
            transcript.unattendedRequested(offer)
        }
    }

    func customerAnswered(allow: Bool) async {
        guard let offer = waiting else { return }
        if allow, offer.rules.credentials == .customerAtSetup {
            guard !passwordAsked else { return }
            passwordAsked = true
            TerminalEcho.hide()
            return transcript.unattendedPasswordAsked(account: Self.customerAccount(), refused: false, attemptsLeft: Self.passwordTriesAllowed)
        }
        finishAsking()
        if allow { await approve(offer) } else { await refuse() }
    }

    /// The customer's password for access with their own credentials: checked by PAM for their
    /// account; the offer is approved, asked again, or refused after the third wrong one.
    func passwordGiven(_ password: String) async {
        guard isAwaitingPassword, let offer = waiting else { return }
        let account = Self.customerAccount()
        switch await PosixThread.offThread({ PamCheck.verify(username: account, password: password) }) {
        case .accepted:
            finishAsking()
            logger.notice("Unattended access allowed with the customer's own credentials", metadata: ["account": "\(account)"])
            await approve(offer)
        case .refused:
            passwordTries += 1
            let left = Self.passwordTriesAllowed - passwordTries
            guard left > 0 else {
                finishAsking()
                return await refuse()
            }
            transcript.unattendedPasswordAsked(account: account, refused: true, attemptsLeft: left)
        case .unavailable(let reason):
            finishAsking()
            transcript.unattendedFailed("this computer cannot check passwords (\(reason)); nothing was installed")
            await outgoing.send(.unattendedAnswer(.init(accepted: false)))
        }
    }

    private func finishAsking() {
        if passwordAsked { TerminalEcho.show() }
        waiting = nil
        passwordAsked = false
        passwordTries = 0
    }

    /// Tells the customer (the window's list of what technicians may do) when this computer already
    /// gives unattended access, so they can take it back from there.
    func announceIfInstalled() {
        let installation = AgentInstallation.forThisAccount()
        guard access(installation.stateFile, F_OK) == 0 else { return }
        do {
            let state = try AgentState.load(from: installation.stateFile)
            transcript.unattendedInPlace(technician: state.technician, computerId: state.deviceId)
        } catch {
            logger.warning("The agent's settings could not be read", metadata: ["error": "\(error)"])
        }
    }

    /// The customer takes unattended access back (the window's Revoke, `/revoke unattended`): as
    /// `--uninstall-agent`, the computer leaves the list (the agent proves itself) and everything goes.
    func revoke() async {
        let installation = AgentInstallation.forThisAccount()
        guard access(installation.stateFile, F_OK) == 0 else { return transcript.unattendedRevoked(told: nil) }
        let told = await UnattendedAgent.uninstall(logger: logger)
        transcript.unattendedRevoked(told: told)
    }

    /// Whose credentials the customer gives: the account that started an elevated applet, else this one.
    static func customerAccount() -> String {
        LocalPaths.sudoCustomer()?.name ?? LocalPaths.accountName()
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
                               gatewayKey: enrolled.gatewayKey, rules: offer.rules, approvedAt: Date(), technician: offer.technician, proxy: client.proxy,
                               caFile: AppletTrust.caFile)
        let installation = AgentInstallation.forThisAccount()
        do {
            try installation.install(state, runningBinary: LocalPaths.runningBinary())
            try installation.start()
        } catch {
            logger.error("The agent could not be installed", metadata: ["error": "\(error)"])
            return transcript.unattendedFailed("\(error)")
        }
        transcript.unattendedApproved(technician: offer.technician, computerId: enrolled.deviceId)
        transcript.unattendedInPlace(technician: offer.technician, computerId: enrolled.deviceId)
    }
}
