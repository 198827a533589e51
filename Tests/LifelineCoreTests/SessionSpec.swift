import Foundation
import LifelineCore

/// The manual's appendix, read from the machine-readable copy in Fixtures/session-states.json.
struct SessionSpec: Decodable {
    struct State: Decodable { let id: String }
    struct Row: Decodable { let from: String; let to: String; let trigger: String }
    struct StateTableRow: Decodable { let state: String; let previous: [String]; let next: [String] }

    let states: [State]
    let transitions: [Row]
    let monitoring_transitions: [Row]
    let state_table: [StateTableRow]
    let allowed: [[String]]

    static let shared: SessionSpec = {
        let url = Bundle.module.url(forResource: "session-states", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(SessionSpec.self, from: Data(contentsOf: url))
    }()

    /// `allowed`, and Rebooting → Offline: the appendix's state table gives it in Offline's own row
    /// ("reboot or reconnection failed for more than five minutes", previous: Rebooting) though
    /// Rebooting's "next" list leaves it out; issue 19 asks for it.
    var allowedPairs: Set<Pair> {
        Set(allowed.map { Pair(from: SessionState(rawValue: $0[0])!, to: SessionState(rawValue: $0[1])!) })
            .union([Pair(from: .rebooting, to: .offline)])
    }
}

struct Pair: Hashable, CustomStringConvertible {
    let from: SessionState
    let to: SessionState
    var description: String { "\(from.rawValue) → \(to.rawValue)" }
}
