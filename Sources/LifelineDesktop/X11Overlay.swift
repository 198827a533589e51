import CX11
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The whiteboard and the laser pointer on the customer's real screen (J12, J13): red windows
/// above everything, shaped (X SHAPE) to the strokes and to a dot, with an empty input shape so
/// the customer's clicks go through. No compositor needed.
public final class X11Overlay: ScreenOverlay, @unchecked Sendable {
    private let display: OpaquePointer
    private let board: Window
    private let dot: Window
    private let width: Int
    private let height: Int
    private var strokes: OpaquePointer
    private var lastPoint: (x: Int, y: Int)?
    private var boardShown = false
    static let penWidth = 4
    static let dotSize = 14

    public init(displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) throws(DesktopError) {
        display = try X11Connection.open(displayName, needs: [])
        var eventBase: Int32 = 0, errorBase: Int32 = 0
        guard XShapeQueryExtension(display, &eventBase, &errorBase) != 0 else {
            XCloseDisplay(display)
            throw .extensionMissing("SHAPE")
        }
        let root = lifeline_root_window(display)
        width = Int(lifeline_display_width(display))
        height = Int(lifeline_display_height(display))
        var colour = XColor()
        var exact = XColor()
        let red = XAllocNamedColor(display, XDefaultColormap(display, XDefaultScreen(display)), "red", &colour, &exact) != 0
            ? colour.pixel : 0xFF0000
        board = XCreateSimpleWindow(display, root, 0, 0, UInt32(width), UInt32(height), 0, red, red)
        dot = XCreateSimpleWindow(display, root, 0, 0, UInt32(Self.dotSize), UInt32(Self.dotSize), 0, red, red)
        strokes = XCreateRegion()
        var attributes = XSetWindowAttributes()
        attributes.override_redirect = 1
        for window in [board, dot] {
            XChangeWindowAttributes(display, window, UInt(CWOverrideRedirect), &attributes)
            // Clicks pass through: the input shape is empty.
            XShapeCombineRectangles(display, window, ShapeInput, 0, 0, nil, 0, ShapeSet, Unsorted)
        }
        XShapeCombineRectangles(display, board, ShapeBounding, 0, 0, nil, 0, ShapeSet, Unsorted)
        var round = Self.disc(size: Self.dotSize)
        XShapeCombineRectangles(display, dot, ShapeBounding, 0, 0, &round, Int32(round.count), ShapeSet, Unsorted)
        XFlush(display)
    }

    deinit {
        XDestroyRegion(strokes)
        XDestroyWindow(display, board)
        XDestroyWindow(display, dot)
        XCloseDisplay(display)
    }

    /// A piece of a stroke: continues from the previous piece's last point when it starts there.
    public func draw(_ points: [(x: Int, y: Int)]) {
        guard let first = points.first else { return }
        var previous = first
        for point in points {
            for step in Self.steps(from: previous, to: point) {
                var rect = XRectangle(x: Int16(clamping: step.x - Self.penWidth / 2), y: Int16(clamping: step.y - Self.penWidth / 2),
                                      width: UInt16(Self.penWidth), height: UInt16(Self.penWidth))
                XUnionRectWithRegion(&rect, strokes, strokes)
            }
            previous = point
        }
        lastPoint = previous
        XShapeCombineRegion(display, board, ShapeBounding, 0, 0, strokes, ShapeSet)
        if !boardShown {
            XMapRaised(display, board)
            boardShown = true
        } else {
            XRaiseWindow(display, board)
        }
        XRaiseWindow(display, dot)
        XFlush(display)
    }

    public func clear() {
        XDestroyRegion(strokes)
        strokes = XCreateRegion()
        XShapeCombineRectangles(display, board, ShapeBounding, 0, 0, nil, 0, ShapeSet, Unsorted)
        XUnmapWindow(display, board)
        boardShown = false
        XFlush(display)
    }

    public func laser(x: Int, y: Int) {
        XMoveWindow(display, dot, Int32(x - Self.dotSize / 2), Int32(y - Self.dotSize / 2))
        XMapRaised(display, dot)
        XFlush(display)
    }

    public func laserOff() {
        XUnmapWindow(display, dot)
        XFlush(display)
    }

    /// Points every pixel along a segment, so fast strokes stay continuous.
    static func steps(from a: (x: Int, y: Int), to b: (x: Int, y: Int)) -> [(x: Int, y: Int)] {
        let count = max(abs(b.x - a.x), abs(b.y - a.y))
        guard count > 0 else { return [b] }
        return (0...count).map { i in (a.x + (b.x - a.x) * i / count, a.y + (b.y - a.y) * i / count) }
    }

    /// A round dot as one rectangle per row.
    static func disc(size: Int) -> [XRectangle] {
        let radius = Double(size) / 2
        return (0..<size).map { row in
            let dy = Double(row) + 0.5 - radius
            let half = Int((radius * radius - dy * dy).squareRoot().rounded())
            return XRectangle(x: Int16(size / 2 - half), y: Int16(row), width: UInt16(max(1, 2 * half)), height: 1)
        }
    }
}
