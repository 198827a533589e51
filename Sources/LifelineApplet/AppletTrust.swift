#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore
import NIOSSL
import Synchronization

/// Which certificate authorities the applet trusts on its way to the gateway: the system's, and an
/// organisation's own (a PEM file) when one is given — a gateway whose certificate a private CA
/// signed. One choice for the process, made before the first connection; every HTTP client and the
/// WebSocket take it from here (issue 24).
public enum AppletTrust {
    private static let extraAuthorities = Mutex<String?>(nil)

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case notPEM(String)

        public var description: String {
            switch self {
            case .unreadable(let path): "The certificate authority file \(path) cannot be read."
            case .notPEM(let path): "\(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)."
            }
        }
    }

    /// Trusts the certificate authorities in `caFile` besides the system's; checked now, so a wrong
    /// path is said at start and not as a failed handshake later.
    public static func trust(caFile: String) throws(Problem) {
        guard let data = FileManager.default.contents(atPath: caFile) else { throw .unreadable(caFile) }
        guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else { throw .notPEM(caFile) }
        extraAuthorities.withLock { $0 = caFile }
    }

    /// The file trusted besides the system's authorities, kept for a restart, a Calling Card or the agent.
    public static var caFile: String? { extraAuthorities.withLock { $0 } }

    /// The TLS settings for a connection to the gateway; nil: the library's defaults (the system's authorities).
    static func tlsConfiguration() -> TLSConfiguration? {
        guard let caFile else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.additionalTrustRoots = [.file(caFile)]
        return configuration
    }
}
