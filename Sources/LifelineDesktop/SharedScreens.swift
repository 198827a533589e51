import LifelineProtocol

/// The technician's screens as the customer's window keeps them (H1, the manual's Monitors
/// button): one picture for each screen the technician shares, the one shown, and the switch to
/// the next. An update of 0 × 0 for a screen after the first says it is no longer shared.
public final class SharedScreens {
    public private(set) var shown: UInt8 = 0
    private var pictures: [UInt8: SharedPicture] = [:]

    public init() {}

    /// The screens shared now, in order.
    public var numbers: [UInt8] { pictures.keys.sorted() }
    public var count: Int { pictures.count }
    /// The picture on view (none before the first update).
    public var current: SharedPicture? { pictures[shown] }

    public enum Outcome: Equatable, Sendable {
        /// The screen on view changed: draw it.
        case shownChanged
        /// Another screen was painted (or removed): nothing to draw.
        case elsewhere
    }

    /// Paints `update` into its screen's picture, making one for a screen not seen before.
    public func apply(_ update: ScreenUpdate) throws(DesktopError) -> Outcome {
        let screen = update.screen
        if screen != 0, update.screenWidth == 0, update.screenHeight == 0 {
            pictures[screen] = nil
            guard shown == screen else { return .elsewhere }
            shown = numbers.first ?? 0
            return .shownChanged
        }
        let picture: SharedPicture
        if let known = pictures[screen] {
            picture = known
        } else {
            picture = try SharedPicture()
            pictures[screen] = picture
        }
        try picture.apply(update)
        return screen == shown ? .shownChanged : .elsewhere
    }

    /// The next screen shared (after the last, the first); its place in the order, from 1.
    @discardableResult
    public func showNext() -> Int {
        let order = numbers
        guard let index = order.firstIndex(of: shown) else { return 0 }
        let next = (index + 1) % order.count
        shown = order[next]
        return next + 1
    }
}
