import Foundation

/// A value bound to or read from an SQL statement, the same for both databases.
public enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// A point in time: REAL seconds in the SQLite file, TIMESTAMPTZ in PostgreSQL. Read back as `.real`.
    case timestamp(Date)

    public var string: String? { if case .text(let s) = self { s } else { nil } }
    public var int: Int64? { if case .integer(let i) = self { i } else { nil } }
    public var double: Double? {
        switch self {
        case .real(let d): d
        case .integer(let i): Double(i)
        case .timestamp(let date): date.timeIntervalSince1970
        default: nil
        }
    }
}

public typealias SQLRow = [String: SQLValue]

/// A store failure, with the kind a caller may act on and a message for the log.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A UNIQUE constraint refused the row (duplicate email, PIN …).
        case uniqueViolation
        /// A row that must exist does not.
        case notFound
        /// The row changed since it was read (a version did not match).
        case conflict
        /// A row another one refers to cannot go (a foreign key).
        case stillReferenced
        case other
    }

    public let kind: Kind
    public let message: String

    public init(_ message: String, kind: Kind = .other) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public var isConstraintViolation: Bool { kind == .uniqueViolation }
}
