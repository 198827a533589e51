import Foundation
import LifelineCore
import LifelineProtocol
import NIOConcurrencyHelpers

/// The administrators' monitorings of technicians running on this gateway node (E1), readable
/// from any task: who watches whom, in which state. A monitoring lives as long as the
/// administrator's console on this node; nothing of it is stored but its audit lines.
final class MonitoringBoard: Sendable {
    struct Entry: Sendable {
        var monitoring: TechnicianMonitoring
        let technicianName: String
        let administratorName: String
        let startedAt: Date

        var summary: MonitoringSummary {
            MonitoringSummary(id: monitoring.id, technicianId: monitoring.technicianId, technicianName: technicianName,
                              state: monitoring.state, screen: monitoring.screen, startedAt: startedAt)
        }
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// Adds a confirmed monitoring (Waiting); refused when this administrator already watches
    /// the technician, checked in the same step as the addition.
    func start(_ entry: Entry) throws(TechnicianMonitoring.Refusal) -> Entry {
        try entries.withLockedValue { entries -> Result<Entry, TechnicianMonitoring.Refusal> in
            let watching = entries.values.contains {
                $0.monitoring.administratorId == entry.monitoring.administratorId && $0.monitoring.technicianId == entry.monitoring.technicianId
            }
            guard !watching else { return .failure(.alreadyMonitoring) }
            var added = entry
            do throws(TechnicianMonitoring.Refusal) { try added.monitoring.apply(.confirmed) } catch { return .failure(error) }
            entries[added.monitoring.id] = added
            return .success(added)
        }.get()
    }

    /// Applies `event` to every monitoring of `technicianId` it changes; returns those changed.
    func apply(_ event: TechnicianMonitoring.Event, toMonitoringsOf technicianId: String) -> [Entry] {
        entries.withLockedValue { entries in
            var changed: [Entry] = []
            for (id, entry) in entries where entry.monitoring.technicianId == technicianId {
                var next = entry
                do throws(TechnicianMonitoring.Refusal) { try next.monitoring.apply(event) } catch { continue }
                guard next.monitoring != entry.monitoring else { continue }
                entries[id] = next
                changed.append(next)
            }
            return changed
        }
    }

    /// Changes one monitoring of `administratorId`; nil when they have no such monitoring.
    func change(_ id: String, of administratorId: String,
                _ body: (inout TechnicianMonitoring) throws(TechnicianMonitoring.Refusal) -> Void) throws(TechnicianMonitoring.Refusal) -> Entry? {
        try change(id, where: { $0.administratorId == administratorId }, body)
    }

    /// Changes one monitoring watching `technicianId` (their screen's answer); nil when there is none.
    func changeWatched(_ id: String, of technicianId: String,
                       _ body: (inout TechnicianMonitoring) throws(TechnicianMonitoring.Refusal) -> Void) throws(TechnicianMonitoring.Refusal) -> Entry? {
        try change(id, where: { $0.technicianId == technicianId }, body)
    }

    func watchedEntry(_ id: String, of technicianId: String) -> Entry? {
        entries.withLockedValue { entries in entries[id].flatMap { $0.monitoring.technicianId == technicianId ? $0 : nil } }
    }

    private func change(_ id: String, where belongs: (TechnicianMonitoring) -> Bool,
                        _ body: (inout TechnicianMonitoring) throws(TechnicianMonitoring.Refusal) -> Void) throws(TechnicianMonitoring.Refusal) -> Entry? {
        try entries.withLockedValue { entries -> Result<Entry?, TechnicianMonitoring.Refusal> in
            guard var entry = entries[id], belongs(entry.monitoring) else { return .success(nil) }
            do throws(TechnicianMonitoring.Refusal) { try body(&entry.monitoring) } catch { return .failure(error) }
            if entry.monitoring.state == .closed { entries[id] = nil } else { entries[id] = entry }
            return .success(entry)
        }.get()
    }

    func entry(_ id: String, of administratorId: String) -> Entry? {
        entries.withLockedValue { entries in entries[id].flatMap { $0.monitoring.administratorId == administratorId ? $0 : nil } }
    }

    /// The administrator's monitorings, oldest first.
    func monitorings(of administratorId: String) -> [Entry] {
        entries.withLockedValue { $0.values.filter { $0.monitoring.administratorId == administratorId }.sorted { $0.startedAt < $1.startedAt } }
    }

    /// The active monitorings of `technicianId`: where their console's mirror goes.
    func watching(_ technicianId: String) -> [Entry] {
        entries.withLockedValue { $0.values.filter { $0.monitoring.technicianId == technicianId && $0.monitoring.mirrors } }
    }
}
