import Foundation
import Testing
@testable import LifelineGateway

/// The web root is served, and nothing outside it: symlinks left in the root that lead out of it
/// (to /etc/passwd, to the data folder's database) are not followed.
@Suite("Static files: only what lies inside the web root")
struct StaticFilesTests {
    @Test("files and inside symlinks are served; symlinks leading out of the root answer 404")
    func symlinksOutOfTheRootAreRefused() async throws {
        let root = GatewayHarness.newDataDirectory() + "-web"
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: root + "/pages", withIntermediateDirectories: true)
        try "<h1>Lifeline</h1>".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try "inside".write(toFile: root + "/pages/inside.txt", atomically: true, encoding: .utf8)
        try fileManager.createSymbolicLink(atPath: root + "/alias.txt", withDestinationPath: "pages/inside.txt")
        try fileManager.createSymbolicLink(atPath: root + "/passwd", withDestinationPath: "/etc/passwd")
        try fileManager.createSymbolicLink(atPath: root + "/etc", withDestinationPath: "/etc")
        let dataDirectory = GatewayHarness.newDataDirectory()
        try await GatewayHarness.run(dataDirectory: dataDirectory, webRoot: root) { gw in
            try fileManager.createSymbolicLink(atPath: root + "/key", withDestinationPath: dataDirectory + "/two-step.key")
            #expect(try await gw.request(.get, "/pages/inside.txt").status == .ok)
            #expect(try await gw.request(.get, "/alias.txt").status == .ok)
            #expect(try await gw.request(.get, "/").status == .ok)
            for escape in ["/passwd", "/etc/passwd", "/etc/hostname", "/key"] {
                #expect(try await gw.request(.get, escape).status == .notFound, "\(escape)")
            }
        }
    }

    @Test("every file is checked with the gateway before it is used again: no-cache, and 304 while it is unchanged")
    func filesAreRevalidated() async throws {
        let root = GatewayHarness.newDataDirectory() + "-web"
        try FileManager.default.createDirectory(atPath: root + "/lib", withIntermediateDirectories: true)
        try "export const version = 1;".write(toFile: root + "/lib/module.js", atomically: true, encoding: .utf8)
        try await GatewayHarness.run(dataDirectory: GatewayHarness.newDataDirectory(), webRoot: root) { gw in
            let first = try await gw.request(.get, "/lib/module.js")
            #expect(first.status == .ok)
            #expect(first.headers[.cacheControl] == "no-cache", "a console after an upgrade gets the new modules")
            let tag = try #require(first.headers[.eTag])
            #expect(try await gw.request(.get, "/lib/module.js", headers: [.ifNoneMatch: tag]).status == .notModified)
        }
    }
}
