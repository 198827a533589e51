/// Requests passed to the applet for several technicians of one session (the lead and colleagues
/// collaborating): each console numbers its own, so the applet is given an id made here, and its
/// answer finds who asked and under which of their ids. Pure: the session holds it.
struct AppletRequests<Pending> {
    struct Entry {
        let technicianId: String
        /// The console's id for the request, used in the answer it gets.
        let requestId: String
        let pending: Pending
    }

    private var entries: [String: Entry] = [:]
    private var issued = 0

    var count: Int { entries.count }

    /// Whether `technicianId` already waits for an answer under `requestId`.
    func isWaiting(_ requestId: String, of technicianId: String) -> Bool {
        entries.values.contains { $0.technicianId == technicianId && $0.requestId == requestId }
    }

    /// Keeps the request; returns the id the applet is given.
    mutating func add(_ requestId: String, of technicianId: String, _ pending: Pending) -> String {
        issued += 1
        let appletId = "r\(issued)"
        entries[appletId] = Entry(technicianId: technicianId, requestId: requestId, pending: pending)
        return appletId
    }

    subscript(appletId: String) -> Entry? { entries[appletId] }

    mutating func remove(_ appletId: String) -> Entry? { entries.removeValue(forKey: appletId) }
}
