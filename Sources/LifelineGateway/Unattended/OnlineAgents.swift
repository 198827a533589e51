import Foundation
import NIOConcurrencyHelpers

/// The agents connected now, by computer (F5): a computer is online while its agent holds a
/// socket that proved its key. A newer connection of the same computer replaces the older one.
final class OnlineAgents: Sendable {
    private let agents = NIOLockedValueBox<[String: Outlet]>([:])

    /// Registers the agent; returns the connection it replaced, to close.
    func connected(deviceId: String, outlet: Outlet) -> Outlet? {
        agents.withLockedValue { agents in
            defer { agents[deviceId] = outlet }
            return agents[deviceId]
        }
    }

    /// Forgets the agent whose connection this was, if it still was one; returns its computer.
    func disconnected(outletId: UUID) -> String? {
        agents.withLockedValue { agents in
            guard let deviceId = agents.first(where: { $0.value.id == outletId })?.key else { return nil }
            agents[deviceId] = nil
            return deviceId
        }
    }

    /// Whether this connection finished its handshake (and is still its computer's).
    func holds(outletId: UUID) -> Bool { agents.withLockedValue { $0.values.contains { $0.id == outletId } } }

    var count: Int { agents.withLockedValue { $0.count } }

    func isOnline(_ deviceId: String) -> Bool { agents.withLockedValue { $0[deviceId] != nil } }

    func outlet(of deviceId: String) -> Outlet? { agents.withLockedValue { $0[deviceId] } }

    /// Removes and returns the agent's connection (its computer was deleted).
    func remove(_ deviceId: String) -> Outlet? { agents.withLockedValue { $0.removeValue(forKey: deviceId) } }
}
