import LifelineCore
import Testing

/// Scripts (N1, N2): what a library accepts, what values a run may pass, and the argument vector
/// the applet runs — never a shell command line.
@Suite("Script rules")
struct ScriptRulesTests {
    static let base = ScriptDefinition(name: "Clear print queue", fileName: "clear.sh", content: "#!/bin/sh\nlpstat\n")

    static func with(_ change: (inout ScriptDefinition) -> Void) -> ScriptDefinition {
        var definition = base
        change(&definition)
        return definition
    }

    @Test("a plain definition is kept, trimmed, its platforms in order")
    func accepted() throws {
        let valid = try ScriptRules.validated(Self.with {
            $0.name = "  Clear print queue "
            $0.platforms = [.windows, .linux, .linux]
        })
        #expect(valid.name == "Clear print queue")
        #expect(valid.platforms == [.linux, .windows])
    }

    @Test("each broken field is refused with its own problem", arguments: [
        (ScriptRulesTests.with { $0.name = "" }, ScriptRules.Problem.badName),
        (ScriptRulesTests.with { $0.name = "two\nlines" }, .badName),
        (ScriptRulesTests.with { $0.name = String(repeating: "x", count: 65) }, .badName),
        (ScriptRulesTests.with { $0.description = "bell \u{7}" }, .badDescription),
        (ScriptRulesTests.with { $0.fileName = "../etc/passwd" }, .badFileName),
        (ScriptRulesTests.with { $0.fileName = "-rf" }, .badFileName),
        (ScriptRulesTests.with { $0.fileName = ".." }, .badFileName),
        (ScriptRulesTests.with { $0.content = "" }, .badScript),
        (ScriptRulesTests.with { $0.content = "echo \u{0}" }, .badScript),
        (ScriptRulesTests.with { $0.content = String(repeating: "#", count: ScriptRules.maximumScriptBytes + 1) }, .scriptTooLarge),
        (ScriptRulesTests.with { $0.content = "#!python3\nprint(1)" }, .badInterpreter),
        (ScriptRulesTests.with { $0.resourceName = "clear.sh" }, .badResourceName),
        (ScriptRulesTests.with { $0.platforms = [] }, .noPlatform),
        (ScriptRulesTests.with { $0.timeLimitSeconds = 0 }, .badTimeLimit),
        (ScriptRulesTests.with { $0.timeLimitSeconds = 3_601 }, .badTimeLimit),
        (ScriptRulesTests.with { $0.parameters = Array(repeating: ScriptParameter(name: "a", label: "A", kind: .text), count: 11) }, .tooManyParameters),
        (ScriptRulesTests.with { $0.parameters = [ScriptParameter(name: "a", label: "A", kind: .text), ScriptParameter(name: "a", label: "B", kind: .text)] },
         .badParameter("a")),
        (ScriptRulesTests.with { $0.parameters = [ScriptParameter(name: "1st", label: "First", kind: .text)] }, .badParameter("1st")),
        (ScriptRulesTests.with { $0.parameters = [ScriptParameter(name: "with space", label: "X", kind: .text)] }, .badParameter("with space")),
        (ScriptRulesTests.with { $0.parameters = [ScriptParameter(name: "mode", label: "Mode", kind: .choice)] }, .badParameter("mode")),
        (ScriptRulesTests.with { $0.parameters = [ScriptParameter(name: "mode", label: "Mode", kind: .choice, choices: ["a", "a"])] }, .badParameter("mode")),
        (ScriptRulesTests.with { $0.parameters = [ScriptParameter(name: "n", label: "N", kind: .number, defaultValue: "ten")] }, .badParameter("n")),
        (ScriptRulesTests.with { $0.parameters = [ScriptParameter(name: "t", label: "T", kind: .text, choices: ["x"])] }, .badParameter("t")),
    ])
    func refused(_ definition: ScriptDefinition, _ problem: ScriptRules.Problem) {
        #expect(throws: problem) { try ScriptRules.validated(definition) }
    }

    static let parameters = [
        ScriptParameter(name: "target", label: "Target", kind: .text, required: true),
        ScriptParameter(name: "count", label: "Count", kind: .number, defaultValue: "3"),
        ScriptParameter(name: "mode", label: "Mode", kind: .choice, choices: ["fast", "safe"]),
    ]

    @Test("values become arguments in the parameters' order: defaults filled, an optional one left empty")
    func arguments() throws {
        let hostile = "$(rm -rf ~); `id` | cat\nsecond line"
        #expect(try ScriptRules.arguments(for: Self.parameters, values: ["target": hostile]) == [hostile, "3", ""])
        #expect(try ScriptRules.arguments(for: Self.parameters, values: ["target": "x", "count": " -12 ", "mode": "safe"]) == ["x", "-12", "safe"])
    }

    @Test("values a parameter does not accept are refused", arguments: [
        ([String: String](), ScriptRules.Problem.missingValue("target")),
        (["target": ""], .missingValue("target")),
        (["target": "x", "count": "3.5"], .badValue("count")),
        (["target": "x", "count": "12345678901234567890"], .badValue("count")),
        (["target": "x", "mode": "FAST"], .badValue("mode")),
        (["target": "nul\u{0}"], .badValue("target")),
        (["target": String(repeating: "x", count: 1_001)], .badValue("target")),
        (["target": "x", "extra": "1"], .unknownValue("extra")),
    ])
    func refusedValues(_ values: [String: String], _ problem: ScriptRules.Problem) {
        #expect(throws: problem) { try ScriptRules.arguments(for: Self.parameters, values: values) }
    }

    @Test("the interpreter is the #! line as the kernel reads it, /bin/sh without one", arguments: [
        ("#!/bin/bash\necho", ["/bin/bash"]),
        ("#!/usr/bin/env python3\nprint()", ["/usr/bin/env", "python3"]),
        ("#! /usr/bin/perl -w -T\r\nprint", ["/usr/bin/perl", "-w -T"]),
        ("echo hello", ["/bin/sh"]),
    ])
    func interpreter(_ content: String, _ expected: [String]) throws {
        #expect(try ScriptRules.interpreter(of: content) == expected)
    }

    @Test("the command line is the interpreter, the script's path, then each value as one argument")
    func commandLine() throws {
        let line = try ScriptRules.commandLine(content: "#!/usr/bin/env python3\n", scriptPath: "/tmp/x/run.py", arguments: ["a b", "; ls"])
        #expect(line == ["/usr/bin/env", "python3", "/tmp/x/run.py", "a b", "; ls"])
    }
}
