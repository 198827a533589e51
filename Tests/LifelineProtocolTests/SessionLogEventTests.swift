import Foundation
import LifelineProtocol
import Testing

/// Log lines are typed in Swift and stay `{"code", "params"}` on the wire and in the store, so
/// consoles, exports and lines written before this build read the same.
@Suite("Session log events: typed cases, the same JSON")
struct SessionLogEventTests {
    static func json(_ event: SessionLogEvent) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(event)) as? [String: Any])
    }

    @Test("a typed line is written as its code and named values, and read back as the same case")
    func roundTrip() throws {
        let event = SessionLogEvent.transferredWithComment(technician: "Tom", target: "Ann", comment: "printer")
        let object = try Self.json(event)
        #expect(object["code"] as? String == "transferred_comment")
        #expect(object["params"] as? [String: String] == ["technician": "Tom", "target": "Ann", "comment": "printer"])
        #expect(try JSONDecoder().decode(SessionLogEvent.self, from: JSONEncoder().encode(event)) == event)
        #expect(event.englishText == "Tom transferred the session to Ann: printer")
    }

    @Test("a line without values still carries an empty params object")
    func noValues() throws {
        #expect(try Self.json(.surveySent)["params"] as? [String: String] == [:])
        #expect(SessionLogEvent.surveySent.englishText == "The customer survey was sent to the customer.")
    }

    @Test("every English wording's code decodes to a case that writes the same code back")
    func everyCodeIsKnown() {
        for code in SessionLogEvent.english.keys {
            let names = Set(SessionLogEvent.english[code]!.matches(of: /\{([a-z0-9]+)\}/).map { String($0.1) })
            let event = SessionLogEvent(code: code, params: Dictionary(uniqueKeysWithValues: names.map { ($0, "x") }))
            if case .unrecognised = event { Issue.record("\(code) is not a typed case") }
            #expect(event.code == code)
            #expect(Set(event.params.keys) == names)
        }
    }

    @Test("a code this build does not know, or a known one missing a value, is kept as it came")
    func unknownLinesSurvive() throws {
        let newer = Data(#"{"code":"camera_torch_on","params":{"technician":"Tom"}}"#.utf8)
        let event = try JSONDecoder().decode(SessionLogEvent.self, from: newer)
        #expect(event == .unrecognised(code: "camera_torch_on", params: ["technician": "Tom"]))
        #expect(try Self.json(event)["code"] as? String == "camera_torch_on")
        #expect(SessionLogEvent(code: "chat_on", params: [:]) == .unrecognised(code: "chat_on", params: [:]))
    }
}
