#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the audit log records (A5 audit): sign-ins, PINs, administrators' changes, the customer's consent.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    case signIn = "sign_in"
    case signInFailed = "sign_in_failed"
    case pinCreated = "pin_created"
    case linkCreated = "link_created"
    case customerJoined = "customer_joined"
    case groupCreated = "group_created"
    case groupChanged = "group_changed"
    case groupDeleted = "group_deleted"
    case technicianCreated = "technician_created"
    case technicianChanged = "technician_changed"
    case settingsChanged = "settings_changed"
    case channelCreated = "channel_created"
    case channelChanged = "channel_changed"
    case channelDeleted = "channel_deleted"
    case surveyChanged = "survey_changed"
    case callingCardCreated = "calling_card_created"
    case callingCardChanged = "calling_card_changed"
    case callingCardDeleted = "calling_card_deleted"
    case consentGiven = "consent_given"
    case consentRefused = "consent_refused"
    case consentRevoked = "consent_revoked"
    case twoStepEnabled = "two_step_enabled"
    case twoStepDisabled = "two_step_disabled"
    case twoStepReset = "two_step_reset"
    case recoveryCodeUsed = "recovery_code_used"
    case recoveryCodesRenewed = "recovery_codes_renewed"
    case technicianDeleted = "technician_deleted"
    case collaboratorInvited = "collaborator_invited"
    case collaboratorJoined = "collaborator_joined"
    case collaboratorRemoved = "collaborator_removed"
    /// A colleague of the organisation invited into a session, joining it, removed from it (I1).
    case colleagueInvited = "colleague_invited"
    case colleagueJoined = "colleague_joined"
    case colleagueRemoved = "colleague_removed"
    /// The lead changed what a colleague may do in the session (I1).
    case colleaguePermissionsChanged = "colleague_permissions_changed"
    /// The lead gave a colleague the mouse and keyboard of the customer's screen, or took them back (issue 21).
    case remoteControlGiven = "remote_control_given"
    /// An administrator started or ended monitoring a technician (E1).
    case monitoringStarted = "monitoring_started"
    case monitoringEnded = "monitoring_ended"
    /// A colleague accepted the lead role of a session (I3).
    case leadChanged = "lead_changed"
    /// A folder made, something renamed or deleted on the customer's computer (K4).
    case customerFilesChanged = "customer_files_changed"
    /// A process ended (L2) or another change made from the System info tab.
    case customerSystemChanged = "customer_system_changed"
    /// A script ran on the customer's computer (N2): its hash, parameters, result and output's hash.
    case scriptRun = "script_run"
    /// A computer was opened to unattended access (F5): its agent enrolled with the customer's rules.
    case unattendedGranted = "unattended_granted"
    /// A computer left the Computers list.
    case unattendedRemoved = "unattended_removed"
    /// A technician connected to a computer with unattended access.
    case unattendedConnected = "unattended_connected"
    /// An administrator made a computer's agent a LAN connector, changed its subnets or stopped it (F4).
    case lanConnectorChanged = "lan_connector_changed"
    /// A technician started the applet on a machine of a connector's network (F4).
    case lanConnected = "lan_connected"
    /// A technician started recording a session's screen or Lens call (J14, Q3).
    case recordingStarted = "recording_started"
}

/// One line of the audit log. Append-only: each line carries the hash of the line before, so
/// changing, removing or inserting a line breaks every hash after it.
public struct AuditEntry: Codable, Equatable, Sendable {
    public let sequence: Int64
    /// Milliseconds since 1970: an integer, so the hashed text never depends on float formatting.
    public let atMilliseconds: Int64
    public let organisationId: String?
    public let actorId: String?
    /// Who did it: a technician's name, "customer", or the email typed at a failed sign-in.
    public let actorName: String
    public let action: AuditAction
    public let objectType: String?
    public let objectId: String?
    /// JSON of the object before and after an administrator's change.
    public let before: String?
    public let after: String?
    /// The source address of the request.
    public let source: String?
    public let previousHash: String
    public let hash: String

    public init(sequence: Int64, atMilliseconds: Int64, organisationId: String?, actorId: String?, actorName: String, action: AuditAction,
                objectType: String?, objectId: String?, before: String?, after: String?, source: String?, previousHash: String, hash: String) {
        self.sequence = sequence
        self.atMilliseconds = atMilliseconds
        self.organisationId = organisationId
        self.actorId = actorId
        self.actorName = actorName
        self.action = action
        self.objectType = objectType
        self.objectId = objectId
        self.before = before
        self.after = after
        self.source = source
        self.previousHash = previousHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMilliseconds) / 1_000) }
}

/// What the gateway last wrote to the audit log, kept beside it and changed in the same
/// transaction as each entry, and how many audited actions it could not write.
public struct AuditHead: Equatable, Sendable {
    public let sequence: Int64
    public let hash: String
    public let lost: Int64

    public init(sequence: Int64, hash: String, lost: Int64) {
        self.sequence = sequence
        self.hash = hash
        self.lost = lost
    }
}

/// The hash chain of the audit log. Pure: the SHA-256 function is passed in.
public enum AuditChain {
    public typealias Hash = @Sendable ([UInt8]) -> String

    /// The "previous hash" of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The bytes hashed for an entry: every field but its own hash, in a fixed order, each
    /// length-prefixed (and absent fields marked) so two different entries never give the same bytes.
    public static func canonicalBytes(of entry: AuditEntry) -> [UInt8] {
        let fields: [String?] = [
            String(entry.sequence), String(entry.atMilliseconds), entry.organisationId, entry.actorId, entry.actorName,
            entry.action.rawValue, entry.objectType, entry.objectId, entry.before, entry.after, entry.source, entry.previousHash,
        ]
        var bytes: [UInt8] = Array("lifeline-audit-v1".utf8)
        for field in fields {
            guard let field else {
                bytes.append(0)
                continue
            }
            let utf8 = Array(field.utf8)
            bytes.append(1)
            bytes += withUnsafeBytes(of: UInt32(utf8.count).bigEndian, Array.init)
            bytes += utf8
        }
        return bytes
    }

    /// The entry that follows `previous` (nil: the first), with its hash.
    public static func next(after previous: AuditEntry?, atMilliseconds: Int64, organisationId: String?, actorId: String?, actorName: String,
                            action: AuditAction, objectType: String?, objectId: String?, before: String?, after: String?, source: String?,
                            hash: Hash) -> AuditEntry {
        let unsigned = AuditEntry(
            sequence: (previous?.sequence ?? 0) + 1, atMilliseconds: atMilliseconds, organisationId: organisationId, actorId: actorId,
            actorName: actorName, action: action, objectType: objectType, objectId: objectId, before: before, after: after, source: source,
            previousHash: previous?.hash ?? genesis, hash: "")
        return AuditEntry(
            sequence: unsigned.sequence, atMilliseconds: atMilliseconds, organisationId: organisationId, actorId: actorId, actorName: actorName,
            action: action, objectType: objectType, objectId: objectId, before: before, after: after, source: source,
            previousHash: unsigned.previousHash, hash: hash(canonicalBytes(of: unsigned)))
    }

    public enum Verdict: Equatable, Sendable {
        case intact(entries: Int, lastHash: String)
        /// The first entry that does not fit, and why.
        case broken(sequence: Int64, reason: String)
        /// The chain holds, but `lost` audited actions have no entry: the gateway could not write
        /// them (each is a critical line in its log) and counted them in the head.
        case incomplete(entries: Int, lost: Int64)
    }

    /// Walks the log, then compares its end with the head the gateway writes in the same
    /// transaction as every entry: a log cut short, or entries the gateway never wrote, show.
    public static func verify(_ entries: [AuditEntry], head: AuditHead?, hash: Hash) -> Verdict {
        let chain = verify(entries, hash: hash)
        guard case .intact(let count, let lastHash) = chain else { return chain }
        let last = entries.last?.sequence ?? 0
        if head == nil && last > 0 {
            return .broken(sequence: last, reason: "the record of the last entry written is missing")
        }
        let written = head?.sequence ?? 0
        if written > last {
            return .broken(sequence: last + 1, reason: written == last + 1
                ? "entry \(written), the last one written, is missing"
                : "entries \(last + 1) to \(written), the last ones written, are missing")
        }
        if written < last {
            return .broken(sequence: written + 1, reason: "the gateway never wrote the entries after \(written)")
        }
        if let head, head.hash != lastHash {
            return .broken(sequence: last, reason: "it is not the last entry the gateway wrote")
        }
        if let head, head.lost > 0 { return .incomplete(entries: count, lost: head.lost) }
        return chain
    }

    /// Walks the whole log in order: numbering without gaps, each entry pointing at the one before,
    /// each hash matching its content.
    public static func verify(_ entries: [AuditEntry], hash: Hash) -> Verdict {
        var previous: AuditEntry?
        for entry in entries {
            let expectedSequence = (previous?.sequence ?? 0) + 1
            guard entry.sequence == expectedSequence else {
                return .broken(sequence: entry.sequence, reason: "entry \(expectedSequence) is missing")
            }
            guard entry.previousHash == (previous?.hash ?? genesis) else {
                return .broken(sequence: entry.sequence, reason: "it does not follow the entry before it")
            }
            guard hash(canonicalBytes(of: entry)) == entry.hash else {
                return .broken(sequence: entry.sequence, reason: "its content was changed after it was written")
            }
            previous = entry
        }
        return .intact(entries: entries.count, lastHash: previous?.hash ?? genesis)
    }
}
