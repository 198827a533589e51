import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("Files between technician and customer through the gateway (D4, G1)")
struct FileTransferGatewayTests {
    @Test("names are made safe; empty, oversized, busy and unpermitted offers are refused clearly")
    func offers() async throws {
        try await GatewayHarness.run { gw in
            let limited = try await RemoteScene.make(gw, permissions: ["remote_control"])
            #expect(try await gw.request(.post, "/api/v1/sessions/\(limited.sessionId)/files", token: limited.token,
                                         json: ["name": "a.txt", "size": 5]).errorCode == "permission_denied")
            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/files"
            #expect(try await gw.request(.post, path, token: scene.token, json: ["name": "..", "size": 5]).status == .badRequest)
            #expect(try await gw.request(.post, path, token: scene.token, json: ["name": "empty.txt", "size": 0]).status == .badRequest)
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: scene.token, json: ["maxFileMegabytes": 1])
            #expect(try await gw.request(.post, path, token: scene.token, json: ["name": "big.iso", "size": 2_000_000]).errorCode
                == "file_too_large")
            let offered = try await gw.request(.post, path, token: scene.token, json: ["name": "../../etc/passwd", "size": 5])
            #expect(offered.status == .created)
            #expect(try offered.json()["name"] as? String == "passwd", "only the last path component is kept")
            _ = try await scene.applet.expect(GatewayToApplet.self) {
                if case .fileOffer(let offer) = $0 { offer.name == "passwd" && offer.size == 5 } else { false }
            }
            #expect(try await gw.request(.post, path, token: scene.token, json: ["name": "second.txt", "size": 5]).errorCode
                == "file_transfer_running")
            let id = try #require(try offered.json()["id"] as? String)
            // Before the customer accepts, nothing can be uploaded.
            #expect(try await gw.request(.put, "\(path)/\(id)/content", token: scene.token, bytes: [1, 2, 3, 4, 5]).errorCode
                == "file_not_accepted")
            scene.applet.send(AppletToGateway.fileAnswer(.init(id: id, accepted: false)))
            _ = try await scene.console.expect(GatewayToConsole.self) {
                if case .file(let f) = $0 { f.id == id && f.phase == .declined } else { false }
            }
            await scene.applet.close()
            await limited.applet.close()
        }
    }

    @Test("accepted: the upload streams to the applet's download; MD5s compared; a short upload is reported, not kept")
    func relay() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/files"
            let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let id = try #require(try await gw.request(.post, path, token: scene.token, json: ["name": "tool.bin", "size": bytes.count])
                .json()["id"] as? String)
            scene.applet.send(AppletToGateway.fileAnswer(.init(id: id, accepted: true)))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.phase == .sending } else { false } }
            // The applet's download on a connection of its own: the harness client sends one request at a time.
            var get = URLRequest(url: URL(string: "http://127.0.0.1:\(gw.port)/api/v1/customer/files/\(id)")!)
            get.setValue("Bearer \(scene.appletToken)", forHTTPHeaderField: "Authorization")
            async let download = URLSession.shared.data(for: get)
            let uploaded = try await gw.request(.put, "\(path)/\(id)/content", token: scene.token, bytes: bytes)
            #expect(uploaded.status == .ok)
            let (received, response) = try await download
            #expect((response as? HTTPURLResponse)?.statusCode == 200 && Array(received) == bytes)
            let md5 = try #require(try uploaded.json()["md5"] as? String)
            // Another applet's token cannot take it; a second download of it is not possible either.
            #expect(try await gw.request(.get, "/api/v1/customer/files/\(id)", headers: [.authorization: "Bearer nope"]).status
                == .unauthorized)
            scene.applet.send(AppletToGateway.fileResult(.init(id: id, md5: md5, error: nil)))
            let done = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.phase == .done } else { false } }
            #expect(done == .file(FileTransferSummary(id: id, sessionId: scene.sessionId, direction: .toCustomer, name: "tool.bin",
                                                      size: Int64(bytes.count), phase: .done, md5: md5, receivedMD5: md5)))
            let log = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array()
            #expect(log.contains { ($0["text"] as? String)?.contains("saved the file tool.bin") == true && ($0["text"] as? String)?.contains(md5) == true })

            // A second file whose upload stops short: both sides are told, nothing is kept.
            let second = try #require(try await gw.request(.post, path, token: scene.token, json: ["name": "cut.bin", "size": 10])
                .json()["id"] as? String)
            scene.applet.send(AppletToGateway.fileAnswer(.init(id: second, accepted: true)))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.id == second && f.phase == .sending } else { false } }
            #expect(try await gw.request(.put, "\(path)/\(second)/content", token: scene.token, bytes: [1, 2, 3]).errorCode == "file_interrupted")
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileCancelled(let message) = $0 { message.id == second } else { false } }
            let failed = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.id == second && f.phase == .failed } else { false } }
            guard case .file(let summary) = failed else { return }
            #expect(summary.reason?.contains("3 of 10 bytes") == true)

            // A large upload nobody downloads does not hang: the applet leaving calls it off.
            let size = 12 * 1_024 * 1_024
            let third = try #require(try await gw.request(.post, path, token: scene.token, json: ["name": "big.bin", "size": size])
                .json()["id"] as? String)
            scene.applet.send(AppletToGateway.fileAnswer(.init(id: third, accepted: true)))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.id == third && f.phase == .sending } else { false } }
            async let stalled = gw.request(.put, "\(path)/\(third)/content", token: scene.token, bytes: [UInt8](repeating: 7, count: size))
            // The applet leaves once the upload is under way (a loaded machine may take a while to start it).
            let deadline = Date().addingTimeInterval(10)
            while await gw.hub.registry.session(scene.sessionId)?.fileRelays[third]?.uploading != true, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            await scene.applet.close()
            #expect(try await stalled.errorCode == "file_interrupted")
        }
    }

    @Test("the applet's result may arrive before the upload's MD5: the verdict waits for both sides")
    func resultBeforeTheUploadFinished() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/files"
            let bytes: [UInt8] = Array("printer driver".utf8)
            let id = try #require(try await gw.request(.post, path, token: scene.token, json: ["name": "driver.txt", "size": bytes.count])
                .json()["id"] as? String)
            scene.applet.send(AppletToGateway.fileAnswer(.init(id: id, accepted: true)))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.phase == .sending } else { false } }
            // The MD5 the applet will compute; its result reaches the gateway before the hub has the upload's.
            let md5 = "b5ad0ff5e2d3d1bb2d6c7f0a5e36a1b8"
            scene.applet.send(AppletToGateway.fileResult(.init(id: id, md5: md5, error: nil)))
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                let check = await gw.hub.registry.session(scene.sessionId)?.fileChecks[id]
                if check?.received != nil { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            await gw.hub.fileUploaded(id, sessionId: scene.sessionId, md5: md5)
            let done = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.id == id && f.phase != .sending } else { false } }
            guard case .file(let summary) = done else { return }
            #expect(summary.phase == .done && summary.md5 == md5 && summary.receivedMD5 == md5)
            await scene.applet.close()
        }
    }

    @Test("the applet's download may arrive before its yes on the socket: the gateway waits for the answer")
    func downloadBeforeAnswer() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/files"
            let bytes = [UInt8](repeating: 42, count: 50_000)
            let id = try #require(try await gw.request(.post, path, token: scene.token, json: ["name": "early.bin", "size": bytes.count])
                .json()["id"] as? String)
            var get = URLRequest(url: URL(string: "http://127.0.0.1:\(gw.port)/api/v1/customer/files/\(id)")!)
            get.setValue("Bearer \(scene.appletToken)", forHTTPHeaderField: "Authorization")
            async let download = URLSession.shared.data(for: get)
            try await Task.sleep(for: .milliseconds(300))
            scene.applet.send(AppletToGateway.fileAnswer(.init(id: id, accepted: true)))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.phase == .sending } else { false } }
            #expect(try await gw.request(.put, "\(path)/\(id)/content", token: scene.token, bytes: bytes).status == .ok)
            let (received, response) = try await download
            #expect((response as? HTTPURLResponse)?.statusCode == 200 && Array(received) == bytes)
            await scene.applet.close()
        }
    }

    @Test("the customer's file is kept for the session's technician only")
    func fromCustomer() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            let headers: HTTPFields = [.authorization: "Bearer \(scene.appletToken)", .fileName: "..%2F..%2Freport%20(1).log"]
            let sent = try await gw.request(.post, "/api/v1/customer/files", bytes: Array("hello\n".utf8), headers: headers)
            #expect(sent.status == .created)
            #expect(try sent.json()["name"] as? String == "report (1).log")
            #expect(try sent.json()["md5"] as? String == "b1946ac92492d2347c6235b4d2611184")
            let id = try #require(try sent.json()["id"] as? String)
            let file = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/files/\(id)", token: scene.token)
            #expect(file.status == .ok && String(decoding: file.body, as: UTF8.self) == "hello\n")
            let other = try await gw.technician(named: "Otto", permissions: ["send_files"], adminToken: scene.token)
            #expect(try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/files/\(id)", token: other).status == .notFound)
            // Empty files are refused.
            #expect(try await gw.request(.post, "/api/v1/customer/files", bytes: [], headers: headers).status == .badRequest)
            await scene.applet.close()
        }
    }

    @Test("a customer's upload that stalls is ended after the stall limit and says so; the session's next transfer is not blocked")
    func stalledUploadEnds() async throws {
        try await GatewayHarness.run(transferStallLimit: .seconds(1)) { gw in
            let scene = try await RemoteScene.make(gw)
            let stalled = try RawConnection(port: gw.port)
            stalled.send("POST /api/v1/customer/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(scene.appletToken)\r\n"
                + "X-File-Name: big.iso\r\nContent-Length: 104857600\r\n\r\n" + String(repeating: "x", count: 1_024))
            let started = Date()
            _ = await stalled.readUntilClosed()
            #expect(Date().timeIntervalSince(started) < 4, "the gateway ended the stalled upload")
            let failed = try await scene.console.expect(GatewayToConsole.self) {
                if case .file(let file) = $0 { file.name == "big.iso" && file.phase == .failed } else { false }
            }
            guard case .file(let summary) = failed else { return }
            #expect(summary.reason?.contains("no data moved for 1 seconds after 1024 of 104857600 bytes") == true, "\(summary.reason ?? "-")")
            let next = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/files", token: scene.token, json: ["name": "fix.sh", "size": 10])
            #expect(next.status == .created, "\(next.errorCode ?? "-")")
            await scene.applet.close()
        }
    }

    @Test("a technician's upload that stalls mid-file is ended and the customer's applet is told")
    func stalledTechnicianUploadEnds() async throws {
        try await GatewayHarness.run(transferStallLimit: .seconds(1)) { gw in
            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/files"
            let id = try #require(try await gw.request(.post, path, token: scene.token, json: ["name": "driver.bin", "size": 1_000_000]).json()["id"] as? String)
            scene.applet.send(AppletToGateway.fileAnswer(.init(id: id, accepted: true)))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .file(let f) = $0 { f.phase == .sending } else { false } }
            let stalled = try RawConnection(port: gw.port)
            stalled.send("PUT \(path)/\(id)/content HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(scene.token)\r\n"
                + "Content-Length: 1000000\r\n\r\n" + String(repeating: "x", count: 100))
            let cancelled = try await scene.applet.expect(GatewayToApplet.self) { if case .fileCancelled = $0 { true } else { false } }
            guard case .fileCancelled(let message) = cancelled else { return }
            let reason = message.reason
            #expect(reason.contains("no data moved for 1 seconds"), "\(reason)")
            _ = await stalled.readUntilClosed()
            await scene.applet.close()
        }
    }

    @Test("a right-to-left override in a file's name is taken out before anyone sees or saves it, both ways")
    func bidiOverridesAreNeutralised() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            let spoofed = "invoice\u{202E}fdp.exe"
            let encoded = try #require(spoofed.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let headers: HTTPFields = [.authorization: "Bearer \(scene.appletToken)", .fileName: encoded]
            let sent = try await gw.request(.post, "/api/v1/customer/files", bytes: Array("MZ".utf8), headers: headers)
            #expect(try sent.json()["name"] as? String == "invoicefdp.exe")
            let offered = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/files", token: scene.token,
                                               json: ["name": "setup\u{202E}gpj.sh", "size": 10])
            #expect(try offered.json()["name"] as? String == "setupgpj.sh")
            let offer = try await scene.applet.expect(GatewayToApplet.self) { if case .fileOffer = $0 { true } else { false } }
            guard case .fileOffer(let file) = offer else { return }
            #expect(file.name == "setupgpj.sh", "the customer's applet shows the real extension")
            await scene.applet.close()
        }
    }
}
