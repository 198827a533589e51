import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// The file manager through the gateway (K1–K5), with a socket playing the applet: asked, agreed,
/// each request checked and passed on, answers routed back in pages, changes logged and audited,
/// closed by the customer, the technician or a hold.
@Suite("File manager through the gateway (K1–K5)")
struct FileManagerGatewayTests {
    static let home = WirePath(root: "home", names: [])

    func expectStatus(_ scene: RemoteScene, _ phase: FileManagerStatus.Phase) async throws -> FileManagerStatus {
        let message = try await scene.console.expect(GatewayToConsole.self) {
            if case .fileManager(let status) = $0 { status.sessionId == scene.sessionId && status.phase == phase } else { false }
        }
        guard case .fileManager(let status) = message else { throw HarnessError("not a file manager status") }
        return status
    }

    func expectReply(_ scene: RemoteScene, _ requestId: String) async throws -> FileManagerReply {
        let message = try await scene.console.expect(GatewayToConsole.self) {
            if case .fileManagerReply(let reply) = $0 { reply.requestId == requestId } else { false }
        }
        guard case .fileManagerReply(let reply) = message else { throw HarnessError("not a reply") }
        #expect(reply.sessionId == scene.sessionId)
        return reply.reply
    }

    func request(_ scene: RemoteScene, _ id: String, _ request: FileManagerRequest) {
        scene.console.send(ConsoleToGateway.fileManagerRequest(.init(sessionId: scene.sessionId, requestId: id, request: request)))
    }

    func open(_ scene: RemoteScene) async throws {
        scene.console.send(ConsoleToGateway.fileManagerOpen(.init(sessionId: scene.sessionId)))
        _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerOpen = $0 { true } else { false } }
        _ = try await expectStatus(scene, .asking)
        scene.applet.send(AppletToGateway.fileManagerAnswer(.init(accepted: true)))
        _ = try await expectStatus(scene, .open)
    }

    @Test("asked, agreed, requests passed with their id, pages routed back, changes logged and audited")
    func openListChange() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            request(scene, "early", .roots)
            try await scene.expectError("file_manager_not_open")
            scene.console.send(ConsoleToGateway.fileManagerOpen(.init(sessionId: scene.sessionId)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerOpen = $0 { true } else { false } }
            request(scene, "still-early", .roots)
            try await scene.expectError("file_manager_not_open")
            scene.applet.send(AppletToGateway.fileManagerAnswer(.init(accepted: true)))
            _ = try await expectStatus(scene, .open)

            // A listing in two pages: both reach the console, in order, under the request's id.
            request(scene, "l1", .list(path: Self.home, hidden: false))
            _ = try await scene.applet.expect(GatewayToApplet.self) {
                $0 == .fileManagerRequest(.init(sessionId: nil, requestId: "l1", request: .list(path: Self.home, hidden: false)))
            }
            let odd = WireFileName([0x72, 0xE9, 0x73])
            let entry = FileManagerEntry(name: odd, kind: .file, size: 3, mode: 0o644, owner: "ann", modified: 1_700_000_000)
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "l1", reply: .entries([entry], done: false))))
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "l1", reply: .entries([], done: true))))
            #expect(try await expectReply(scene, "l1") == .entries([entry], done: false))
            #expect(try await expectReply(scene, "l1") == .entries([], done: true))
            // Answered: another reply under that id goes nowhere.
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "l1", reply: .entries([entry], done: true))))

            // Names that could leave the folder never reach the applet.
            for names in [[".."], ["a", "..", "b"], ["."], ["a/b"], [""]] {
                request(scene, "bad", .list(path: WirePath(root: "home", names: names.map(WireFileName.init)), hidden: false))
                try await scene.expectError("bad_request")
            }
            request(scene, "root", .delete(path: Self.home))
            try await scene.expectError("bad_request")
            request(scene, "bad-new-name", .rename(path: WirePath(root: "home", names: [WireFileName("a")]), newName: WireFileName("../x")))
            try await scene.expectError("bad_request")

            // A delete the applet reports done: logged in the session and the audit log.
            let victim = WirePath(root: "home", names: [WireFileName("old"), odd])
            request(scene, "d1", .delete(path: victim))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "d1" } else { false } }
            let removed = FileManagerReply.Removed(files: 3, folders: 1, bytes: 2_048)
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "d1", reply: .done(removed))))
            #expect(try await expectReply(scene, "d1") == .done(removed))
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator asked to open the file manager."))
            #expect(texts.contains("The customer accepted: the file manager is open."))
            #expect(texts.contains("Administrator deleted ~/old/r\\xE9s on the customer's computer (3 files, 1 folders, 2.0 KB)."), "\(texts)")
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
            let change = try #require(audit.first { $0["action"] as? String == "customer_files_changed" })
            let after = try JSONSerialization.jsonObject(with: Data(((change["after"] as? String) ?? "{}").utf8)) as? [String: String]
            #expect(after?["path"] == "~/old/r\\xE9s" && after?["operation"] == "delete" && after?["files"] == "3", "\(change)")
            #expect(audit.contains { $0["action"] as? String == "consent_given" && $0["objectType"] as? String == "file_manager" })

            // A hold closes it: the applet and the console are told; requests are refused again.
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/hold", token: scene.token)
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerClose = $0 { true } else { false } }
            _ = try await expectStatus(scene, .closed)
            request(scene, "after-hold", .roots)
            try await scene.expectError("file_manager_not_open")
            await scene.applet.close()
        }
    }

    @Test("the customer refuses or closes it; the technician closes it; unanswered requests are failed; permissions per operation")
    func refusalsAndClosing() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.console.send(ConsoleToGateway.fileManagerOpen(.init(sessionId: scene.sessionId)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerOpen = $0 { true } else { false } }
            scene.applet.send(AppletToGateway.fileManagerAnswer(.init(accepted: false)))
            #expect(try await expectStatus(scene, .denied).reason == "The customer refused.")

            try await open(scene)
            request(scene, "pending", .list(path: Self.home, hidden: true))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest = $0 { true } else { false } }
            scene.applet.send(AppletToGateway.fileManagerClosed(.init(reason: "The customer closed the file manager.")))
            // The unanswered request is failed first, then the console hears it closed.
            guard case .failed(let code, _) = try await expectReply(scene, "pending") else { throw HarnessError("expected failed") }
            #expect(code == "closed")
            _ = try await expectStatus(scene, .closed)

            try await open(scene)
            scene.console.send(ConsoleToGateway.fileManagerClose(.init(sessionId: scene.sessionId)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerClose = $0 { true } else { false } }
            _ = try await expectStatus(scene, .closed)
            scene.console.send(ConsoleToGateway.fileManagerClose(.init(sessionId: scene.sessionId)))
            try await scene.expectError("file_manager_not_open")
            await scene.applet.close()

            // Browse only: listing passes, making, renaming and deleting are refused by the gateway.
            let browser = try await RemoteScene.make(gw, permissions: ["file_manager"])
            try await open(browser)
            request(browser, "ok", .roots)
            _ = try await browser.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "ok" } else { false } }
            let one = WirePath(root: "home", names: [WireFileName("a")])
            for (id, forbidden) in [("m", FileManagerRequest.makeFolder(path: one)), ("r", .rename(path: one, newName: WireFileName("b"))), ("d", .delete(path: one))] {
                request(browser, id, forbidden)
                try await browser.expectError("permission_denied")
            }
            await browser.applet.close()
        }
    }

    @Test("copies both ways pass through the transfer routes, are logged with their SHA-256, and each side may only use its own")
    func copiesBothWays() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            try await open(scene)
            let target = WirePath(root: "home", names: [WireFileName("notes.txt")])
            let base = "/api/v1/sessions/\(scene.sessionId)/file-manager"

            // Technician → customer: the applet says it is receiving, the console puts, the applet fetches.
            request(scene, "w1", .write(path: target, size: 5, mode: 0o640, modified: 1_700_000_000, conflict: .ask, from: 0))
            let asked = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "w1" } else { false } }
            guard case .fileManagerRequest(let write) = asked, let writeId = write.transferId else { throw HarnessError("no transfer id") }
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "w1", reply: .receiving(transferId: writeId))))
            #expect(try await expectReply(scene, "w1") == .receiving(transferId: writeId))
            // The applet may not put, the console may not fetch its own write, a wrong size is refused.
            #expect(try await gw.request(.post, "/api/v1/customer/file-manager/\(writeId)", token: scene.appletToken, bytes: Array("hello".utf8)).status == .notFound)
            #expect(try await gw.request(.get, "\(base)/\(writeId)", token: scene.token).status == .notFound)
            let put = try await gw.request(.put, "\(base)/\(writeId)", token: scene.token, bytes: Array("hello".utf8))
            #expect(put.status == .noContent)
            let fetched = try await gw.request(.get, "/api/v1/customer/file-manager/\(writeId)", token: scene.appletToken)
            #expect(fetched.status == .ok && String(decoding: fetched.body, as: UTF8.self) == "hello")
            let sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "w1",
                                                                     reply: .written(name: WireFileName("notes (2).txt"), size: 5, sha256: sha, blocks: sha))))
            _ = try await expectReply(scene, "w1")

            // A write the applet does not take (the name is there): the transfer is gone.
            request(scene, "w2", .write(path: target, size: 3, mode: 0o644, modified: 1, conflict: .ask, from: 0))
            let second = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "w2" } else { false } }
            guard case .fileManagerRequest(let refused) = second, let refusedId = refused.transferId else { throw HarnessError("no transfer id") }
            let there = FileManagerEntry(name: WireFileName("notes.txt"), kind: .file, size: 9, mode: 0o644, owner: "ann", modified: 2)
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "w2", reply: .exists(there))))
            #expect(try await expectReply(scene, "w2") == .exists(there))
            #expect(try await gw.request(.put, "\(base)/\(refusedId)", token: scene.token, bytes: [1, 2, 3]).status == .notFound)

            // Starts outside the file, negative sizes and modes beyond 7777 never reach the applet.
            for bad in [FileManagerRequest.write(path: target, size: 3, mode: 0o644, modified: 1, conflict: .ask, from: 4),
                        .write(path: target, size: -1, mode: 0o644, modified: 1, conflict: .ask, from: 0),
                        .write(path: target, size: 3, mode: 0o17777, modified: 1, conflict: .ask, from: 0)] {
                request(scene, "bad", bad)
                try await scene.expectError("bad_request")
            }

            // Customer → technician: the applet posts what it announced, the console fetches it.
            request(scene, "r1", .read(path: target))
            let read = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "r1" } else { false } }
            guard case .fileManagerRequest(let reading) = read, let readId = reading.transferId else { throw HarnessError("no transfer id") }
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "r1",
                                                                     reply: .sending(transferId: readId, size: 5, mode: 0o644, modified: 3))))
            _ = try await expectReply(scene, "r1")
            #expect(try await gw.request(.put, "\(base)/\(readId)", token: scene.token, bytes: Array("hello".utf8)).status == .notFound)
            #expect(try await gw.request(.post, "/api/v1/customer/file-manager/\(readId)", token: scene.appletToken, bytes: Array("hello".utf8)).status == .noContent)
            let got = try await gw.request(.get, "\(base)/\(readId)", token: scene.token)
            #expect(String(decoding: got.body, as: UTF8.self) == "hello")
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "r1", reply: .transferred(size: 5, sha256: sha, blocks: sha))))
            _ = try await expectReply(scene, "r1")

            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator copied ~/notes (2).txt (5 bytes) to the customer's computer. SHA-256 \(sha)."), "\(texts)")
            #expect(texts.contains("Administrator copied ~/notes.txt (5 bytes) from the customer's computer. SHA-256 \(sha)."), "\(texts)")

            // Without the upload permission the write is refused before the applet hears of it.
            let reader = try await RemoteScene.make(gw, permissions: ["file_manager"])
            try await open(reader)
            request(reader, "w", .write(path: target, size: 1, mode: 0o644, modified: 1, conflict: .overwrite, from: 0))
            try await reader.expectError("permission_denied")
            await reader.applet.close()
            await scene.applet.close()
        }
    }
    @Test("bundles of small files: one transfer each way sized by the applet's answer, logged once, audited per file; bad bundles refused")
    func bundlesBothWays() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            try await open(scene)
            let base = "/api/v1/sessions/\(scene.sessionId)/file-manager"
            let file = { (names: [String]) in WirePath(root: "home", names: names.map(WireFileName.init)) }
            let sha = String(repeating: "ab", count: 32)

            // Customer → technician: the files that go are announced together, their bytes posted as one stream.
            request(scene, "rb", .readFiles(paths: [file(["a.txt"]), file(["sub", "b.txt"]), file(["gone.txt"])]))
            let asked = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "rb" } else { false } }
            guard case .fileManagerRequest(let reading) = asked, let readId = reading.transferId else { throw HarnessError("no transfer id") }
            let announced: [FileManagerReply] = [.sending(transferId: readId, size: 5, mode: 0o644, modified: 1),
                                                 .sending(transferId: readId, size: 3, mode: 0o600, modified: 2),
                                                 .failed(code: "not_found", message: "gone.txt is not there.")]
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "rb", reply: .sendingFiles(transferId: readId, files: announced))))
            #expect(try await expectReply(scene, "rb") == .sendingFiles(transferId: readId, files: announced))
            // More than the announced files hold is refused; exactly that is passed on.
            #expect(try await gw.request(.post, "/api/v1/customer/file-manager/\(readId)", token: scene.appletToken, bytes: Array("hellobye".utf8)).status == .noContent)
            let got = try await gw.request(.get, "\(base)/\(readId)", token: scene.token)
            #expect(String(decoding: got.body, as: UTF8.self) == "hellobye")
            let read: [FileManagerReply] = [.transferred(size: 5, sha256: sha, blocks: sha), .transferred(size: 3, sha256: sha, blocks: sha),
                                            .failed(code: "not_found", message: "gone.txt is not there.")]
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "rb", reply: .files(read))))
            #expect(try await expectReply(scene, "rb") == .files(read))

            // Technician → customer: only the wanted files' bytes are put, the applet fetches them.
            let specs = [FileWrite(path: file(["in", "x.txt"]), size: 2, mode: 0o644, modified: 1, conflict: .ask),
                         FileWrite(path: file(["in", "y.txt"]), size: 4, mode: 0o644, modified: 1, conflict: .ask)]
            request(scene, "wb", .writeFiles(specs))
            let writing = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "wb" } else { false } }
            guard case .fileManagerRequest(let write) = writing, let writeId = write.transferId else { throw HarnessError("no transfer id") }
            let there = FileManagerEntry(name: WireFileName("y.txt"), kind: .file, size: 9, mode: 0o644, owner: "ann", modified: 2)
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "wb",
                                                                     reply: .receivingFiles(transferId: writeId, files: [.receiving(transferId: writeId), .exists(there)]))))
            _ = try await expectReply(scene, "wb")
            #expect(try await gw.request(.put, "\(base)/\(writeId)", token: scene.token, bytes: Array("hi".utf8)).status == .noContent)
            let fetched = try await gw.request(.get, "/api/v1/customer/file-manager/\(writeId)", token: scene.appletToken)
            #expect(String(decoding: fetched.body, as: UTF8.self) == "hi")
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "wb",
                                                                     reply: .files([.written(name: WireFileName("x.txt"), size: 2, sha256: sha, blocks: sha), .exists(there)]))))
            _ = try await expectReply(scene, "wb")

            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator copied 2 files (8 bytes) from ~ on the customer's computer. Each file's SHA-256 is in the audit log."), "\(texts)")
            // A bundle of which one file arrived is logged as that file.
            #expect(texts.contains("Administrator copied ~/in/x.txt (2 bytes) to the customer's computer. SHA-256 \(sha)."), "\(texts)")
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
            let bundles = audit.compactMap { entry -> [String: Any]? in
                guard entry["action"] as? String == "customer_files_changed", let after = entry["after"] as? String else { return nil }
                return try? JSONSerialization.jsonObject(with: Data(after.utf8)) as? [String: Any]
            }.filter { ($0["operation"] as? String)?.hasPrefix("copy_files") == true }
            let fromCustomer = try #require(bundles.first { $0["operation"] as? String == "copy_files_from_customer" })
            let paths = (fromCustomer["files"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
            #expect(paths == ["~/a.txt", "~/sub/b.txt"], "\(fromCustomer)")
            #expect(bundles.contains { ($0["files"] as? [[String: Any]])?.first?["sha256"] as? String == sha && $0["operation"] as? String == "copy_files_to_customer" })

            // Empty, too large, spread over two roots, or with a file of no size: refused before the applet hears of it.
            let many = (0...FileManagerRequest.maximumFilesPerBundle).map { file(["f\($0)"]) }
            for bad in [FileManagerRequest.readFiles(paths: []), .readFiles(paths: many),
                        .readFiles(paths: [file(["a"]), WirePath(root: "system", names: [WireFileName("etc")])]),
                        .readFiles(paths: [file(["..", "a"])]),
                        .writeFiles([FileWrite(path: file(["a"]), size: -1, mode: 0o644, modified: 1, conflict: .ask)])] {
                request(scene, "bad", bad)
                try await scene.expectError("bad_request")
            }

            // Each bundle needs the permission its single copies need.
            let browser = try await RemoteScene.make(gw, permissions: ["file_manager"])
            try await open(browser)
            request(browser, "r", .readFiles(paths: [file(["a.txt"])]))
            try await browser.expectError("permission_denied")
            request(browser, "w", .writeFiles(specs))
            try await browser.expectError("permission_denied")
            await browser.applet.close()
            await scene.applet.close()
        }
    }
}
