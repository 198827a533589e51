import Foundation

/// Each live session's applet socket, findable from either side: by session (to tell the
/// customer something) and by socket (a closing socket names the session it served) without
/// scanning every connected applet.
struct AppletOutlets: Sendable {
    private var bySession: [String: Outlet] = [:]
    private var sessionsByOutlet: [UUID: String] = [:]

    var count: Int { bySession.count }

    subscript(sessionId: String) -> Outlet? {
        get { bySession[sessionId] }
        set {
            if let old = bySession[sessionId] { sessionsByOutlet[old.id] = nil }
            bySession[sessionId] = newValue
            if let newValue { sessionsByOutlet[newValue.id] = sessionId }
        }
    }

    @discardableResult
    mutating func removeValue(forKey sessionId: String) -> Outlet? {
        let outlet = bySession[sessionId]
        self[sessionId] = nil
        return outlet
    }

    func sessionId(ofOutlet outletId: UUID) -> String? { sessionsByOutlet[outletId] }
}
