import Testing
@testable import LifelineCore

@Suite("Password rules (NIST SP 800-63B)")
struct PasswordRulesTests {
    @Test("length is what counts: 12 to 128 characters, 8 with two-step verification; no composition rules", arguments: [
        ("correct pony staple", false, nil),
        ("all lower case words", false, nil),
        ("ünïcödé wörds ok", false, nil),
        ("short one", false, PasswordRules.Problem.tooShort(minimum: 12)),
        ("eleven char", false, .tooShort(minimum: 12)),
        ("tweak4ab", true, nil),
        ("seven77", true, .tooShort(minimum: 8)),
        (String(repeating: "long words ", count: 12), false, .tooLong(maximum: 128)),
    ] as [(String, Bool, PasswordRules.Problem?)])
    func length(password: String, twoStep: Bool, problem: PasswordRules.Problem?) {
        if let problem {
            #expect(throws: problem) { try PasswordRules.check(password, twoStepRequired: twoStep) }
        } else {
            #expect(throws: Never.self) { try PasswordRules.check(password, twoStepRequired: twoStep) }
        }
    }

    @Test("common, repetitive and sequential passwords and the account's own names are refused", arguments: [
        ("password1234", PasswordRules.Problem.common),
        ("Pass Word 2024", .common),
        ("iloveyou12345", .common),
        ("correct horse battery staple", .common),
        ("aaaaaaaaaaaa", .repetitive),
        ("abcabcabcabc", .repetitive),
        ("123456789012", .repetitive),
        ("qwertyuiop[]", .repetitive),
        ("zyxwvutsrqponm", .repetitive),
        ("dana.miller@example.com", .sameAsAccount),
        ("Dana Miller 2024", .sameAsAccount),
        ("danamiller99", .sameAsAccount),
    ])
    func refused(password: String, problem: PasswordRules.Problem) {
        #expect(throws: problem) {
            try PasswordRules.check(password, twoStepRequired: false, context: ["dana.miller@example.com", "Dana Miller", "danamiller"])
        }
    }

    @Test("every refusal says why in a sentence")
    func messages() {
        for problem in [PasswordRules.Problem.tooShort(minimum: 12), .tooLong(maximum: 128), .common, .repetitive, .sameAsAccount] {
            #expect(PasswordRules.describe(problem).hasSuffix("."))
        }
    }
}
