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

/// What an unattended computer's agent keeps (F5), written once when the customer approved: the
/// gateway, the computer's id, its own private key (never sent anywhere), the gateway's public key
/// pinned then, and the rules the customer approved, which the agent enforces itself. The file is
/// readable by its owner only.
struct AgentState: Codable, Equatable {
    var gateway: String
    var deviceId: String
    /// Ed25519 private key, base64 of its 32 bytes.
    var privateKey: String
    /// The gateway's Ed25519 public key as pinned at enrolment, base64.
    var gatewayKey: String
    var rules: UnattendedRules
    var approvedAt: Date
    /// The technician the customer approved, as the applet showed them.
    var technician: String
    var proxy: ProxySettings?
    /// The organisation's certificate authorities the installing applet trusted (`AppletTrust`).
    var caFile: String?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    var signingKey: Curve25519.Signing.PrivateKey {
        get throws {
            guard let raw = Data(base64Encoded: privateKey) else { throw Failure(description: "the agent's key is not base64") }
            return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        }
    }

    /// The pinned gateway key, for checking the gateway's signatures.
    var pinnedGatewayKey: Curve25519.Signing.PublicKey {
        get throws {
            guard let raw = Data(base64Encoded: gatewayKey) else { throw Failure(description: "the pinned gateway key is not base64") }
            return try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        }
    }

    static func load(from path: String) throws -> AgentState {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(AgentState.self, from: try SystemFiles.contents(of: path))
        } catch {
            throw Failure(description: "cannot read the agent's settings \(path): \(error)")
        }
    }

    /// Written beside and renamed, owner-only from the first byte.
    func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SystemFiles.write(try encoder.encode(self), to: path, mode: 0o600)
    }
}
