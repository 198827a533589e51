import Foundation
import Testing
import LifelineCore
@testable import LifelineProtocol

/// A long processes list (a desktop with a browser: hundreds of processes, kilobytes of command
/// line each) must reach the console whole, in frames the gateway accepts.
@Suite("System information in parts")
struct SystemInfoPartsTests {
    static func row(_ pid: Int32, argumentBytes: Int) -> ProcessRow {
        ProcessRow(pid: pid, name: "chromium", user: "customer", cpuPercent: 1.5, memory: 80_000_000, started: 1_700_000_000,
                   commandLine: ProcessRow.clipped("/usr/lib/chromium/chromium --type=renderer " + String(repeating: "é", count: argumentBytes / 2)))
    }

    @Test("every part's message fits one frame, and the parts' rows are the whole list in order", arguments: [0, 1, 40, 700])
    func partsFitAFrame(count: Int) throws {
        let rows = (0..<count).map { Self.row(Int32($0 + 1), argumentBytes: $0 % 7 == 0 ? 20_000 : 300) }
        let parts = SystemInfoReply.processes(rows).parts(maximumBytes: SystemInfoReply.maximumPartBytes)
        var gathered: [ProcessRow] = []
        for (index, part) in parts.enumerated() {
            let text = WireCodec.encode(AppletToGateway.systemInfoReply(.init(
                sessionId: nil, requestId: String(repeating: "r", count: 64), reply: part, more: index < parts.count - 1 ? true : nil)))
            #expect(text.utf8.count <= WireProtocol.maximumFrameBytes)
            guard case .systemInfoReply(let decoded) = try WireCodec.decode(text, as: AppletToGateway.self),
                  case .processes(let partRows) = decoded.reply else { throw TestFailure("not processes") }
            #expect(decoded.more == (index < parts.count - 1 ? true : nil))
            gathered += partRows
        }
        #expect(gathered == rows)
        #expect(count > 40 ? parts.count > 1 : parts.count == 1)
    }

    @Test("a command line longer than 4 KiB is cut on a character boundary, marked with …")
    func commandLineClipped() {
        let long = String(repeating: "a", count: 4094) + "ééé"
        let clipped = ProcessRow.clipped(long)
        #expect(clipped.utf8.count <= ProcessRow.maximumCommandLineBytes)
        #expect(clipped.hasSuffix("…") && clipped.hasPrefix(String(repeating: "a", count: 4000)))
        #expect(ProcessRow.clipped("/sbin/init splash") == "/sbin/init splash")
        #expect(ProcessRow.clipped(String(repeating: "x", count: 4096)).utf8.count == 4096)
    }

    @Test("drivers are cut the same way; the other views are one part")
    func otherViews() {
        let modules = (0..<2_000).map { KernelModule(name: "module\($0)", state: "live", version: nil, size: 16_384, usedBy: ["a", "b"],
                                                      drivers: [.init(bus: "pci", name: "driver\($0)", devices: ["0000:00:1f.\($0 % 8)"])]) }
        let parts = SystemInfoReply.drivers(modules).parts(maximumBytes: SystemInfoReply.maximumPartBytes)
        #expect(parts.count > 1)
        let gathered: [KernelModule] = parts.flatMap { part -> [KernelModule] in
            if case .drivers(let rows) = part { return rows }
            return []
        }
        #expect(gathered == modules)
        let failed = SystemInfoReply.failed(code: "io_error", message: "x")
        #expect(failed.parts(maximumBytes: 10) == [failed])
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
