import LifelineStore

/// The sessions still in a queue, with the lookups every join and every change makes kept as
/// indexes: a PIN, a link, an applet's token, a technician's sessions. With 8,000 customers
/// waiting, a scan of them all on each join was the part of a join that grew with the queue.
///
/// Writing a record through the subscript keeps every index in step, so no caller can forget one.
struct LiveSessions: Sendable {
    private var records: [String: SessionRecord] = [:]
    private var idsByPin: [String: String] = [:]
    private var idsByLinkHash: [String: String] = [:]
    private var idsByAppletTokenHash: [String: String] = [:]
    /// Sessions a technician owns or has another view of (a transfer waiting for them).
    private var idsByTechnician: [String: Set<String>] = [:]
    /// Of those, the ones whose view takes one of the technician's active slots: every Start and
    /// every status change asks for them, and one technician may have thousands waiting.
    private var activeIdsByTechnician: [String: Set<String>] = [:]

    subscript(id: String) -> SessionRecord? {
        get { records[id] }
        set {
            if let old = records[id] { unindex(old) }
            records[id] = newValue
            if let newValue { index(newValue) }
        }
    }

    var count: Int { records.count }
    var values: Dictionary<String, SessionRecord>.Values { records.values }

    func withPin(_ pin: String) -> SessionRecord? { idsByPin[pin].flatMap { records[$0] } }
    func withLinkHash(_ hash: String) -> SessionRecord? { idsByLinkHash[hash].flatMap { records[$0] } }
    func withAppletTokenHash(_ hash: String) -> SessionRecord? { idsByAppletTokenHash[hash].flatMap { records[$0] } }

    /// The sessions `technicianId` owns or has another view of.
    func involving(_ technicianId: String) -> [SessionRecord] {
        (idsByTechnician[technicianId] ?? []).compactMap { records[$0] }
    }

    /// The sessions in which `technicianId`'s own view counts toward the ten-active limit.
    func active(for technicianId: String) -> [SessionRecord] {
        (activeIdsByTechnician[technicianId] ?? []).compactMap { records[$0] }
    }

    private mutating func index(_ record: SessionRecord) {
        if let pin = record.pin { idsByPin[pin] = record.id }
        if let hash = record.linkTokenHash { idsByLinkHash[hash] = record.id }
        if let hash = record.appletTokenHash { idsByAppletTokenHash[hash] = record.id }
        for technicianId in Self.technicians(of: record) {
            idsByTechnician[technicianId, default: []].insert(record.id)
            if Self.countsTowardActiveLimit(record, for: technicianId) { activeIdsByTechnician[technicianId, default: []].insert(record.id) }
        }
    }

    /// Removes only entries that still name this record, so a value another record took over stays.
    private mutating func unindex(_ record: SessionRecord) {
        if let pin = record.pin, idsByPin[pin] == record.id { idsByPin[pin] = nil }
        if let hash = record.linkTokenHash, idsByLinkHash[hash] == record.id { idsByLinkHash[hash] = nil }
        if let hash = record.appletTokenHash, idsByAppletTokenHash[hash] == record.id { idsByAppletTokenHash[hash] = nil }
        for technicianId in Self.technicians(of: record) {
            Self.remove(record.id, of: technicianId, from: &idsByTechnician)
            Self.remove(record.id, of: technicianId, from: &activeIdsByTechnician)
        }
    }

    private static func remove(_ id: String, of technicianId: String, from index: inout [String: Set<String>]) {
        index[technicianId]?.remove(id)
        if index[technicianId]?.isEmpty == true { index[technicianId] = nil }
    }

    static func countsTowardActiveLimit(_ record: SessionRecord, for technicianId: String) -> Bool {
        let view = record.technicianId == technicianId ? record.machine : record.otherViews[technicianId]
        return view?.state.countsTowardActiveLimit ?? false
    }

    private static func technicians(of record: SessionRecord) -> [String] {
        [record.technicianId].compactMap { $0 } + record.otherViews.keys
    }
}
