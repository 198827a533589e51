import Foundation
import Testing
@testable import LifelineCore

@Suite("Customer survey rules (D5)")
struct SurveyRulesTests {
    static let on = SurveyDefinition(enabled: true, questions: SurveyRules.standardQuestions)
    static let off = SurveyDefinition(enabled: false, questions: SurveyRules.standardQuestions)
    static let channelOnly = SurveyDefinition(enabled: true, questions: [SurveyQuestion(id: "q1", text: "Channel?", kind: .yesNo, required: true)])

    @Test("the channel's survey when it is on, else the group's; none when both are off", arguments: [
        (channelOnly, on, "Channel?"),
        (off, on, "How satisfied are you with the help you received?"),
        (nil, on, "How satisfied are you with the help you received?"),
        (off, off, nil),
        (nil, nil, nil),
        (channelOnly, nil, "Channel?"),
    ] as [(SurveyDefinition?, SurveyDefinition?, String?)])
    func applicable(channel: SurveyDefinition?, group: SurveyDefinition?, firstQuestion: String?) {
        #expect(SurveyRules.applicable(channel: channel, group: group)?.questions.first?.text == firstQuestion)
    }

    @Test("asked at the end only of a session someone worked on", arguments: SessionState.allCases.filter(\.isClosed))
    func asksAtEnd(state: SessionState) {
        #expect(SurveyRules.asksAtEnd(closedIn: state) == [.closed, .closedByCustomer].contains(state))
    }

    @Test("questions are trimmed and renumbered; empty, overlong, multi-line or too many are refused")
    func questions() throws {
        let typed = [SurveyQuestion(id: "x", text: "  Fast enough? ", kind: .yesNo, required: false),
                     SurveyQuestion(id: "y", text: "Stars", kind: .rating, required: true)]
        let clean = try SurveyRules.validated(questions: typed)
        #expect(clean.map(\.id) == ["q1", "q2"])
        #expect(clean[0].text == "Fast enough?")
        let bad: [([SurveyQuestion], SurveyRules.Problem)] = [
            ([], .noQuestions),
            (Array(repeating: typed[1], count: 11), .tooManyQuestions),
            ([typed[1], SurveyQuestion(id: "q", text: " ", kind: .text, required: false)], .badQuestion(number: 2)),
            ([SurveyQuestion(id: "q", text: "Line\nbreak", kind: .text, required: false)], .badQuestion(number: 1)),
            ([SurveyQuestion(id: "q", text: String(repeating: "a", count: 301), kind: .text, required: false)], .badQuestion(number: 1)),
        ]
        for (questions, problem) in bad {
            #expect(throws: problem) { try SurveyRules.validated(questions: questions) }
        }
    }

    @Test("answers: each of its question's kind, required ones present, blank text dropped, strays refused", arguments: [
        (["q1": .rating(5), "q2": .yesNo(true), "q3": .text("  Quick, thanks ")], nil),
        (["q1": .rating(1), "q2": .yesNo(false), "q3": .text("   ")], nil),
        (["q1": .rating(4)], SurveyRules.Problem.missingAnswer(question: "Was your problem solved?")),
        (["q1": .rating(6), "q2": .yesNo(true)], .badAnswer(question: "How satisfied are you with the help you received?")),
        (["q1": .rating(0), "q2": .yesNo(true)], .badAnswer(question: "How satisfied are you with the help you received?")),
        (["q1": .text("5"), "q2": .yesNo(true)], .badAnswer(question: "How satisfied are you with the help you received?")),
        (["q1": .rating(3), "q2": .rating(1)], .badAnswer(question: "Was your problem solved?")),
        (["q1": .rating(3), "q2": .yesNo(true), "q3": .text(String(repeating: "a", count: 2_001))],
         .badAnswer(question: "Anything you would like to tell us?")),
        (["q1": .rating(3), "q2": .yesNo(true), "q9": .text("extra")], .unknownQuestion("q9")),
    ] as [([String: SurveyAnswer], SurveyRules.Problem?)])
    func answers(given: [String: SurveyAnswer], problem: SurveyRules.Problem?) throws {
        if let problem {
            #expect(throws: problem) { try SurveyRules.validated(answers: given, for: SurveyRules.standardQuestions) }
        } else {
            let clean = try SurveyRules.validated(answers: given, for: SurveyRules.standardQuestions)
            if case .text(let text)? = given["q3"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                #expect(clean["q3"] == .text(text.trimmingCharacters(in: .whitespaces)))
            } else {
                #expect(clean["q3"] == nil)
            }
        }
    }

    @Test("answers are plain JSON values: numbers, booleans, strings")
    func wireForm() throws {
        let json = #"{"q1":4,"q2":false,"q3":"ok"}"#
        let decoded = try JSONDecoder().decode([String: SurveyAnswer].self, from: Data(json.utf8))
        #expect(decoded == ["q1": .rating(4), "q2": .yesNo(false), "q3": .text("ok")])
    }
}
