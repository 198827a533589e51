/// The buttons in the top-left corner of the customer's window showing the technician's screen
/// (H1, the manual's customer controls): full screen, zoom out and in, fit, the magnifier, the
/// colours (fewer colours, down to greyscale, for fewer bytes), the next screen (when the
/// technician shares several), and — in full screen, where the window has no
/// close button of its own — End. Drawn into the window's
/// pixels and found by where the customer clicks; the keys do the same (F11, −, +, 0, M, Q). Pure.
public struct SharedScreenToolbar: Equatable, Sendable {
    public enum Button: CaseIterable, Equatable, Sendable {
        case fullScreen, zoomOut, zoomIn, fit, magnifier, colours, screens, end
    }

    public static let buttonSize = 28
    public static let margin = 4
    /// The strip's height from the window's top: nothing below it is covered.
    public static let height = buttonSize + 2 * margin

    public var fullScreen = false
    public var magnifierOn = false
    /// Fewer colours than the best chosen: the Colours button is lit.
    public var coloursReduced = false
    /// How many screens the technician shares: the Screens button shows from two.
    public var screenCount = 1

    public init() {}

    /// The buttons shown: Screens with several, End only in full screen, as in the manual.
    public var buttons: [Button] {
        Button.allCases.filter { ($0 != .end || fullScreen) && ($0 != .screens || screenCount > 1) }
    }

    /// The left edge of the `index`th button.
    private static func left(_ index: Int) -> Int { margin + index * (buttonSize + margin) }

    public var width: Int { Self.left(buttons.count) }

    /// The button under a click at (x, y) of the window, if any.
    public func button(atX x: Int, y: Int) -> Button? {
        guard y >= Self.margin, y < Self.margin + Self.buttonSize, x >= Self.margin else { return nil }
        let index = (x - Self.margin) / (Self.buttonSize + Self.margin)
        guard index < buttons.count, x < Self.left(index) + Self.buttonSize else { return nil }
        return buttons[index]
    }

    /// Paints the strip over `pixels` (BGRX, `width` × `height` of the window).
    public func render(into pixels: UnsafeMutableRawPointer, width: Int, height: Int) {
        let target = pixels.assumingMemoryBound(to: UInt32.self)
        // Clipped to the window: a narrow one shows as much of the strip as fits.
        func fill(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ colour: UInt32) {
            let (left, right, top, bottom) = (max(x, 0), min(x + w, width), max(y, 0), min(y + h, height))
            guard left < right, top < bottom else { return }
            for row in top..<bottom {
                let line = target + row * width
                for column in left..<right { line[column] = colour }
            }
        }
        fill(0, 0, self.width, Self.height, Self.backdrop)
        for (index, button) in buttons.enumerated() {
            let x = Self.left(index), y = Self.margin
            let lit = (button == .magnifier && magnifierOn) || (button == .colours && coloursReduced)
            fill(x, y, Self.buttonSize, Self.buttonSize, button == .end ? Self.endColour : lit ? Self.litColour : Self.buttonColour)
            let glyph = Self.glyph(button)
            let inset = (Self.buttonSize - glyph.count) / 2
            for (row, line) in glyph.enumerated() {
                for (column, mark) in line.enumerated() where mark == "#" {
                    fill(x + inset + column, y + inset + row, 1, 1, Self.ink)
                }
            }
        }
    }

    static let backdrop: UInt32 = 0x0020_2428
    static let buttonColour: UInt32 = 0x0046_4C55
    static let litColour: UInt32 = 0x0000_7ACC
    static let endColour: UInt32 = 0x00C4_2B1C
    static let ink: UInt32 = 0x00FF_FFFF

    /// 14 × 14 pictures of each button, drawn with `#`.
    static func glyph(_ button: Button) -> [[Character]] {
        let rows: [String] = switch button {
        case .fullScreen: [
            "####......####", "#............#", "#............#", "#............#", "..............", "..............", "..............",
            "..............", "..............", "..............", "#............#", "#............#", "#............#", "####......####"]
        case .zoomOut: [
            "..............", "..............", "..............", "..............", "..............", "..............", "##############",
            "##############", "..............", "..............", "..............", "..............", "..............", ".............."]
        case .zoomIn: [
            "......##......", "......##......", "......##......", "......##......", "......##......", "......##......", "##############",
            "##############", "......##......", "......##......", "......##......", "......##......", "......##......", "......##......"]
        case .fit: [
            "##############", "#............#", "#.##########.#", "#.#........#.#", "#.#........#.#", "#.#........#.#", "#.#........#.#",
            "#.#........#.#", "#.#........#.#", "#.#........#.#", "#.#........#.#", "#.##########.#", "#............#", "##############"]
        case .magnifier: [
            "...#####......", "..#.....#.....", ".#.......#....", "#.........#...", "#.........#...", "#.........#...", "#.........#...",
            ".#.......#....", "..#.....##....", "...######.#...", ".........#.#..", "..........#.#.", "...........#.#", "............##"]
        case .colours: [
            "....######....", "..##......##..", ".#..........#.", ".#.##....##..#", "#..##....##...", "#.............", "#....##.......",
            "#....##.......", "#.........###.", ".#.......#...#", ".#.......#...#", "..##.....#..#.", "....######.#..", ".............."]
        case .screens: [
            "######........", "#....#........", "#....#........", "#....#........", "######........", "..##..........", "..............",
            "........######", "........#....#", "........#....#", "........#....#", "........######", "..........##..", ".............."]
        case .end: [
            "##..........##", "###........###", ".###......###.", "..###....###..", "...###..###...", "....######....", ".....####.....",
            ".....####.....", "....######....", "...###..###...", "..###....###..", ".###......###.", "###........###", "##..........##"]
        }
        return rows.map(Array.init)
    }
}
