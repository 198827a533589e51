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

/// The installed Calling Card before a session (G3): the organisation's branding, then Connect
/// (name and custom fields into the card's channel), Connect with a PIN, Settings (proxy) and
/// Help. What it returns is the credential the ordinary applet session starts with.
public struct CallingCardFrontDesk: Sendable {
    /// Typed on the command line instead of asked (scripts, tests, `--non-interactive`).
    public struct Answers: Sendable {
        public var name: String?
        public var fields: [String: String]
        public var pin: String?

        public init(name: String? = nil, fields: [String: String] = [:], pin: String? = nil) {
            self.name = name
            self.fields = fields
            self.pin = pin
        }
    }

    public enum Choice: Sendable {
        case connect(AppletOptions.Credential)
        case quit
    }

    let installation: CallingCardInstallation
    let transcript: Transcript
    let interactive: Bool
    let ask: @Sendable (String) async -> String?

    public init(installation: CallingCardInstallation, transcript: Transcript, interactive: Bool,
                ask: @escaping @Sendable (String) async -> String?) {
        self.installation = installation
        self.transcript = transcript
        self.interactive = interactive
        self.ask = ask
    }

    /// The card's fresh branding (kept for offline use), or the last one seen.
    public func card(settings: inout CallingCardInstallation.Settings) async throws -> CallingCardInfo {
        let client = GatewayClient(gateway: URL(string: settings.gateway)!, proxy: Self.proxy(settings.proxy))
        do {
            let card = try await client.callingCard(id: settings.cardId)
            if card != settings.card {
                settings.card = card
                try? installation.save(settings)
            }
            return card
        } catch {
            guard let cached = settings.card else { throw error }
            transcript.note(key: "card.offline")
            return cached
        }
    }

    public func run(answers: Answers) async throws -> Choice {
        var settings = try installation.loadSettings()
        let card = try await card(settings: &settings)
        transcript.callingCard(card)
        let client = GatewayClient(gateway: URL(string: settings.gateway)!, proxy: Self.proxy(settings.proxy))
        guard interactive else {
            if let pin = answers.pin { return .connect(.pin(pin)) }
            return .connect(try await connectToChannel(card, client: client, answers: answers))
        }
        while true {
            let menu = "\n" + transcript.text("card.menu", ["channel": card.channelName]) + "\n" + transcript.text("card.choose")
            switch await ask(menu)?.trimmedOfSpaces {
            case "1":
                do { return .connect(try await connectToChannel(card, client: client, answers: answers)) } catch {
                    transcript.note("\(error)")
                }
            case "2":
                let pin = await ask(transcript.text("card.pin_prompt")) ?? ""
                if PinCode(pin) != nil { return .connect(.pin(pin)) }
                transcript.note(key: "card.pin_invalid")
            case "3":
                settings = await editProxy(settings)
            case "4":
                transcript.note(card.helpText)
            case "5", nil:
                return .quit
            default:
                transcript.note(key: "card.menu_invalid")
            }
        }
    }

    /// The channel form: the customer's name and the organisation's custom fields, then a request
    /// into the card's channel; its link joins the session like any customer link.
    func connectToChannel(_ card: CallingCardInfo, client: GatewayClient, answers: Answers) async throws -> AppletOptions.Credential {
        let page = try await client.channelPage(token: card.channelToken)
        if !page.acceptsRequests, let message = page.message { throw GatewayClient.Failure(description: message) }
        var name = answers.name ?? ""
        var fields = answers.fields
        if interactive {
            if name.isEmpty { name = await ask(transcript.text("card.name_prompt")) ?? "" }
            for field in page.fields where fields[field] == nil {
                let value = await ask("\(field): ") ?? ""
                if !value.isEmpty { fields[field] = value }
            }
        }
        let accepted = try await client.requestChannelSession(token: card.channelToken, name: name, fields: fields)
        if !accepted.available, let message = accepted.message { transcript.note(message) }
        return .link(accepted.link)
    }

    /// Settings → Proxy: an HTTP proxy (with credentials if it needs them), checked and saved.
    func editProxy(_ settings: CallingCardInstallation.Settings) async -> CallingCardInstallation.Settings {
        var settings = settings
        transcript.note(key: "proxy.now", ["proxy": settings.proxy.map(Self.withoutPassword) ?? transcript.text("proxy.none")])
        let typed = await ask(transcript.text("proxy.prompt")) ?? ""
        do {
            let proxy = try ProxySettings.parse(typed)
            settings.proxy = proxy == nil ? nil : typed.trimmedOfSpaces
            try installation.save(settings)
            if proxy == nil { transcript.note(key: "proxy.direct_saved") } else { transcript.note(key: "proxy.saved", ["proxy": Self.withoutPassword(typed)]) }
        } catch let problem as CallingCardRules.Problem {
            transcript.note(CallingCardRules.describe(problem))
        } catch {
            transcript.note(key: "proxy.not_saved", ["reason": "\(error)"])
        }
        return settings
    }

    /// The saved proxy address as settings (it was checked when saved); nil for a direct connection.
    public static func proxy(_ address: String?) -> ProxySettings? {
        guard let address else { return nil }
        do throws(CallingCardRules.Problem) { return try ProxySettings.parse(address) } catch { return nil }
    }

    /// A proxy address as it may be shown: never its password.
    static func withoutPassword(_ text: String) -> String {
        guard let components = URLComponents(string: text), components.password != nil, let host = components.host else { return text }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(components.scheme ?? "http")://\(components.user ?? ""):••••@\(host)\(port)"
    }
}
