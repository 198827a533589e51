import Crypto
import Foundation

/// The gateway's own Ed25519 key (F5): agents pin its public half when they enrol and check every
/// later connection against it, so a man in the middle cannot pass for the gateway. The private
/// half lives in `<dataDirectory>/gateway-identity.key` (owner-only), never in the database: a
/// stolen database cannot pass for the gateway either. Every node of a cluster shares the file.
struct GatewayIdentity: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// The public key as agents pin it: base64 of its 32 bytes.
    var publicKey: String { key.publicKey.rawRepresentation.base64EncodedString() }

    init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }

    /// The key in `<dataDirectory>/gateway-identity.key`, made on first start.
    init(dataDirectory: String) throws {
        let path = "\(dataDirectory)/gateway-identity.key"
        if let existing = FileManager.default.contents(atPath: path) {
            do {
                self.init(key: try Curve25519.Signing.PrivateKey(rawRepresentation: existing))
            } catch {
                throw SecretBox.Failure("\(path) is not an Ed25519 key; restore it from backup (enrolled computers trust only it).")
            }
            return
        }
        let key = Curve25519.Signing.PrivateKey()
        guard FileManager.default.createFile(atPath: path, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
            throw SecretBox.Failure("Cannot write the gateway's identity key \(path).")
        }
        self.init(key: key)
    }

    func sign(_ data: Data) throws -> String {
        try key.signature(for: data).base64EncodedString()
    }
}
