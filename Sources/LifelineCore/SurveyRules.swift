#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One question of a customer survey (D5).
public struct SurveyQuestion: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// 1 (poor) to 5 (excellent).
        case rating
        case yesNo = "yes_no"
        case text
    }

    /// Stable within one survey: "q1", "q2" … in order; answers are keyed by it.
    public let id: String
    public let text: String
    public let kind: Kind
    public let required: Bool

    public init(id: String, text: String, kind: Kind, required: Bool) {
        self.id = id
        self.text = text
        self.kind = kind
        self.required = required
    }
}

/// A customer's answer: a rating, yes / no, or free text. On the wire the JSON value itself.
public enum SurveyAnswer: Codable, Equatable, Sendable {
    case rating(Int)
    case yesNo(Bool)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let flag = try? value.decode(Bool.self) { self = .yesNo(flag) }
        else if let number = try? value.decode(Int.self) { self = .rating(number) }
        else { self = .text(try value.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var value = encoder.singleValueContainer()
        switch self {
        case .rating(let number): try value.encode(number)
        case .yesNo(let flag): try value.encode(flag)
        case .text(let text): try value.encode(text)
        }
    }

    /// How a report shows it.
    public var displayText: String {
        switch self {
        case .rating(let number): "\(number)/5"
        case .yesNo(let flag): flag ? "yes" : "no"
        case .text(let text): text
        }
    }
}

/// A survey set on a technician group or a channel: on or off, and its questions.
public struct SurveyDefinition: Codable, Equatable, Sendable {
    public var enabled: Bool
    public var questions: [SurveyQuestion]

    public init(enabled: Bool, questions: [SurveyQuestion]) {
        self.enabled = enabled
        self.questions = questions
    }

    /// What a group or channel has before an administrator sets anything: off, standard questions.
    public static let standard = SurveyDefinition(enabled: false, questions: SurveyRules.standardQuestions)
}

/// The rules of customer surveys (D5): which survey a session gets, what a survey and an answer
/// may hold. Pure; the gateway stores and sends.
public enum SurveyRules {
    public enum Problem: Error, Equatable, Sendable {
        case noQuestions
        case tooManyQuestions
        case badQuestion(number: Int)
        case missingAnswer(question: String)
        case badAnswer(question: String)
        case unknownQuestion(String)
    }

    public static let maximumQuestions = 10
    public static let maximumQuestionLength = 300
    public static let maximumTextAnswer = 2_000

    public static let standardQuestions = [
        SurveyQuestion(id: "q1", text: "How satisfied are you with the help you received?", kind: .rating, required: true),
        SurveyQuestion(id: "q2", text: "Was your problem solved?", kind: .yesNo, required: true),
        SurveyQuestion(id: "q3", text: "Anything you would like to tell us?", kind: .text, required: false),
    ]

    /// The survey a finished session's customer gets: the channel's when the session came through
    /// a channel and its survey is on, otherwise the technician's group's when that one is on.
    public static func applicable(channel: SurveyDefinition?, group: SurveyDefinition?) -> SurveyDefinition? {
        if let channel, channel.enabled { return channel }
        if let group, group.enabled { return group }
        return nil
    }

    /// Whether a session that closed in `state` had a customer who was helped (and is still there
    /// to be asked): never after a timeout or a customer who left before anyone started.
    public static func asksAtEnd(closedIn state: SessionState) -> Bool {
        state == .closed || state == .closedByCustomer
    }

    /// Trimmed questions, numbered q1, q2 … in order; each 1…300 characters on one line.
    public static func validated(questions: [SurveyQuestion]) throws(Problem) -> [SurveyQuestion] {
        guard !questions.isEmpty else { throw .noQuestions }
        guard questions.count <= maximumQuestions else { throw .tooManyQuestions }
        var numbered: [SurveyQuestion] = []
        for (index, question) in questions.enumerated() {
            let text = question.text.trimmed
            guard (1...maximumQuestionLength).contains(text.count),
                  !ReplyRules.hasControlCharacters(text, allowingLineBreaks: false) else { throw .badQuestion(number: index + 1) }
            numbered.append(SurveyQuestion(id: "q\(index + 1)", text: text, kind: question.kind, required: question.required))
        }
        return numbered
    }

    /// The customer's answers checked against the questions: every required one answered, each of
    /// its question's kind (a rating 1…5, yes / no, text up to 2,000 characters), nothing else.
    public static func validated(answers: [String: SurveyAnswer], for questions: [SurveyQuestion]) throws(Problem) -> [String: SurveyAnswer] {
        let known = Set(questions.map(\.id))
        if let stray = answers.keys.sorted().first(where: { !known.contains($0) }) { throw .unknownQuestion(stray) }
        var clean: [String: SurveyAnswer] = [:]
        for question in questions {
            var answer = answers[question.id]
            if case .text(let text)? = answer {
                let trimmed = text.trimmed
                answer = trimmed.isEmpty ? nil : .text(trimmed)
            }
            guard let answer else {
                if question.required { throw .missingAnswer(question: question.text) }
                continue
            }
            switch (question.kind, answer) {
            case (.rating, .rating(let number)) where (1...5).contains(number): break
            case (.yesNo, .yesNo): break
            case (.text, .text(let text)) where text.count <= maximumTextAnswer
                && !ReplyRules.hasControlCharacters(text, allowingLineBreaks: true): break
            default: throw .badAnswer(question: question.text)
            }
            clean[question.id] = answer
        }
        return clean
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .noQuestions: "A survey has at least one question."
        case .tooManyQuestions: "A survey has at most \(maximumQuestions) questions."
        case .badQuestion(let number): "Question \(number) must be 1 to \(maximumQuestionLength) characters on one line."
        case .missingAnswer(let question): "Please answer: \(question)"
        case .badAnswer(let question): "This answer is not valid: \(question)"
        case .unknownQuestion(let id): "The survey has no question \(id)."
        }
    }
}
