#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an administrator sets for the whole organisation (part of R4) and the rules the
/// gateway derives from it: session timers (C7), technician status (A6), queue defaults (B4, C3).
public struct OrganisationSettings: Codable, Equatable, Sendable {
    /// Auto-start of incoming private sessions for technicians who did not choose (B4).
    public var autoStartDefault: Bool
    /// A waiting session turns Urgent after this long (C3).
    public var urgentAfterSeconds: Int
    /// Columns of the session list and questions of channel forms (C3, F2).
    public var customFieldNames: [String]
    /// Which fields are asked in forms, listed, required (R2); a field without a rule is all but required.
    public var customFieldRules: [String: CustomFields.Rule]
    /// Active sessions without activity time out after this long; 0: never (C7).
    public var idleTimeoutMinutes: Int
    /// An unused PIN or link closes after this long (C7).
    public var connectingTimeoutMinutes: Int
    /// Technicians without activity turn Away after this long; 0: never (A6).
    public var awayAfterMinutes: Int
    /// Technicians turn Busy from this many active sessions; 0: never (A6).
    public var busyAtSessions: Int
    /// The file format of screen recordings (J14).
    public var recordingFormat: RecordingFormat
    /// The largest file technicians and customers may send in a session (D4, G1), in megabytes.
    public var maxFileMegabytes: Int
    /// Every technician must sign in with two-step verification (A2); then passwords may be 8 long.
    public var requireTwoStep: Bool
    /// A held session closes after this many days (C5; the manual's limit is 14).
    public var holdTimeoutDays: Int
    /// The email invitation's wording (F1, R4); nil: Lifeline's default.
    public var emailTemplate: EmailTemplate?
    /// A monitored technician is told an administrator is watching (E1; the manual's global setting).
    public var notifyWhenMonitored: Bool
    /// External technicians who get the full collaborator console (I2); others get the limited one.
    public var approvedExternalTechnicians: [String]
    /// Terms the customer must accept in the applet before anyone connects (G1); nil: none.
    public var appletTerms: String?

    public init(autoStartDefault: Bool = false, urgentAfterSeconds: Int = 120, customFieldNames: [String] = [],
                idleTimeoutMinutes: Int = 0, connectingTimeoutMinutes: Int = 20, awayAfterMinutes: Int = 15,
                busyAtSessions: Int = ActiveSessionLimit.maximum, recordingFormat: RecordingFormat = .webmVP8,
                maxFileMegabytes: Int = 2_048, requireTwoStep: Bool = false,
                holdTimeoutDays: Int = 14, emailTemplate: EmailTemplate? = nil, customFieldRules: [String: CustomFields.Rule] = [:],
                notifyWhenMonitored: Bool = true, approvedExternalTechnicians: [String] = [], appletTerms: String? = nil) {
        self.notifyWhenMonitored = notifyWhenMonitored
        self.approvedExternalTechnicians = approvedExternalTechnicians
        self.appletTerms = appletTerms
        self.customFieldRules = customFieldRules
        self.holdTimeoutDays = holdTimeoutDays
        self.emailTemplate = emailTemplate
        self.autoStartDefault = autoStartDefault
        self.urgentAfterSeconds = urgentAfterSeconds
        self.customFieldNames = customFieldNames
        self.idleTimeoutMinutes = idleTimeoutMinutes
        self.connectingTimeoutMinutes = connectingTimeoutMinutes
        self.awayAfterMinutes = awayAfterMinutes
        self.busyAtSessions = busyAtSessions
        self.recordingFormat = recordingFormat
        self.maxFileMegabytes = maxFileMegabytes
        self.requireTwoStep = requireTwoStep
    }

    private enum CodingKeys: String, CodingKey {
        case autoStartDefault, urgentAfterSeconds, customFieldNames, idleTimeoutMinutes, connectingTimeoutMinutes, awayAfterMinutes,
             busyAtSessions, recordingFormat, maxFileMegabytes, requireTwoStep, holdTimeoutDays, emailTemplate, customFieldRules,
             notifyWhenMonitored, approvedExternalTechnicians, appletTerms
    }

    /// Settings saved by an earlier version lack the newer ones: those take their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = OrganisationSettings()
        self.init(autoStartDefault: try c.decodeIfPresent(Bool.self, forKey: .autoStartDefault) ?? d.autoStartDefault,
                  urgentAfterSeconds: try c.decodeIfPresent(Int.self, forKey: .urgentAfterSeconds) ?? d.urgentAfterSeconds,
                  customFieldNames: try c.decodeIfPresent([String].self, forKey: .customFieldNames) ?? d.customFieldNames,
                  idleTimeoutMinutes: try c.decodeIfPresent(Int.self, forKey: .idleTimeoutMinutes) ?? d.idleTimeoutMinutes,
                  connectingTimeoutMinutes: try c.decodeIfPresent(Int.self, forKey: .connectingTimeoutMinutes) ?? d.connectingTimeoutMinutes,
                  awayAfterMinutes: try c.decodeIfPresent(Int.self, forKey: .awayAfterMinutes) ?? d.awayAfterMinutes,
                  busyAtSessions: try c.decodeIfPresent(Int.self, forKey: .busyAtSessions) ?? d.busyAtSessions,
                  recordingFormat: try c.decodeIfPresent(RecordingFormat.self, forKey: .recordingFormat) ?? d.recordingFormat,
                  maxFileMegabytes: try c.decodeIfPresent(Int.self, forKey: .maxFileMegabytes) ?? d.maxFileMegabytes,
                  requireTwoStep: try c.decodeIfPresent(Bool.self, forKey: .requireTwoStep) ?? d.requireTwoStep,
                  holdTimeoutDays: try c.decodeIfPresent(Int.self, forKey: .holdTimeoutDays) ?? d.holdTimeoutDays,
                  emailTemplate: try c.decodeIfPresent(EmailTemplate.self, forKey: .emailTemplate),
                  customFieldRules: try c.decodeIfPresent([String: CustomFields.Rule].self, forKey: .customFieldRules) ?? [:],
                  notifyWhenMonitored: try c.decodeIfPresent(Bool.self, forKey: .notifyWhenMonitored) ?? d.notifyWhenMonitored,
                  approvedExternalTechnicians: try c.decodeIfPresent([String].self, forKey: .approvedExternalTechnicians) ?? [],
                  appletTerms: try c.decodeIfPresent(String.self, forKey: .appletTerms))
    }

    /// The settings that describe `timers` and `presence` (what the gateway runs with before an
    /// administrator saves anything).
    public init(timers: SessionTimers, presence: TechnicianPresence.Settings) {
        self.init(idleTimeoutMinutes: timers.idle.map { Int(($0 / 60).rounded()) } ?? 0,
                  connectingTimeoutMinutes: Int((timers.connecting / 60).rounded()),
                  awayAfterMinutes: presence.autoAwayAfter.map { Int(($0 / 60).rounded()) } ?? 0,
                  busyAtSessions: presence.busyThreshold ?? 0)
    }

    public enum Problem: Error, Equatable, Sendable {
        case outOfRange(setting: String, range: ClosedRange<Int>)
        case customFields(CustomFields.Problem)
        case emailTemplate(EmailTemplate.Problem)
        case externalTechnician(email: String)
        case tooManyExternalTechnicians(limit: Int)
        case termsTooLong(limit: Int)
    }

    public static let maximumExternalTechnicians = 200
    public static let maximumTermsCharacters = 20_000

    /// Each number with its name and allowed range.
    var bounded: [(String, Int, ClosedRange<Int>)] {
        [
            ("urgentAfterSeconds", urgentAfterSeconds, 10...86_400),
            ("idleTimeoutMinutes", idleTimeoutMinutes, 0...10_080),
            ("connectingTimeoutMinutes", connectingTimeoutMinutes, 1...1_440),
            ("awayAfterMinutes", awayAfterMinutes, 0...1_440),
            ("busyAtSessions", busyAtSessions, 0...ActiveSessionLimit.maximum),
            ("maxFileMegabytes", maxFileMegabytes, 1...102_400),
            ("holdTimeoutDays", holdTimeoutDays, 1...14),
        ]
    }

    public func validated() throws(Problem) -> OrganisationSettings {
        for (name, value, range) in bounded where !range.contains(value) {
            throw .outOfRange(setting: name, range: range)
        }
        var result = self
        do {
            result.customFieldNames = try CustomFields.validatedNames(customFieldNames)
            result.customFieldRules = try CustomFields.validatedRules(customFieldRules, names: result.customFieldNames)
        } catch { throw .customFields(error) }
        if let template = emailTemplate {
            do { result.emailTemplate = try template.validated() } catch { throw .emailTemplate(error) }
        }
        var approved: [String] = []
        for entry in approvedExternalTechnicians {
            guard let email = EmailAddress.validated(entry)?.lowercased() else { throw .externalTechnician(email: entry) }
            if !approved.contains(email) { approved.append(email) }
        }
        guard approved.count <= Self.maximumExternalTechnicians else { throw .tooManyExternalTechnicians(limit: Self.maximumExternalTechnicians) }
        result.approvedExternalTechnicians = approved
        let terms = appletTerms?.trimmed ?? ""
        guard terms.count <= Self.maximumTermsCharacters else { throw .termsTooLong(limit: Self.maximumTermsCharacters) }
        result.appletTerms = terms.isEmpty ? nil : terms
        return result
    }

    /// `base` with the durations administrators set; the manual's fixed ones stay.
    public func timers(base: SessionTimers) -> SessionTimers {
        var timers = base
        timers.idle = idleTimeoutMinutes == 0 ? nil : TimeInterval(idleTimeoutMinutes) * 60
        timers.connecting = TimeInterval(connectingTimeoutMinutes) * 60
        timers.maximumHold = TimeInterval(holdTimeoutDays) * SessionTimers.day
        return timers
    }

    public var maxFileBytes: Int64 { Int64(maxFileMegabytes) * 1_048_576 }

    func rule(_ name: String) -> CustomFields.Rule { customFieldRules[name] ?? .standard }
    /// The fields channel forms ask, in order.
    public var formFieldNames: [String] { customFieldNames.filter { rule($0).inForms } }
    /// The fields a customer must fill in.
    public var requiredFieldNames: [String] { customFieldNames.filter { rule($0).required } }
    /// The fields shown as columns of the session list.
    public var listFieldNames: [String] { customFieldNames.filter { rule($0).inList } }

    public var presence: TechnicianPresence.Settings {
        TechnicianPresence.Settings(autoAwayAfter: awayAfterMinutes == 0 ? nil : TimeInterval(awayAfterMinutes) * 60,
                                    busyThreshold: busyAtSessions == 0 ? nil : busyAtSessions)
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .outOfRange(let setting, let range): "\(setting) must be between \(range.lowerBound) and \(range.upperBound)."
        case .customFields(let problem): CustomFields.describe(problem)
        case .emailTemplate(let problem): EmailTemplate.describe(problem)
        case .externalTechnician(let email): "\"\(email)\" is not an email address (approved external technicians)."
        case .tooManyExternalTechnicians(let limit): "At most \(limit) approved external technicians."
        case .termsTooLong(let limit): "The applet's terms and conditions are at most \(limit) characters."
        }
    }
}

/// Screen recordings are WebM, which common players open (J14); the administrator picks the codec.
public enum RecordingFormat: String, Codable, Equatable, Sendable, CaseIterable {
    case webmVP8 = "webm-vp8"
    case webmVP9 = "webm-vp9"

    /// What the console's MediaRecorder is asked for.
    public var mimeType: String {
        switch self {
        case .webmVP8: "video/webm;codecs=vp8"
        case .webmVP9: "video/webm;codecs=vp9"
        }
    }
}
