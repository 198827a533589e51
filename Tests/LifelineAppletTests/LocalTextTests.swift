import Foundation
import Testing
@testable import LifelineApplet

/// Files read whole: a regular file straight by its size, a /proc file (size 0) in pieces, a limit kept.
@Suite("Local files read whole")
struct LocalTextTests {
    @Test("a regular file whole, and cut at the limit; a /proc file whose size says 0; a missing file is nil")
    func readWhole() throws {
        let path = NSTemporaryDirectory() + "lifeline-localtext-\(UUID().uuidString)"
        let content = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(LocalText.bytes(path) == content)
        #expect(LocalText.bytes(path, limit: 1_000) == Array(content[0..<1_000]))
        #expect(LocalText.bytes(path, limit: 200_000) == content)
        let status = try #require(LocalText.read("/proc/self/status"))
        #expect(status.hasPrefix("Name:") && status.contains("\nPid:"))
        #expect(LocalText.bytes(path + ".missing") == nil)
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(LocalText.bytes(path) == [])
    }
}
