import Crypto
import Foundation

/// Seals two-step secrets at rest (A2) with AES-256-GCM. The key lives in its own file beside the
/// database (owner-only), so a copy of the database alone does not reveal anyone's secret.
struct SecretBox: Sendable {
    private let key: SymmetricKey

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    init(key: SymmetricKey) {
        self.key = key
    }

    /// The key in `<dataDirectory>/two-step.key`, made on first start.
    init(dataDirectory: String) throws {
        let path = "\(dataDirectory)/two-step.key"
        if let existing = FileManager.default.contents(atPath: path) {
            guard existing.count == 32 else {
                throw SecretBox.Failure("\(path) is not a 32-byte key; restore it from backup (two-step secrets cannot be read without it).")
            }
            self.init(key: SymmetricKey(data: existing))
            return
        }
        let key = SymmetricKey(size: .bits256)
        let created = key.withUnsafeBytes { bytes in
            FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        }
        guard created else { throw SecretBox.Failure("Cannot write the two-step key \(path).") }
        self.init(key: key)
    }

    func seal(_ plain: [UInt8]) throws -> String {
        guard let combined = try AES.GCM.seal(plain, using: key).combined else {
            throw SecretBox.Failure("AES-GCM gave no combined box.")
        }
        return combined.base64EncodedString()
    }

    /// A keyed hash (HMAC-SHA-256) for recovery codes: without the key file, a copy of the
    /// database does not let anyone test guesses offline.
    func digest(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Nil when the text was not sealed with this key or was altered.
    func open(_ sealed: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return Array(plain)
    }
}
