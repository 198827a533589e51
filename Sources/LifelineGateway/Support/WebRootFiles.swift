import Foundation
import Hummingbird
import Logging
import NIOPosix

/// The web root's files, and nothing outside it: a path is served only when, with every symlink
/// resolved, it is a regular file (or a folder, for its index.html) inside the root. A symlink
/// left in the root (to /etc/passwd, to the data folder's database) answers 404.
struct WebRootFiles: FileProvider {
    typealias FileAttributes = LocalFileSystem.FileAttributes
    typealias FileIdentifier = String

    private let files: LocalFileSystem
    /// The root with its own symlinks resolved, ending in "/".
    private let resolvedRoot: String

    init(rootFolder: String, logger: Logger) {
        files = LocalFileSystem(rootFolder: rootFolder, threadPool: .singleton, logger: logger)
        let root = Self.resolved(rootFolder) ?? rootFolder
        resolvedRoot = root.hasSuffix("/") ? root : root + "/"
    }

    func getFileIdentifier(_ path: String) -> String? {
        files.getFileIdentifier(path)
    }

    func getAttributes(id path: String) async throws -> FileAttributes? {
        guard let inside = contained(path) else { return nil }
        return try await files.getAttributes(id: inside)
    }

    func loadFile(id path: String, context: some RequestContext) async throws -> ResponseBody {
        guard let inside = contained(path) else { throw HTTPError(.notFound) }
        return try await files.loadFile(id: inside, context: context)
    }

    func loadFile(id path: String, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        guard let inside = contained(path) else { throw HTTPError(.notFound) }
        return try await files.loadFile(id: inside, range: range, context: context)
    }

    /// The resolved path when it lies inside the root and is a regular file or a folder.
    private func contained(_ path: String) -> String? {
        guard let resolved = Self.resolved(path), (resolved + "/").hasPrefix(resolvedRoot) else { return nil }
        var status = stat()
        guard stat(resolved, &status) == 0 else { return nil }
        let type = status.st_mode & S_IFMT
        return type == S_IFREG || type == S_IFDIR ? resolved : nil
    }

    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
