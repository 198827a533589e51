import Crypto
import Foundation
import Logging
import NIOPosix

/// The applet binary this gateway offers, with its size and SHA-256 (shown on the PIN and link
/// pages, checked by the commands and the launcher). Hashed once per version of the file: a new
/// binary put in place (same path, other size or date) is hashed again.
actor AppletDownload {
    struct Info: Codable, Equatable, Sendable {
        let fileName: String
        let size: Int64
        let sha256: String
    }

    let path: String?
    let logger = Logger(label: "lifeline-gateway.applet-download")
    private var cached: (size: Int64, modified: Date, info: Info)?

    init(path: String?) {
        self.path = path
    }

    /// Nil when the gateway has no applet to offer.
    func info() async throws -> Info? {
        guard let path else { return nil }
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            logger.warning("The applet to offer cannot be read", metadata: ["path": "\(path)", "error": "\(error)"])
            return nil
        }
        guard let size = (attributes[.size] as? NSNumber)?.int64Value, let modified = attributes[.modificationDate] as? Date else { return nil }
        if let cached, cached.size == size, cached.modified == modified { return cached.info }
        // Some tens of megabytes: read and hashed off the event loops.
        let digest = try await NIOThreadPool.singleton.runIfActive {
            SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
        }
        let info = Info(fileName: "lifeline-applet", size: size, sha256: digest.map { String(format: "%02x", $0) }.joined())
        cached = (size, modified, info)
        return info
    }
}
