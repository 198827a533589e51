import Foundation
import Testing
@testable import LifelineGateway
import LifelineTestSupport

/// The applet goes on the wire gzip-compressed to clients that take gzip, from the copy beside it
/// (made by scripts/build-release.sh), and only while that copy is of the binary on disk.
@Suite("Applet download: the gzip copy when it is current and the client takes it")
struct AppletDownloadTests {
    @Test("Accept-Encoding: gzip and * allowed, q=0 refuses, nothing means identity")
    func acceptEncoding() {
        let table: [(String?, Bool)] = [
            (nil, false), ("", false), ("identity", false), ("gzip", true), ("gzip, deflate, br, zstd", true),
            ("deflate, GZIP;q=0.5", true), ("gzip;q=0", false), ("gzip; q=0.000", false), ("*", true), ("*;q=0", false),
            ("br, *", true), ("gzip;q=0, *", false), ("x-gzip", true), ("br", false),
        ]
        for (header, allows) in table {
            #expect(AcceptEncoding.allowsGzip(header) == allows, "\(header ?? "none")")
        }
    }

    @Test("gzip on the wire when asked and current; the binary otherwise; the sizes on the pages")
    func gzipCopyServed() async throws {
        let folder = GatewayHarness.newDataDirectory() + "-applet"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let binary = folder + "/lifeline-applet"
        // Compressible like a program: repeated text with some variety.
        let original = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251 == 0 ? $0 / 7 : $0 % 13) })
        try original.write(to: URL(fileURLWithPath: binary))
        try gzip(binary)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: binary + ".gz"))
        #expect(compressed.count < original.count / 3)

        try await GatewayHarness.run(appletBinaryPath: binary) { gw in
            let zipped = try await gw.request(.get, "/download/lifeline-applet", headers: [.acceptEncoding: "gzip, deflate"])
            #expect(zipped.status == .ok)
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.vary] == "Accept-Encoding")
            #expect(zipped.headers[.contentLength] == String(compressed.count))
            #expect(zipped.body == compressed)

            let plain = try await gw.request(.get, "/download/lifeline-applet")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.body == original)

            let info = try await gw.request(.get, "/api/v1/customer/applet").json()
            #expect(info["size"] as? Int == original.count)
            #expect(info["downloadSize"] as? Int == compressed.count)

            // A new binary put in place: its old copy is not sent for it.
            var changed = original
            changed[0] ^= 0xff
            changed.append(1)
            try changed.write(to: URL(fileURLWithPath: binary))
            let afterChange = try await gw.request(.get, "/download/lifeline-applet", headers: [.acceptEncoding: "gzip"])
            #expect(afterChange.headers[.contentEncoding] == nil)
            #expect(afterChange.body == changed)
            let changedInfo = try await gw.request(.get, "/api/v1/customer/applet").json()
            #expect(changedInfo["downloadSize"] is NSNull || changedInfo["downloadSize"] == nil)

            // Compressed again: sent again.
            try gzip(binary)
            let recompressed = try await gw.request(.get, "/download/lifeline-applet", headers: [.acceptEncoding: "gzip"])
            #expect(recompressed.headers[.contentEncoding] == "gzip")
            #expect(recompressed.body == (try Data(contentsOf: URL(fileURLWithPath: binary + ".gz"))))
        }
    }

    @Test("no applet: 404 applet_unavailable with a clear message")
    func noApplet() async throws {
        try await GatewayHarness.run(appletBinaryPath: "/nonexistent/lifeline-applet") { gw in
            let reply = try await gw.request(.get, "/download/lifeline-applet", headers: [.acceptEncoding: "gzip"])
            #expect(reply.errorCode == "applet_unavailable")
        }
    }

    private func gzip(_ path: String) throws {
        #expect(try TestProgram.run("/bin/gzip", ["-9", "-n", "-k", "-f", path]).status == 0)
    }
}
