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

    @Test("a part kept encoded makes the same message text as the message encoded whole", arguments: [false, true])
    func keptPartText(more: Bool) throws {
        let part = SystemInfoReply.applications([
            InstalledApplication(name: "zsh", version: "5.9-4+b6", source: "dpkg", size: 2_048, installed: 1_700_000_000.25, summary: "shell \"z\" / é"),
            InstalledApplication(name: "org.gimp.GIMP", version: "stable", source: "flatpak", installed: nil)])
        let requestId = "r\"12\\"
        let text = SystemInfoReplyMessage.text(requestId: requestId, encodedPart: WireCodec.encodeValue(part), more: more)
        let message = SystemInfoReplyMessage(sessionId: nil, requestId: requestId, reply: part, more: more ? true : nil)
        #expect(text == WireCodec.encode(AppletToGateway.systemInfoReply(message)))
        #expect(try WireCodec.decode(text, as: AppletToGateway.self) == .systemInfoReply(message))
        // The gateway's relay to the console, with the session.
        let relayed = SystemInfoReplyMessage(sessionId: "session \"1\"", requestId: requestId, reply: part, more: more ? true : nil)
        #expect(SystemInfoReplyMessage.text(sessionId: "session \"1\"", requestId: requestId, encodedPart: part.encoded(), more: more)
                == WireCodec.encode(GatewayToConsole.systemInfoReply(relayed)))
    }

    @Test("each list's parts encoded row by row are the parts encoded whole, key order and all")
    func encodedPartsMatch() {
        let replies: [SystemInfoReply] = [
            .processes((0..<300).map { Self.row(Int32($0 + 1), argumentBytes: $0 % 5 == 0 ? 3_000 : 200) }),
            .applications((0..<1_500).map { InstalledApplication(name: "package\($0)", version: "1.\($0)", source: "dpkg", size: 4_096,
                                                                  installed: 1_700_000_000,
                                                                  summary: $0 % 3 == 0 ? "commas \",\" and \\\" {braces} [brackets]," : "The \"\($0)\" tool / é") }),
            .services((0..<400).map { ServiceUnit(name: "unit\($0).service", scope: .system, description: "A service", loadState: "loaded",
                                                 activeState: "active", subState: "running", enablement: "enabled") }),
            .startup([StartupEntry(kind: .autostart, name: "notes.desktop", title: "Notes", command: "/usr/bin/notes", scope: .user, enabled: true)]),
            .drivers([]), .applications([]),
            .events(EventPage(entries: [], next: "cursor", scanned: 3, source: "journal")),
            .failed(code: "io_error", message: "x")]
        for reply in replies {
            let whole = reply.parts(maximumBytes: SystemInfoReply.maximumPartBytes)
            #expect(reply.encodedParts(maximumBytes: SystemInfoReply.maximumPartBytes) == whole.map { WireCodec.encodeValue($0) })
            #expect(reply.encoded() == WireCodec.encodeValue(reply))
        }
        #expect(replies[0].parts(maximumBytes: SystemInfoReply.maximumPartBytes).count > 1)
        #expect(replies[1].parts(maximumBytes: SystemInfoReply.maximumPartBytes).count > 1)
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
