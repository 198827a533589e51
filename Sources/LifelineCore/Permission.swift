/// Every action the Admin Center can allow or deny per technician group (FEATURES.md, R1).
/// Raw values are stored and sent on the wire.
public enum Permission: String, CaseIterable, Codable, Sendable, Comparable {
    // Sessions and connecting (C1, F1, F2, C5, C6, C3)
    case startPrivateSessions = "start_private_sessions"
    case connectByPin = "connect_by_pin"
    case connectByLink = "connect_by_link"
    case connectByEmail = "connect_by_email"
    case connectBySms = "connect_by_sms"
    case channelSessions = "channel_sessions"
    case holdSessions = "hold_sessions"
    case transferSessions = "transfer_sessions"
    case editCustomFields = "edit_custom_fields"
    // Communication (D1–D5)
    case chat = "chat"
    case toggleChat = "toggle_chat"
    case sendUrls = "send_urls"
    case sendFiles = "send_files"
    case sendSurvey = "send_survey"
    // Collaboration and sharing (H1, I1, I2)
    case shareScreen = "share_screen"
    case inviteInternalTechnicians = "invite_internal_technicians"
    case inviteExternalTechnicians = "invite_external_technicians"
    // Remote work (J, K, L, M, N)
    case remoteControl = "remote_control"
    case desktopView = "desktop_view"
    case elevateApplet = "elevate_applet"
    case clipboardSync = "clipboard_sync"
    case recordScreen = "record_screen"
    case takeScreenshots = "take_screenshots"
    /// Browse the customer's files (K1, K2); the three below add what may be done there.
    case fileManager = "file_manager"
    case fileManagerDownload = "file_manager_download"
    case fileManagerUpload = "file_manager_upload"
    case fileManagerModify = "file_manager_modify"
    case systemInfo = "system_info"
    /// End processes (L2) and, with them, the other changes of the System info tab.
    case systemActions = "system_actions"
    case uninstallApplications = "uninstall_applications"
    case reboot = "reboot"
    case deployScripts = "deploy_scripts"
    case runEmbeddedScripts = "run_embedded_scripts"
    // Unattended, LAN, Calling Card, monitoring, mobile, Lens (F3–F5, O1, E1, P, Q)
    case unattendedAccess = "unattended_access"
    case lanConnection = "lan_connection"
    case deployCallingCard = "deploy_calling_card"
    case monitorTechnicians = "monitor_technicians"
    case click2Fix = "click2fix"
    case mobileDeviceConfiguration = "mobile_device_configuration"
    case lensSessions = "lens_sessions"

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The permissions one technician group grants.
public struct PermissionSet: Equatable, Sendable {
    public private(set) var granted: Set<Permission>

    public init(_ granted: some Sequence<Permission>) { self.granted = Set(granted) }

    public static let all = PermissionSet(Permission.allCases)
    public static let none = PermissionSet([])

    public func allows(_ permission: Permission) -> Bool { granted.contains(permission) }

    /// Stored and sent sorted, so two equal sets always serialise the same way.
    public var sortedRawValues: [String] { granted.sorted().map(\.rawValue) }

    /// Reads stored names, reporting any name this version does not know.
    public init(rawValues: [String]) throws(UnknownPermission) {
        var result = Set<Permission>()
        for name in rawValues {
            guard let permission = Permission(rawValue: name) else { throw UnknownPermission(name: name) }
            result.insert(permission)
        }
        granted = result
    }
}

public struct UnknownPermission: Error, Equatable, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String { "Unknown permission \"\(name)\"." }
}

extension Permission {
    /// Permissions whose feature is not built yet. The Admin Center shows them as coming later
    /// instead of offering them as if they worked; a grant already stored is kept. A feature that
    /// ships takes its permission out of this set.
    public static let notYetAvailable: Set<Permission> = [
        .click2Fix, .mobileDeviceConfiguration, .lensSessions,
    ]
}
