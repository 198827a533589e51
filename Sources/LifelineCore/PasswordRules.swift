#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Password rules after NIST SP 800-63B: length is what counts (at least 12 characters, 8 when
/// the organisation requires two-step verification, at most 128), no composition rules, no forced
/// rotation; passwords that are common, repetitive or sequential, or that are the account's own
/// name or email, are refused.
public enum PasswordRules {
    public enum Problem: Error, Equatable, Sendable {
        case tooShort(minimum: Int)
        case tooLong(maximum: Int)
        case common
        case repetitive
        case sameAsAccount
    }

    public static let minimumLength = 12
    public static let minimumLengthWithTwoStep = 8
    public static let maximumLength = 128

    /// `context` holds what the account is known by (email, its local part, the name, the
    /// organisation): a password equal to one of them is refused.
    public static func check(_ password: String, twoStepRequired: Bool, context: [String] = []) throws(Problem) {
        let minimum = twoStepRequired ? minimumLengthWithTwoStep : minimumLength
        // Characters as people count them; every character is allowed, spaces included.
        guard password.count >= minimum else { throw .tooShort(minimum: minimum) }
        guard password.count <= maximumLength else { throw .tooLong(maximum: maximumLength) }
        let folded = fold(password)
        if CommonPasswords.list.contains(folded) || CommonPasswords.list.contains(withoutTrailingDigits(folded)) { throw .common }
        if isRepetitiveOrSequential(folded) { throw .repetitive }
        let names = context.flatMap { item -> [String] in
            let whole = fold(item)
            let local = whole.split(separator: "@").first.map(String.init) ?? whole
            return [whole, local]
        }.filter { !$0.isEmpty }
        if names.contains(folded) || names.contains(withoutTrailingDigits(folded)) { throw .sameAsAccount }
    }

    /// Lower case, without spaces: "Pass Word" and "password" are the same guess.
    static func fold(_ text: String) -> String {
        text.lowercased().filter { !$0.isWhitespace }
    }

    static func withoutTrailingDigits(_ text: String) -> String {
        String(text.reversed().drop(while: \.isNumber).reversed())
    }

    /// One character over and over ("aaaaaaaaaaaa"), a short pattern repeated ("abcabcabcabc"),
    /// or a run up or down the alphabet, digits or keyboard rows ("123456789012", "qwertyuiop[]").
    static func isRepetitiveOrSequential(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count > 1 else { return true }
        for length in 1...max(1, characters.count / 2) where characters.count % length == 0 {
            let unit = characters[0..<length]
            if stride(from: 0, to: characters.count, by: length).allSatisfy({ characters[$0..<$0 + length] == unit }) { return true }
        }
        let rows = ["abcdefghijklmnopqrstuvwxyz", "0123456789012345678901234567890", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./",
                    "1234567890-="]
        return rows.contains { row in row.contains(text) || String(row.reversed()).contains(text) }
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .tooShort(let minimum): "The password needs at least \(minimum) characters. A few words make a long, memorable one."
        case .tooLong(let maximum): "The password can have at most \(maximum) characters."
        case .common: "This password is too common: it is among the first that attackers try. Choose another."
        case .repetitive: "This password repeats or follows a sequence (like aaaa or 1234): choose something less predictable."
        case .sameAsAccount: "The password must not be the account's name or email."
        }
    }
}
