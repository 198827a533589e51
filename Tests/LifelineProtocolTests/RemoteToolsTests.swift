import Foundation
import Testing
import LifelineCore
@testable import LifelineProtocol

@Suite("Remote tools and cursor frames")
struct RemoteToolsTests {
    @Test("every tool and notice survives the wire", arguments: [
        RemoteTool.clipboard(text: "héllo"), .clipboardSync(on: false), .draw(points: [ScreenPoint(x: 1, y: 2)]), .clearDrawing,
        .laser(x: 3, y: 4), .laserOff, .monitor(index: nil), .monitor(index: 2),
    ])
    func toolsRoundTrip(tool: RemoteTool) throws {
        let text = WireCodec.encode(GatewayToApplet.remoteTool(tool))
        #expect(try WireCodec.decode(text, as: GatewayToApplet.self) == .remoteTool(tool))
    }

    @Test("which tools need control and which permission")
    func rules() {
        let table: [(RemoteTool, Bool, Permission?)] = [
            (.clipboard(text: ""), true, .clipboardSync), (.clipboardSync(on: true), true, .clipboardSync),
            (.draw(points: [ScreenPoint(x: 0, y: 0)]), true, nil), (.clearDrawing, true, nil), (.laser(x: 0, y: 0), true, nil),
            (.laserOff, true, nil), (.monitor(index: 0), false, nil),
        ]
        for (tool, control, permission) in table {
            #expect(tool.needsControl == control)
            #expect(tool.permission == permission)
        }
        #expect(!RemoteTool.clipboard(text: String(repeating: "x", count: RemoteTool.maximumClipboardBytes + 1)).isValid)
        #expect(!RemoteTool.monitor(index: 16).isValid)
        #expect(!RemoteTool.laser(x: -1, y: 0).isValid)
    }

    @Test("a physical key round-trips and is bounded")
    func physicalKey() throws {
        let events: [InputEvent] = [.physicalKey(code: 30, down: true)]
        let text = WireCodec.encode(GatewayToApplet.input(events))
        #expect(try WireCodec.decode(text, as: GatewayToApplet.self) == .input(events))
        #expect(!InputEvent.physicalKey(code: 0, down: true).isValid)
        #expect(!InputEvent.physicalKey(code: 300, down: true).isValid)
    }

    @Test("cursor frames: position only, with a shape, and hostile ones refused")
    func cursorFrames() throws {
        let moved = CursorUpdate(x: 10, y: 20, shape: nil)
        #expect(try CursorUpdate.decode(moved.encoded()) == moved)
        let shape = CursorUpdate.Shape(hotX: 1, hotY: 1, width: 2, height: 2, rgba: Array(repeating: 255, count: 16))
        let shaped = CursorUpdate(x: 1, y: 2, shape: shape)
        let bytes = shaped.encoded()
        #expect(try CursorUpdate.decode(bytes) == shaped)
        #expect(throws: ScreenUpdate.DecodingProblem.truncatedTile(index: 0)) { try CursorUpdate.decode(Array(bytes.dropLast())) }
        #expect(throws: ScreenUpdate.DecodingProblem.trailingBytes(1)) { try CursorUpdate.decode(bytes + [0]) }
        #expect(throws: ScreenUpdate.DecodingProblem.tooShort) { try CursorUpdate.decode(Array(bytes.prefix(10))) }
        // A 4096×4096 claim with no pixels: refused before any allocation.
        var huge = moved.encoded()
        huge[12] = 0x10; huge[13] = 0; huge[14] = 0x10; huge[15] = 0
        #expect(throws: ScreenUpdate.DecodingProblem.tileOutsideScreen(index: 0)) { try CursorUpdate.decode(huge) }
        // The gateway's check accepts both kinds.
        try ScreenUpdate.validateAnyKind(bytes)
        try ScreenUpdate.validateAnyKind(ScreenUpdate(sequence: 1, screenWidth: 1, screenHeight: 1, tiles: []).encoded())
    }
}
