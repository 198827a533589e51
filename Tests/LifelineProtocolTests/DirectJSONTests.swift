import Foundation
import Testing
@testable import LifelineProtocol

/// The applications view's rows written and read without JSONEncoder and JSONDecoder: the same
/// bytes, the same values, and anything else left to the general decoder.
@Suite("Rows written and read directly")
struct DirectJSONTests {
    static let awkwardRows: [InstalledApplication] = {
        let awkward = ["", "plain", "quote \" backslash \\ slash / done", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}",
                       "é ü 日本 🙂", "\r\n{\"a\":[1,2]}"]
        let numbers: [Double?] = [nil, 0, 1, -1, 1_700_000_000, 1_700_000_000.25, 1_764_000_000.123456, 0.1, 1e-7, 1e16, 1e21, 123_456_789.000_001,
                                  -0.5, 9_007_199_254_740_993, 5e-324, 1.7976931348623157e308]
        let sizes: [Int64?] = [nil, 0, 4_096, -1, .max, .min]
        var rows: [InstalledApplication] = []
        for (index, text) in awkward.enumerated() {
            for (other, number) in numbers.enumerated() {
                rows.append(InstalledApplication(name: text, version: awkward[(index + other) % awkward.count], source: "dpkg",
                                                 size: sizes[other % sizes.count], installed: number, summary: text + "\(other)"))
            }
        }
        return rows
    }()

    @Test("rows written directly are the bytes JSONEncoder writes: escapes, numbers, absent values")
    func directRows() {
        let rows = Self.awkwardRows
        let (bytes, ends) = DirectJSON.rows(rows)
        #expect(String(decoding: bytes, as: UTF8.self) == rows.map { WireCodec.encodeValue($0) }.joined(separator: ","))
        #expect(ends.count == rows.count && ends.last == bytes.count)
        // Every field set: a field added to the row and not written directly shows here.
        let full = InstalledApplication(name: "n", version: "v", source: "s", size: 1, installed: 2, summary: "u")
        #expect(Mirror(reflecting: full).children.count == 6)
        #expect(String(decoding: DirectJSON.rows([full]).bytes, as: UTF8.self) == WireCodec.encodeValue(full))
    }

    @Test("the applet's parts read directly are what JSONDecoder reads from them", arguments: [false, true])
    func readBack(more: Bool) throws {
        for rows in [Self.awkwardRows, [], Array(Self.awkwardRows.prefix(1))] {
            let text = SystemInfoReplyMessage.text(requestId: "r\"1\\é", encodedPart: SystemInfoReply.applications(rows).encoded(), more: more)
            let direct = try #require(SystemInfoReplyMessage.directlyRead(text))
            #expect(direct == SystemInfoReplyMessage(sessionId: nil, requestId: "r\"1\\é", reply: .applications(rows), more: more ? true : nil))
            #expect(try WireCodec.decodeGenerally(Data(text.utf8), as: AppletToGateway.self) == .systemInfoReply(direct))
            #expect(try WireCodec.decode(text, as: AppletToGateway.self) == .systemInfoReply(direct))
        }
    }

    @Test("text written any other way is not read directly, and decodes (or fails) exactly as JSONDecoder has it")
    func othersLeftToTheGeneralDecoder() throws {
        let row = #"{"installed":1700000000.5,"name":"zsh","size":2048,"source":"dpkg","summary":"shell","version":"5.9"}"#
        func message(_ rows: String, tail: String = #","requestId":"r","type":"system_info_reply","v":1}"#) -> String {
            #"{"reply":{"applications":["# + rows + #"],"kind":"applications"}"# + tail
        }
        let others = [
            message(row.replacingOccurrences(of: ",", with: ", ")),                               // spaces
            message(row.replacingOccurrences(of: "\"name\":\"zsh\"", with: "\"name\":\"z\\/sh\"")),   // an escaped slash
            message(row.replacingOccurrences(of: "zsh", with: "z\\u00e9sh")),                      // a \u escape of a letter
            message(row.replacingOccurrences(of: "zsh", with: "z\\u001fsh")),                      // a control character's: read directly
            message(row.replacingOccurrences(of: "2048", with: "02048")),                         // a leading zero
            message(row.replacingOccurrences(of: "2048", with: "2048.0")),                        // a size with a fraction
            message(row.replacingOccurrences(of: "1700000000.5", with: "1e999")),                 // out of range
            message(row.replacingOccurrences(of: "1700000000.5", with: "\"soon\"")),              // a string for a number
            message(row.replacingOccurrences(of: "\"name\":\"zsh\",", with: "")),                 // a field missing
            message(row.replacingOccurrences(of: "\"name\":\"zsh\"", with: "\"name\":\"zsh\",\"name\":\"bash\"")), // twice
            message(row.replacingOccurrences(of: "\"version\":\"5.9\"", with: "\"version\":\"5.9\",\"extra\":1")),  // one more
            message(row, tail: #","requestId":"r","type":"system_info_reply","v":2}"#),            // another version
            message(row, tail: #","requestId":"r","type":"system_info_reply","v":1} "#),           // something after
            message(row + "," + row.replacingOccurrences(of: "\"summary\":\"shell\"", with: "\"summary\":\"a\u{1}b\"")), // raw control
            String(message(row).dropLast(3)),                                                     // cut short
        ]
        for text in others {
            let direct = SystemInfoReplyMessage.directlyRead(text)
            let general = Result { () throws(WireError) in try WireCodec.decodeGenerally(Data(text.utf8), as: AppletToGateway.self) }
            let decoded = Result { () throws(WireError) in try WireCodec.decode(text, as: AppletToGateway.self) }
            #expect(decoded == general, "\(text)")
            if let direct { #expect(general == .success(.systemInfoReply(direct)), "\(text)") }
            #expect((direct != nil) == text.contains("u001f"), "\(text)")
        }
    }
}

/// A folder's entries written and read directly: the same bytes as JSONEncoder on both channels,
/// the same values as JSONDecoder, and names that are not UTF-8 left to it.
@Suite("Listing pages written and read directly")
struct DirectListingTests {
    static let awkwardEntries: [FileManagerEntry] = {
        let names = ["", "plain.txt", "quote \" backslash \\ slash / done", "\u{1}\u{9}\u{A}\u{1F}\u{7F}", "é ü 日本 🙂", "{\"a\":[1]}"]
        let times: [Double] = [0, 1_700_000_000, 1_764_000_000.123456789, 0.5, -1.25, 1e21]
        let sizes: [Int64] = [0, 4_096, .max, -1]
        let kinds: [FileManagerEntry.Kind] = [.file, .folder, .symlink, .other]
        var entries: [FileManagerEntry] = []
        for (index, name) in names.enumerated() {
            for (other, time) in times.enumerated() {
                let kind = kinds[(index + other) % kinds.count]
                entries.append(FileManagerEntry(name: WireFileName(name), kind: kind, size: sizes[other % sizes.count], mode: UInt32(0o7777 >> other),
                                                owner: names[(index + other) % names.count], modified: time,
                                                target: kind == .symlink ? WireFileName(names[other % names.count]) : nil))
            }
        }
        return entries
    }()
    static let notUTF8 = FileManagerEntry(name: WireFileName([0x72, 0xE9, 0x73]), kind: .symlink, size: 3, mode: 0o777, owner: "ann",
                                          modified: 2, target: WireFileName([0xFF, 0x2F]))

    @Test("entries and pages written directly are the bytes JSONEncoder writes, on the applet's channel and the console's")
    func directEntries() {
        let entries = Self.awkwardEntries + [Self.notUTF8]
        #expect(String(decoding: DirectJSON.rows(entries).bytes, as: UTF8.self) == entries.map { WireCodec.encodeValue($0) }.joined(separator: ","))
        #expect(Mirror(reflecting: Self.notUTF8).children.count == 7) // a new field shows here
        for reply in [FileManagerReply.entries(entries, done: false), .entries([], done: true), .failed(code: "c", message: "m"), .skipped] {
            #expect(reply.encoded() == WireCodec.encodeValue(reply))
            let fromApplet = FileManagerReplyMessage(sessionId: nil, requestId: "r\"1", reply: reply)
            #expect(FileManagerReplyMessage.text(requestId: "r\"1", encodedReply: reply.encoded())
                    == WireCodec.encode(AppletToGateway.fileManagerReply(fromApplet)))
            let toConsole = FileManagerReplyMessage(sessionId: "s1", requestId: "r\"1", reply: reply)
            #expect(FileManagerReplyMessage.text(sessionId: "s1", requestId: "r\"1", encodedReply: reply.encoded())
                    == WireCodec.encode(GatewayToConsole.fileManagerReply(toConsole)))
        }
    }

    @Test("pages read directly are what JSONDecoder reads; a name that is not UTF-8 is left to it", arguments: [false, true])
    func readBack(done: Bool) throws {
        for entries in [Self.awkwardEntries, [], Array(Self.awkwardEntries.prefix(1))] {
            let text = FileManagerReplyMessage.text(requestId: "r\\é", encodedReply: FileManagerReply.entries(entries, done: done).encoded())
            let direct = try #require(FileManagerReplyMessage.directlyRead(text))
            #expect(direct == FileManagerReplyMessage(sessionId: nil, requestId: "r\\é", reply: .entries(entries, done: done)))
            #expect(try WireCodec.decodeGenerally(Data(text.utf8), as: AppletToGateway.self) == .fileManagerReply(direct))
            #expect(try WireCodec.decode(text, as: AppletToGateway.self) == .fileManagerReply(direct))
        }
        let odd = FileManagerReplyMessage.text(requestId: "r", encodedReply: FileManagerReply.entries([Self.notUTF8], done: done).encoded())
        #expect(FileManagerReplyMessage.directlyRead(odd) == nil)
        #expect(try WireCodec.decode(odd, as: AppletToGateway.self)
                == .fileManagerReply(FileManagerReplyMessage(sessionId: nil, requestId: "r", reply: .entries([Self.notUTF8], done: done))))
    }

    @Test("pages written any other way decode (or fail) exactly as JSONDecoder has them")
    func othersLeftToTheGeneralDecoder() {
        let entry = #"{"kind":"file","mode":420,"modified":1700000000.5,"name":"a.txt","owner":"ann","size":12}"#
        func page(_ entries: String, tail: String = #","requestId":"r","type":"file_manager_reply","v":1}"#) -> String {
            #"{"reply":{"done":true,"entries":["# + entries + #"],"kind":"entries"}"# + tail
        }
        let others = [
            page(entry.replacingOccurrences(of: "\"file\"", with: "\"fifo\"")),                   // an unknown kind
            page(entry.replacingOccurrences(of: "420", with: "-1")),                              // a mode out of range
            page(entry.replacingOccurrences(of: "420", with: "4294967296")),                      // and another
            page(entry.replacingOccurrences(of: ",\"owner\":\"ann\"", with: "")),                  // a field missing
            page(entry.replacingOccurrences(of: "}", with: ",\"target\":{\"raw\":\"/w==\",\"shown\":\"x\"}}")), // an object target
            page(entry.replacingOccurrences(of: "}", with: ",\"target\":null}")),                  // null
            page(entry.replacingOccurrences(of: ",", with: ", ")),                                  // spaces
            page(entry, tail: #","requestId":"r","type":"file_manager_reply","v":2}"#),            // another version
            page(entry).replacingOccurrences(of: "\"done\":true", with: "\"done\":1"),              // a number for a flag
            String(page(entry).dropLast(2)),                                                       // cut short
        ]
        for text in others {
            let direct = FileManagerReplyMessage.directlyRead(text)
            let general = Result { () throws(WireError) in try WireCodec.decodeGenerally(Data(text.utf8), as: AppletToGateway.self) }
            let decoded = Result { () throws(WireError) in try WireCodec.decode(text, as: AppletToGateway.self) }
            #expect(decoded == general, "\(text)")
            #expect(direct == nil, "\(text)")
        }
    }
}
