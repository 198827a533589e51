import Foundation
import LifelineStore
import Logging
import NIOConcurrencyHelpers

/// Names shown with every session change (technicians, organisations, groups), read from the
/// store once and kept; an administrator's edit makes the book forget one.
final class NameBook: Sendable {
    enum Kind: String, Sendable {
        case technician, organisation, group
    }

    private let names = NIOLockedValueBox<[String: String]>([:])
    private let store: any Store
    private let logger: Logger

    init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// "" for nobody, or when the store could not be read (logged).
    func name(of id: String?, _ kind: Kind) async -> String {
        guard let id else { return "" }
        let key = "\(kind.rawValue):\(id)"
        if let name = names.withLockedValue({ $0[key] }) { return name }
        do {
            let name = try await read(id, kind) ?? ""
            names.withLockedValue { $0[key] = name }
            return name
        } catch {
            logger.error("Could not read a name", metadata: ["name.kind": "\(kind.rawValue)", "name.id": "\(id)", "error": "\(error)"])
            return ""
        }
    }

    func forget(_ id: String, _ kind: Kind) {
        names.withLockedValue { $0["\(kind.rawValue):\(id)"] = nil }
    }

    private func read(_ id: String, _ kind: Kind) async throws -> String? {
        switch kind {
        case .technician: try await store.technician(id: id)?.name
        case .organisation: try await store.organisation(id: id)?.name
        case .group: try await store.group(id: id)?.name
        }
    }
}
