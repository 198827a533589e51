import Foundation
import FoundationNetworking
import Testing
import LifelineProtocol
import LifelineTestSupport
@testable import LifelineGateway

/// What the node serving a session has for a technician's consoles reaches their consoles on the
/// other nodes (issue 20): a file the customer accepted, whatever node the technician asked through.
@Suite("Two gateway nodes on one database: answers for a technician's consoles reach them on every node",
       .enabled(if: TestDatabase.postgresServer != nil))
struct ClusterConsolesTests {
    @Test("a file offered through B, accepted by the applet on A: the console on B hears it and its bytes go through B to A")
    func fileAcceptedElsewhere() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let (id, _, tokenOnB, applet, appletToken) = try await ClusterFeedTests.activeOnA(a, b, name: "File across nodes")

            let console = b.console(token: tokenOnB)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let offered = try await b.request(.post, "/api/v1/sessions/\(id)/files", token: tokenOnB, json: ["name": "tool.bin", "size": 5])
            #expect(offered.status == .created)
            let fileId = try #require(try offered.json()["id"] as? String)
            _ = try await applet.expect(GatewayToApplet.self) { if case .fileOffer = $0 { true } else { false } }
            applet.send(AppletToGateway.fileAnswer(.init(id: fileId, accepted: true)))
            _ = try await console.expect(GatewayToConsole.self) {
                if case .file(let file) = $0 { file.id == fileId && file.phase == .sending } else { false }
            }
            var download = URLRequest(url: URL(string: "http://127.0.0.1:\(b.port)/api/v1/customer/files/\(fileId)")!)
            download.setValue("Bearer \(appletToken)", forHTTPHeaderField: "Authorization")
            async let received = URLSession.shared.data(for: download)
            #expect(try await b.request(.put, "/api/v1/sessions/\(id)/files/\(fileId)/content", token: tokenOnB, bytes: [1, 2, 3, 4, 5]).status == .ok)
            let (bytes, response) = try await received
            #expect((response as? HTTPURLResponse)?.statusCode == 200 && Array(bytes) == [1, 2, 3, 4, 5], "the applet's download through B")
            await console.close()
            await applet.close()
        }
    }

    @Test("the technician's own screen shared from a console on B reaches the applet on A, its acknowledgements come back to B (H1)")
    func technicianScreenElsewhere() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let (id, _, tokenOnB, applet, _) = try await ClusterFeedTests.activeOnA(a, b, name: "Screen across nodes")
            let console = b.console(token: tokenOnB)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            #expect(try await b.request(.post, "/api/v1/sessions/\(id)/technician-screen", token: tokenOnB).status == .noContent)
            _ = try await applet.expect(GatewayToApplet.self) { if case .technicianScreen(let share) = $0 { share.sharing } else { false } }

            for sequence in UInt32(1)...3 {
                let frame = TechnicianScreenGatewayTests.frame(sequence)
                console.send(binary: TechnicianScreenGatewayTests.envelope(id, frame))
                #expect(await applet.nextBinary() == frame, "picture \(sequence) as it came, through B to A")
                applet.send(AppletToGateway.technicianScreenAck(.init(sequence: sequence)))
                _ = try await console.expect(GatewayToConsole.self) { $0 == .technicianScreenAck(.init(sessionId: id, sequence: sequence)) }
            }
            await console.close()
            await applet.close()
        }
    }
}
