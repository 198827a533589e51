import Foundation
import NIOConcurrencyHelpers

/// Every open socket the gateway talks to — technicians' consoles, customers' applets, external
/// collaborators' consoles — findable from any session's work without waiting for another's.
/// Only routing lives here: what a socket may do is decided where its messages are handled.
final class SocketDirectory: Sendable {
    private struct Sockets {
        var consoles: [String: [UUID: Outlet]] = [:]
        /// Consoles on other gateway nodes, each standing for one technician's consoles there (issue 20), with that node's id.
        var otherNodes: [UUID: String] = [:]
        var applets = AppletOutlets()
        var collaborators: [String: Outlet] = [:]
        /// Per console, per session: the socket of the page's worker that draws that session's
        /// screen (issue 23), which gets the screen's updates in the console's stead.
        var screens: [UUID: [String: Outlet]] = [:]
    }

    private let sockets = NIOLockedValueBox(Sockets())
    /// Passes what is meant for a technician's consoles to the other gateway nodes, but those named
    /// (they have a stand-in here, which passes it already); set by a node of a cluster.
    let toOtherNodes = NIOLockedValueBox<(@Sendable (_ technicianId: String, _ message: String, _ skipping: Set<String>) -> Void)?>(nil)
    /// A binary frame for a technician's consoles on other gateway nodes (a monitored technician's
    /// screen, E1): sent only to the nodes where they have a console.
    let binaryToOtherNodes = NIOLockedValueBox<(@Sendable (_ technicianId: String, _ frame: [UInt8], _ skipping: Set<String>) -> Void)?>(nil)

    /// How many of each are open (for the operator's metrics).
    var counts: (consoles: Int, applets: Int, collaborators: Int) {
        sockets.withLockedValue { ($0.consoles.values.reduce(0) { $0 + $1.count }, $0.applets.count, $0.collaborators.count) }
    }

    // MARK: Consoles, by technician

    /// `standingFor`: the gateway node whose consoles of the technician this one stands for: they
    /// get what is meant for these consoles (answers, the remote desktop) but build their queue themselves.
    func addConsole(_ outlet: Outlet, of technicianId: String, standingFor nodeId: String? = nil) {
        sockets.withLockedValue { sockets in
            sockets.consoles[technicianId, default: [:]][outlet.id] = outlet
            if let nodeId { sockets.otherNodes[outlet.id] = nodeId }
        }
    }

    /// Removes one console socket, and closes its screen sockets; `wasLast` when the technician has no console left.
    func removeConsole(_ outletId: UUID, of technicianId: String) -> (removed: Bool, wasLast: Bool) {
        let (result, screens) = sockets.withLockedValue { sockets -> ((Bool, Bool), [Outlet]) in
            guard sockets.consoles[technicianId]?.removeValue(forKey: outletId) != nil else { return ((false, false), []) }
            sockets.otherNodes[outletId] = nil
            let screens = Array((sockets.screens.removeValue(forKey: outletId) ?? [:]).values)
            guard sockets.consoles[technicianId]?.isEmpty == true else { return ((true, false), screens) }
            sockets.consoles[technicianId] = nil
            return ((true, true), screens)
        }
        for outlet in screens { outlet.close(reason: "console closed") }
        return result
    }

    /// Forgets every console of a technician (and their screen sockets) and hands them back to be closed.
    func removeConsoles(of technicianId: String) -> [Outlet] {
        sockets.withLockedValue { sockets in
            let removed = Array((sockets.consoles.removeValue(forKey: technicianId) ?? [:]).values)
            var screens: [Outlet] = []
            for outlet in removed {
                sockets.otherNodes[outlet.id] = nil
                screens += (sockets.screens.removeValue(forKey: outlet.id) ?? [:]).values
            }
            return removed + screens
        }
    }

    func consoles(of technicianId: String) -> [Outlet] {
        sockets.withLockedValue { Array(($0.consoles[technicianId] ?? [:]).values) }
    }

    func hasConsole(_ technicianId: String) -> Bool {
        sockets.withLockedValue { $0.consoles[technicianId] != nil }
    }

    /// Technicians with at least one console open on this node, sorted.
    var techniciansWithConsoles: [String] {
        sockets.withLockedValue { sockets in
            sockets.consoles.filter { $0.value.keys.contains { sockets.otherNodes[$0] == nil } }.keys.sorted()
        }
    }

    /// What is meant for the technician's consoles, wherever they are: the answer to a request
    /// forwarded from another node's console reaches it too.
    func sendToConsoles(of technicianId: String, _ message: String) {
        let (consoles, standIns) = sockets.withLockedValue { sockets in
            let consoles = Array((sockets.consoles[technicianId] ?? [:]).values)
            return (consoles, Set(consoles.compactMap { sockets.otherNodes[$0.id] }))
        }
        for console in consoles { console.send(message) }
        toOtherNodes.withLockedValue { $0 }?(technicianId, message, standIns)
    }

    /// A binary frame to every console of the technician: here, through the stand-ins, and on the other nodes.
    func sendToConsoles(of technicianId: String, binary frame: [UInt8]) {
        let (consoles, standIns) = sockets.withLockedValue { sockets in
            let consoles = Array((sockets.consoles[technicianId] ?? [:]).values)
            return (consoles, Set(consoles.compactMap { sockets.otherNodes[$0.id] }))
        }
        for console in consoles { console.send(binary: frame) }
        binaryToOtherNodes.withLockedValue { $0 }?(technicianId, frame, standIns)
    }

    /// The technician's consoles on this node only: what each node builds for its own (the queue, the log, statuses).
    func localConsoles(of technicianId: String) -> [Outlet] {
        sockets.withLockedValue { sockets in
            (sockets.consoles[technicianId] ?? [:]).values.filter { sockets.otherNodes[$0.id] == nil }
        }
    }

    func sendToLocalConsoles(of technicianId: String, _ message: String) {
        for console in localConsoles(of: technicianId) { console.send(message) }
    }

    // MARK: Screen sockets, by console and session (issue 23)

    enum ScreensAdded: Equatable {
        /// (One the console's worker had for that session before is closed.)
        case added
        /// No such console of the technician on this node (it closed, or it is another node's).
        case unknownConsole
        case tooMany
    }

    /// Screen sockets one console may have open: one per session it shows.
    static let maximumScreensPerConsole = 16

    /// Whether `consoleId` is one of the technician's consoles open on this node (not another node's stand-in).
    func isLocalConsole(_ consoleId: UUID, of technicianId: String) -> Bool {
        sockets.withLockedValue { $0.consoles[technicianId]?[consoleId] != nil && $0.otherNodes[consoleId] == nil }
    }

    /// Registers the socket of console `consoleId`'s worker that draws session `sessionId`'s screen.
    func addScreens(_ outlet: Outlet, toConsole consoleId: UUID, of technicianId: String, session sessionId: String) -> ScreensAdded {
        let (added, replaced) = sockets.withLockedValue { sockets -> (ScreensAdded, Outlet?) in
            guard sockets.consoles[technicianId]?[consoleId] != nil, sockets.otherNodes[consoleId] == nil else { return (.unknownConsole, nil) }
            var screens = sockets.screens[consoleId] ?? [:]
            guard screens[sessionId] != nil || screens.count < Self.maximumScreensPerConsole else { return (.tooMany, nil) }
            let replaced = screens.updateValue(outlet, forKey: sessionId)
            sockets.screens[consoleId] = screens
            return (.added, replaced)
        }
        replaced?.close(reason: "replaced")
        return added
    }

    /// Forgets a screen socket that closed, while it is still the one of its console and session.
    @discardableResult
    func removeScreens(_ outletId: UUID, ofConsole consoleId: UUID, session sessionId: String) -> Bool {
        sockets.withLockedValue { sockets in
            guard sockets.screens[consoleId]?[sessionId]?.id == outletId else { return false }
            sockets.screens[consoleId]?[sessionId] = nil
            if sockets.screens[consoleId]?.isEmpty == true { sockets.screens[consoleId] = nil }
            return true
        }
    }

    /// The socket that gets session `sessionId`'s screen updates for console `consoleId`, when its worker opened one.
    func screens(ofConsole consoleId: UUID, session sessionId: String) -> Outlet? {
        sockets.withLockedValue { $0.screens[consoleId]?[sessionId] }
    }

    // MARK: Applets, by session

    func applet(of sessionId: String) -> Outlet? {
        sockets.withLockedValue { $0.applets[sessionId] }
    }

    /// Registers the session's applet socket; the one it replaces comes back to be closed.
    func setApplet(_ outlet: Outlet, of sessionId: String) -> Outlet? {
        sockets.withLockedValue { sockets in
            let previous = sockets.applets[sessionId]
            sockets.applets[sessionId] = outlet
            return previous?.id == outlet.id ? nil : previous
        }
    }

    @discardableResult
    func removeApplet(of sessionId: String) -> Outlet? {
        sockets.withLockedValue { $0.applets.removeValue(forKey: sessionId) }
    }

    /// Removes the applet socket only while it is still the session's (not one that replaced it).
    func removeApplet(outletId: UUID) -> String? {
        sockets.withLockedValue { sockets in
            guard let sessionId = sockets.applets.sessionId(ofOutlet: outletId) else { return nil }
            sockets.applets[sessionId] = nil
            return sessionId
        }
    }

    func sessionId(ofApplet outletId: UUID) -> String? {
        sockets.withLockedValue { $0.applets.sessionId(ofOutlet: outletId) }
    }

    /// Whether `outletId` is the session's applet socket now (a replaced one no longer speaks for it).
    func isApplet(_ outletId: UUID, of sessionId: String) -> Bool {
        applet(of: sessionId)?.id == outletId
    }

    func sendToApplet(of sessionId: String, _ message: String) {
        applet(of: sessionId)?.send(message)
    }

    // MARK: External collaborators' consoles, by collaborator

    func collaborator(_ collaboratorId: String) -> Outlet? {
        sockets.withLockedValue { $0.collaborators[collaboratorId] }
    }

    /// Registers a collaborator's console; the one it replaces (a second tab) comes back to be closed.
    func setCollaborator(_ outlet: Outlet, for collaboratorId: String) -> Outlet? {
        sockets.withLockedValue { sockets in
            defer { sockets.collaborators[collaboratorId] = outlet }
            return sockets.collaborators[collaboratorId]
        }
    }

    @discardableResult
    func removeCollaborator(_ collaboratorId: String) -> Outlet? {
        sockets.withLockedValue { $0.collaborators.removeValue(forKey: collaboratorId) }
    }

    func collaboratorId(ofOutlet outletId: UUID) -> String? {
        sockets.withLockedValue { $0.collaborators.first { $0.value.id == outletId }?.key }
    }
}
