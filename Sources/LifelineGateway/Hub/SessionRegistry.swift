import Foundation
import LifelineCore
import LifelineStore
import NIOConcurrencyHelpers

/// The live sessions of this gateway: each one's actor, and a copy of its record that every other
/// piece of work reads without waiting for the session (a queue listing, a PIN's lookup, the ten
/// active sessions a technician may have). A session's actor owns its record and writes the copy
/// here before any suspension point, so the copy is never behind what the session decided.
final class SessionRegistry: Sendable {
    private struct State {
        var records = LiveSessions()
        var sessions: [String: LiveSession] = [:]
        /// Link URLs of sessions waiting for their customer, kept only in memory (the store has hashes).
        var links: [String: String] = [:]
        /// PINs that stopped working today, and why: the customer is told "expired" or "already
        /// used" instead of "not valid" (issue 16). Memory only; a new session drawing the PIN clears it.
        var retiredPins: [String: (reason: RetiredPin, at: Date)] = [:]
    }

    enum RetiredPin: Sendable {
        /// A customer joined with it.
        case used
        /// Its session closed (timed out, ended) before anyone joined.
        case expired
    }

    /// How long a dead PIN is remembered as such.
    static let retiredPinMemory: TimeInterval = 24 * 3600

    private let state = NIOLockedValueBox(State())

    /// Registers a new session; false when a live session holds its number or PIN already (draw again).
    func add(_ session: LiveSession, record: SessionRecord, link: String?) -> Bool {
        state.withLockedValue { state in
            guard state.sessions[record.id] == nil, record.pin.map({ state.records.withPin($0) == nil }) ?? true else { return false }
            state.sessions[record.id] = session
            state.records[record.id] = record
            state.links[record.id] = link
            if let pin = record.pin { state.retiredPins[pin] = nil }
            return true
        }
    }

    func session(_ id: String) -> LiveSession? { state.withLockedValue { $0.sessions[id] } }
    func record(_ id: String) -> SessionRecord? { state.withLockedValue { $0.records[id] } }
    func link(of id: String) -> String? { state.withLockedValue { $0.links[id] } }
    var count: Int { state.withLockedValue { $0.records.count } }

    /// Every live record, oldest first.
    var records: [SessionRecord] {
        state.withLockedValue { Array($0.records.values) }.sorted { $0.machine.createdAt < $1.machine.createdAt }
    }

    func session(withPin pin: String) -> (LiveSession, SessionRecord)? {
        state.withLockedValue { state in state.records.withPin(pin).flatMap { record in state.sessions[record.id].map { ($0, record) } } }
    }

    func session(withLinkHash hash: String) -> (LiveSession, SessionRecord)? {
        state.withLockedValue { state in state.records.withLinkHash(hash).flatMap { record in state.sessions[record.id].map { ($0, record) } } }
    }

    func session(withAppletTokenHash hash: String) -> (LiveSession, SessionRecord)? {
        state.withLockedValue { state in
            state.records.withAppletTokenHash(hash).flatMap { record in state.sessions[record.id].map { ($0, record) } }
        }
    }

    /// The PIN stopped working (used, or its session closed unjoined); older memories are dropped.
    func retire(pin: String, _ reason: RetiredPin, at now: Date) {
        state.withLockedValue { state in
            state.retiredPins = state.retiredPins.filter { now.timeIntervalSince($0.value.at) < Self.retiredPinMemory }
            state.retiredPins[pin] = (reason, now)
        }
    }

    /// Why a PIN no live session holds stopped working, when it did today.
    func retiredPin(_ pin: String, at now: Date) -> RetiredPin? {
        state.withLockedValue { state in
            state.retiredPins[pin].flatMap { now.timeIntervalSince($0.at) < Self.retiredPinMemory ? $0.reason : nil }
        }
    }

    func isPinTaken(_ pin: String) -> Bool { state.withLockedValue { $0.records.withPin(pin) != nil } }

    /// The sessions `technicianId` owns or has another view of.
    func involving(_ technicianId: String) -> [SessionRecord] { state.withLockedValue { $0.records.involving(technicianId) } }

    /// The sessions `technicianId` owns whose own view counts toward the ten-active limit.
    func activeCount(of technicianId: String) -> Int {
        state.withLockedValue { $0.records.active(for: technicianId).filter { $0.technicianId == technicianId }.count }
    }

    /// Why `technicianId` may not have `id` active besides their other active sessions (ten in all,
    /// one Lens), with `elsewhere` the types of those active on other gateway nodes; nil: they may.
    func activeLimitRefusal(_ technicianId: String, activating id: String, elsewhere: [SessionType] = []) -> ActiveSessionRefusal? {
        state.withLockedValue { state in
            Self.refusal(technicianId, activating: id, type: state.records[id]?.sessionType ?? .standard,
                         in: state.records, elsewhere: elsewhere)
        }
    }

    /// The session's own copy of its record, written here before anything awaits.
    func update(_ session: LiveSession, _ record: SessionRecord) {
        state.withLockedValue { state in
            state.sessions[record.id] = session
            state.records[record.id] = record
        }
    }

    /// The same, with the limit of `technicianId`'s active sessions checked in the same step: of
    /// two Starts on two sessions at once, the eleventh is refused.
    func update(_ session: LiveSession, _ record: SessionRecord, claimingActiveSlotOf technicianId: String,
                elsewhere: [SessionType] = []) throws(GatewayError) {
        let refusal = state.withLockedValue { state -> ActiveSessionRefusal? in
            if let refusal = Self.refusal(technicianId, activating: record.id, type: record.sessionType, in: state.records, elsewhere: elsewhere) {
                return refusal
            }
            state.sessions[record.id] = session
            state.records[record.id] = record
            return nil
        }
        if let refusal { throw GatewayError.refusing(refusal) }
    }

    func setLink(_ link: String?, of id: String) {
        state.withLockedValue { $0.links[id] = link }
    }

    /// The session left every queue (closed, or taken out); its actor finishes what it was doing.
    func remove(_ id: String) {
        state.withLockedValue { state in
            state.records[id] = nil
            state.sessions[id] = nil
            state.links[id] = nil
        }
    }

    private static func refusal(_ technicianId: String, activating id: String, type: SessionType, in records: LiveSessions,
                                elsewhere: [SessionType]) -> ActiveSessionRefusal? {
        let current = records.active(for: technicianId).filter { $0.id != id }.compactMap { record -> (type: SessionType, state: SessionState)? in
            let view = record.technicianId == technicianId ? record.machine : record.otherViews[technicianId]
            return view.map { (record.sessionType, $0.state) }
        }
        // Sessions other nodes serve count as active ones (as their copies last showed them).
        return ActiveSessionLimit.refusal(adding: type, to: current + elsewhere.map { (type: $0, state: SessionState.active) })
    }
}
