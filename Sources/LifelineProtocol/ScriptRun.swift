#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// `script_run_request` from the console (N2): run a script of the technician's library, or one
/// embedded for their group, with these parameter values. Answered by `script_started`, then
/// `script_output` and `script_finished`.
public struct ScriptRunRequestMessage: WireMessage {
    public let sessionId: String
    public let requestId: String
    public let scriptId: String
    public let values: [String: String]
    /// With the elevated applet (J3) only: run as root rather than as the customer's account.
    public let asRoot: Bool

    public init(sessionId: String, requestId: String, scriptId: String, values: [String: String] = [:], asRoot: Bool = false) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.scriptId = scriptId
        self.values = values
        self.asRoot = asRoot
    }

    private enum CodingKeys: String, CodingKey { case sessionId, requestId, scriptId, values, asRoot }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sessionId = try container.decode(String.self, forKey: .sessionId)
        requestId = try container.decode(String.self, forKey: .requestId)
        scriptId = try container.decode(String.self, forKey: .scriptId)
        values = try container.decodeIfPresent([String: String].self, forKey: .values) ?? [:]
        asRoot = try container.decodeIfPresent(Bool.self, forKey: .asRoot) ?? false
    }
}

/// `script_cancel`: from the console (with the session) and to the applet (without): stop a run.
public struct ScriptCancelMessage: WireMessage {
    public let sessionId: String?
    public let runId: String
    /// Why, for the customer and the log (to the applet only).
    public let reason: String?
    /// True when the session was held, transferred or ended rather than the technician clicking Stop.
    public let sessionMovedOn: Bool?

    public init(sessionId: String?, runId: String, reason: String? = nil, sessionMovedOn: Bool? = nil) {
        self.sessionId = sessionId
        self.runId = runId
        self.reason = reason
        self.sessionMovedOn = sessionMovedOn
    }
}

/// A file the applet downloads before the run (`GET /api/v1/customer/scripts/{runId}/{script|resource}`)
/// and checks against this hash before anything runs.
public struct ScriptFileInfo: Codable, Equatable, Sendable {
    public let name: String
    public let size: Int
    public let sha256: String

    public init(name: String, size: Int, sha256: String) {
        self.name = name
        self.size = size
        self.sha256 = sha256
    }
}

/// `script_run` to the applet: everything it needs to show the customer what runs and to run it.
public struct ScriptRunOrder: WireMessage {
    public let runId: String
    public let technicianName: String
    public let name: String
    public let description: String
    public let script: ScriptFileInfo
    public let resource: ScriptFileInfo?
    /// The parameters as declared (the applet checks the values again) and their values in order.
    public let parameters: [ScriptParameter]
    public let arguments: [String]
    public let timeLimitSeconds: Int
    public let asRoot: Bool
    /// Run because it is marked "run at applet start", not by a technician's click.
    public let atStart: Bool

    public init(runId: String, technicianName: String, name: String, description: String, script: ScriptFileInfo,
                resource: ScriptFileInfo?, parameters: [ScriptParameter], arguments: [String], timeLimitSeconds: Int,
                asRoot: Bool, atStart: Bool) {
        self.runId = runId
        self.technicianName = technicianName
        self.name = name
        self.description = description
        self.script = script
        self.resource = resource
        self.parameters = parameters
        self.arguments = arguments
        self.timeLimitSeconds = timeLimitSeconds
        self.asRoot = asRoot
        self.atStart = atStart
    }
}

/// `script_started` to the console: the run was sent to the applet.
public struct ScriptStartedMessage: WireMessage {
    public let sessionId: String
    /// The console's request; nil for a "run at applet start" script.
    public let requestId: String?
    public let runId: String
    public let scriptId: String
    public let name: String
    public let sha256: String
    public let asRoot: Bool

    public init(sessionId: String, requestId: String?, runId: String, scriptId: String, name: String, sha256: String, asRoot: Bool) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.runId = runId
        self.scriptId = scriptId
        self.name = name
        self.sha256 = sha256
        self.asRoot = asRoot
    }
}

public enum ScriptStream: String, Codable, Sendable {
    case stdout
    case stderr
}

/// Some of a run's output, as it came: seconds since the script started, the stream, the text.
public struct ScriptOutputChunk: Codable, Equatable, Sendable {
    public let at: Double
    public let stream: ScriptStream
    public let text: String

    public init(at: Double, stream: ScriptStream, text: String) {
        self.at = at
        self.stream = stream
        self.text = text
    }
}

/// `script_output`: from the applet (without the session) and to the console (with it).
public struct ScriptOutputMessage: WireMessage {
    public let sessionId: String?
    public let runId: String
    public let chunks: [ScriptOutputChunk]

    public init(sessionId: String?, runId: String, chunks: [ScriptOutputChunk]) {
        self.sessionId = sessionId
        self.runId = runId
        self.chunks = chunks
    }

    /// Output waits at most this long before it is sent, and one message holds at most this much
    /// text (escaped as JSON, even control characters, it stays within one frame).
    public static let flushSeconds = 0.1
    public static let maximumTextBytes = 8 * 1024
}

/// How a run ended.
public struct ScriptResult: Codable, Equatable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        /// The script ended by itself: see `exitCode`.
        case exited
        /// A signal the applet did not send ended it: see `signal`.
        case signalled
        case timedOut = "timed_out"
        case cancelledByTechnician = "cancelled_by_technician"
        case cancelledByCustomer = "cancelled_by_customer"
        /// Ended because the session was held, transferred or ended, or the applet closed.
        case stopped
        /// Never started: see `refusal`.
        case refused
    }

    public enum Refusal: String, Codable, Sendable {
        case hashMismatch = "hash_mismatch"
        case badParameters = "bad_parameters"
        case notForThisPlatform = "not_for_this_platform"
        case downloadFailed = "download_failed"
        case cannotStart = "cannot_start"
        case notElevated = "not_elevated"
        case busy
    }

    public let outcome: Outcome
    public let exitCode: Int32?
    public let signal: Int32?
    public let refusal: Refusal?
    /// Said to the technician as it is (a refusal's detail, what could not start).
    public let message: String?
    /// Every byte the script wrote, even past what was sent, and their SHA-256.
    public let outputBytes: Int64
    public let outputSha256: String
    /// More was written than the console is sent (`ScriptRules` output cap).
    public let outputTruncated: Bool
    /// Processes the script left behind (daemons) that the applet ended with it.
    public let leftoverProcesses: Int
    public let seconds: Double

    public init(outcome: Outcome, exitCode: Int32? = nil, signal: Int32? = nil, refusal: Refusal? = nil, message: String? = nil,
                outputBytes: Int64 = 0, outputSha256: String = ScriptResult.emptySha256, outputTruncated: Bool = false,
                leftoverProcesses: Int = 0, seconds: Double = 0) {
        self.outcome = outcome
        self.exitCode = exitCode
        self.signal = signal
        self.refusal = refusal
        self.message = message
        self.outputBytes = outputBytes
        self.outputSha256 = outputSha256
        self.outputTruncated = outputTruncated
        self.leftoverProcesses = leftoverProcesses
        self.seconds = seconds
    }

    public static let emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public static func refused(_ refusal: Refusal, _ message: String) -> ScriptResult {
        ScriptResult(outcome: .refused, refusal: refusal, message: message)
    }

    /// One short phrase for the session log: "exit 0", "timed_out", "refused: hash_mismatch".
    public var summary: String {
        switch outcome {
        case .exited: "exit \(exitCode ?? -1)"
        case .signalled: "signal \(signal ?? 0)"
        case .refused: "refused: \(refusal?.rawValue ?? "unknown")"
        default: outcome.rawValue
        }
    }
}

/// `script_finished`: from the applet (without the session) and to the console (with it).
public struct ScriptFinishedMessage: WireMessage {
    public let sessionId: String?
    public let runId: String
    public let result: ScriptResult

    public init(sessionId: String?, runId: String, result: ScriptResult) {
        self.sessionId = sessionId
        self.runId = runId
        self.result = result
    }
}
