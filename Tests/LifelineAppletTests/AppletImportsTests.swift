import Foundation
import Testing

/// The applet links FoundationEssentials only (issue 16: 78 → 39 MB). One bare `import Foundation`
/// in any module it links brings full Foundation and ICU's data back by autolinking (session 21 saw
/// 85 MB from one such line), so every such import stands in the `#else` of
/// `#if canImport(FoundationEssentials)`.
@Suite("The applet's imports")
struct AppletImportsTests {
    static let appletModules = ["LifelineCore", "LifelineProtocol", "LifelineApplet", "LifelineAppletWindow", "LifelineDesktop", "lifeline-applet"]

    @Test("no module the applet links imports Foundation but as the fallback of FoundationEssentials")
    func essentialsOnly() throws {
        let root = FileManager.default.currentDirectoryPath + "/Sources/"
        var bare: [String] = []
        for module in Self.appletModules {
            let files = try FileManager.default.contentsOfDirectory(atPath: root + module).filter { $0.hasSuffix(".swift") }
            #expect(!files.isEmpty, "\(module) has sources")
            for file in files {
                let lines = try String(contentsOfFile: root + module + "/" + file, encoding: .utf8)
                    .split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                for (index, line) in lines.enumerated() where line.hasSuffix("import Foundation") {
                    let guarded = index >= 3 && lines[index - 1] == "#else" && lines[index - 2] == "import FoundationEssentials"
                        && lines[index - 3] == "#if canImport(FoundationEssentials)"
                    if !guarded { bare.append("\(module)/\(file):\(index + 1)") }
                }
            }
        }
        #expect(bare == [], "bare imports of Foundation")
    }
}
