import Crypto
import LifelineCore
import LifelineProtocol
import Testing
@testable import LifelineApplet

/// A script's output on its way to the console (N2): every byte hashed, characters never cut in
/// two across reads, messages within a frame, and no more than the cap sent.
@Suite("Script output")
struct ScriptOutputPumpTests {
    @Test("a character split across two reads arrives whole, in the second chunk")
    func splitCharacter() {
        var pump = ScriptOutputPump()
        let bytes = Array("héllo €".utf8)
        let first = pump.take(Array(bytes[0..<2]), from: .stdout, at: 0.1)
        let second = pump.take(Array(bytes[2...]), from: .stdout, at: 0.2)
        #expect(first.map(\.text) == ["h"])
        #expect(second.map(\.text) == ["éllo €"])
        #expect(pump.totalBytes == Int64(bytes.count))
        #expect(pump.sha256 == SHA256.hash(data: bytes).hexString)
    }

    @Test("each stream keeps its own unfinished character")
    func streamsApart() {
        var pump = ScriptOutputPump()
        let euro = Array("€".utf8)
        _ = pump.take([euro[0]], from: .stdout, at: 0)
        let error = pump.take(Array("!".utf8), from: .stderr, at: 0)
        let output = pump.take(Array(euro[1...]), from: .stdout, at: 0)
        #expect(error.map(\.text) == ["!"] && output.map(\.text) == ["€"])
    }

    @Test("past the cap nothing more is sent, everything is still counted and hashed")
    func cap() {
        var pump = ScriptOutputPump()
        var digest = SHA256()
        var sent = 0
        let block = [UInt8](repeating: UInt8(ascii: "x"), count: 300_000)
        for _ in 0..<10 {
            sent += pump.take(block, from: .stdout, at: 1).reduce(0) { $0 + $1.text.utf8.count }
            digest.update(data: block)
        }
        #expect(sent == ScriptRules.maximumOutputBytes)
        #expect(pump.truncated && pump.totalBytes == 3_000_000)
        #expect(pump.sha256 == digest.finalize().hexString)
    }

    @Test("chunks are at most one message's text each")
    func chunkSize() {
        var pump = ScriptOutputPump()
        let chunks = pump.take(Array(String(repeating: "ü", count: 20_000).utf8), from: .stdout, at: 0)
        #expect(chunks.allSatisfy { $0.text.utf8.count <= ScriptOutputMessage.maximumTextBytes })
        #expect(chunks.map(\.text).joined() == String(repeating: "ü", count: 20_000))
    }

    @Test("the length of whole characters", arguments: [
        ([UInt8](), 0), ([0x61], 1), ([0x61, 0xC3], 1), ([0xC3, 0xA9], 2), ([0xE2, 0x82], 0), ([0x61, 0xF0, 0x9F, 0x98], 1),
        ([0xF0, 0x9F, 0x98, 0x80], 4),
    ])
    func completeLength(_ bytes: [UInt8], _ expected: Int) {
        #expect(ScriptOutputPump.completeLength(bytes) == expected)
    }
}
