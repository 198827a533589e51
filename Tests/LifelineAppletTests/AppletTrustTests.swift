#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import LifelineApplet

/// The organisation's own certificate authority (issue 24): a file that cannot serve is named at
/// start, before anything connects. (A good file changes the process's trust: the e2e test
/// `test_the_applet_trusts_a_gateway_whose_certificate_the_organisations_own_ca_signed` proves it.)
@Suite("The applet's extra certificate authorities")
struct AppletTrustTests {
    @Test("a missing file and one with no PEM certificate are refused with their path, and nothing is trusted")
    func refusals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lifeline-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let missing = folder.appendingPathComponent("none.pem").path
        #expect(throws: AppletTrust.Problem.unreadable(missing)) { try AppletTrust.trust(caFile: missing) }
        let key = folder.appendingPathComponent("key.pem")
        try Data("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8).write(to: key)
        #expect(throws: AppletTrust.Problem.notPEM(key.path)) { try AppletTrust.trust(caFile: key.path) }
        #expect(AppletTrust.caFile == nil)
        #expect(AppletTrust.Problem.unreadable(missing).description.contains("none.pem cannot be read"))
        try FileManager.default.removeItem(at: folder)
    }
}
