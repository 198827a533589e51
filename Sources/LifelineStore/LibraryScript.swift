import Foundation
import LifelineCore

/// A script in a library (N1): a technician's own (`ownerId`) or one embedded by an administrator
/// for a technician group (`groupId`, R4). The resource file's bytes are kept apart and read only
/// when the script runs or is exported.
public struct LibraryScript: Codable, Equatable, Sendable {
    public let id: String
    public let organisationId: String
    public let ownerId: String?
    public let groupId: String?
    /// The place in its library, from 0: the order the console lists and runs at start in.
    public var position: Int
    public var favourite: Bool
    public var definition: ScriptDefinition
    /// SHA-256 of the script's UTF-8 bytes, hex: the applet checks what it received against it.
    public var scriptSha256: String
    public var resourceSha256: String?
    public var resourceSize: Int?
    public let createdAt: Date
    public var updatedAt: Date

    public init(id: String, organisationId: String, ownerId: String?, groupId: String?, position: Int, favourite: Bool,
                definition: ScriptDefinition, scriptSha256: String, resourceSha256: String?, resourceSize: Int?,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.organisationId = organisationId
        self.ownerId = ownerId
        self.groupId = groupId
        self.position = position
        self.favourite = favourite
        self.definition = definition
        self.scriptSha256 = scriptSha256
        self.resourceSha256 = resourceSha256
        self.resourceSize = resourceSize
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a save does to the resource file: the bytes kept as they are, replaced, or removed.
public enum ScriptResourceChange: Sendable, Equatable {
    case keep
    case replace(Data)
    case remove
}
