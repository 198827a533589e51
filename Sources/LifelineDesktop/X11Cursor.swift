import CX11
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The pointer on X11: its shape from XFixes when the server says it changed, its position from
/// XQueryPointer. An X connection of its own, used by the streaming task only.
public final class X11Cursor: CursorSource, @unchecked Sendable {
    private let display: OpaquePointer
    private let root: Window
    private var eventBase: Int32 = 0
    private var shapeChanged = true
    private var lastPosition: (x: Int, y: Int)?

    public init(displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) throws(DesktopError) {
        display = try X11Connection.open(displayName, needs: [])
        root = lifeline_root_window(display)
        var errorBase: Int32 = 0
        guard XFixesQueryExtension(display, &eventBase, &errorBase) != 0 else {
            XCloseDisplay(display)
            throw .extensionMissing("XFIXES")
        }
        XFixesSelectCursorInput(display, root, UInt(XFixesDisplayCursorNotifyMask))
    }

    deinit { XCloseDisplay(display) }

    public func poll(origin: (x: Int, y: Int)) -> CursorLook? {
        var event = XEvent()
        while XPending(display) > 0 {
            XNextEvent(display, &event)
            if event.type == eventBase + Int32(XFixesCursorNotify) { shapeChanged = true }
        }
        var rootReturn: Window = 0, child: Window = 0
        var rootX: Int32 = 0, rootY: Int32 = 0, winX: Int32 = 0, winY: Int32 = 0
        var mask: UInt32 = 0
        guard XQueryPointer(display, root, &rootReturn, &child, &rootX, &rootY, &winX, &winY, &mask) != 0 else { return nil }
        let position = (x: Int(rootX) - origin.x, y: Int(rootY) - origin.y)
        let moved = lastPosition.map { $0.x != position.x || $0.y != position.y } ?? true
        guard moved || shapeChanged else { return nil }
        lastPosition = position
        var shape: CursorShape?
        if shapeChanged {
            shapeChanged = false
            shape = currentShape()
        }
        return CursorLook(x: position.x, y: position.y, shape: shape)
    }

    /// XFixes gives premultiplied ARGB in `unsigned long`s; browsers want straight RGBA.
    private func currentShape() -> CursorShape? {
        guard let image = XFixesGetCursorImage(display) else { return nil }
        defer { XFree(image) }
        let width = min(Int(image.pointee.width), 256), height = min(Int(image.pointee.height), 256)
        guard width > 0, height > 0, let pixels = image.pointee.pixels else { return nil }
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        for row in 0..<height {
            for column in 0..<width {
                let argb = UInt32(truncatingIfNeeded: pixels[row * Int(image.pointee.width) + column])
                let alpha = argb >> 24
                let index = (row * width + column) * 4
                guard alpha > 0 else { continue }
                rgba[index] = UInt8(min(255, ((argb >> 16) & 0xFF) * 255 / alpha))
                rgba[index + 1] = UInt8(min(255, ((argb >> 8) & 0xFF) * 255 / alpha))
                rgba[index + 2] = UInt8(min(255, (argb & 0xFF) * 255 / alpha))
                rgba[index + 3] = UInt8(alpha)
            }
        }
        return CursorShape(hotX: min(Int(image.pointee.xhot), width - 1), hotY: min(Int(image.pointee.yhot), height - 1),
                           width: width, height: height, rgba: rgba)
    }
}
