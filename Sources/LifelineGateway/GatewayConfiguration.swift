import Foundation
import LifelineProtocol
import LifelineStore

/// Everything the operator sets when starting `lifeline-server`.
public struct GatewayConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Holds the SQLite file (when no other database is named), recordings, files and keys.
    public var dataDirectory: String
    /// The database; nil: the SQLite file `lifeline.sqlite` in the data directory.
    public var database: DatabaseLocation?
    public var databaseLocation: DatabaseLocation { database ?? .sqlite(path: "\(dataDirectory)/lifeline.sqlite") }
    /// The address customers and technicians use, e.g. https://support.example.com. Used for links
    /// and to check the Origin of browser WebSockets.
    public var publicURL: String
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Folder with the console and customer pages.
    public var webRoot: String
    /// The applet binary offered for download to Linux x86_64 customers.
    public var appletBinaryPath: String?
    /// First-start master administrator (LIFELINE_ADMIN_EMAIL / LIFELINE_ADMIN_PASSWORD).
    public var initialAdminEmail: String?
    public var initialAdminPassword: String?
    /// Creates a demo organisation, master administrator and technician on an empty store.
    public var demo: Bool
    /// The mail server for email invitations; nil: the technician's own mail client only.
    public var smtp: SMTPConfiguration?
    /// The SMS provider for SMS invitations; nil: no SMS.
    public var sms: SMSConfiguration?
    /// A screen shared from a customer's browser goes straight to the console (WebRTC) when the
    /// two browsers find a path, with these STUN/TURN servers (none: on the same network only);
    /// nil: always through the gateway.
    public var browserScreenWebRTC: WebRTCSetup? = WebRTCSetup(iceServers: [])
    /// A TURN server whose credentials are made per session, added to the direct path's servers.
    public var turn: TurnServerSecret?
    /// The bearer token Prometheus sends to `/metrics`; nil: only this computer may read them.
    public var metricsToken: String?
    /// Where other gateway nodes on the same database reach this one (issue 20); nil: derived
    /// from the host and port. It also names the node: a node restarted keeps its leases.
    public var nodeAddressSetting: String?

    public var nodeAddress: String {
        if let nodeAddressSetting { return nodeAddressSetting.trimmingSuffix("/") }
        let scheme = usesTLS ? "https" : "http"
        // Bound to every address: the others reach it by this machine's name.
        let name = ["0.0.0.0", "::", ""].contains(host) ? ProcessInfo.processInfo.hostName : host
        return "\(scheme)://\(name.contains(":") ? "[\(name)]" : name):\(port)"
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./data",
                publicURL: String? = nil, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil,
                webRoot: String = "./Web", appletBinaryPath: String? = nil, initialAdminEmail: String? = nil,
                initialAdminPassword: String? = nil, demo: Bool = false, smtp: SMTPConfiguration? = nil,
                sms: SMSConfiguration? = nil, database: DatabaseLocation? = nil) {
        self.database = database
        self.smtp = smtp
        self.sms = sms
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        let scheme = tlsCertificatePath == nil ? "http" : "https"
        self.publicURL = (publicURL ?? "\(scheme)://\(host):\(port)").trimmingSuffix("/")
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.webRoot = webRoot
        self.appletBinaryPath = appletBinaryPath
        self.initialAdminEmail = initialAdminEmail
        self.initialAdminPassword = initialAdminPassword
        self.demo = demo
    }

    public var usesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }

    /// scheme://host[:port] of the public URL, as browsers send it in the Origin header.
    public var publicOrigin: String {
        guard let url = URL(string: publicURL), let scheme = url.scheme, let host = url.host else { return publicURL }
        return url.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }
}
