import CX11
import LifelineProtocol

/// The window on the customer's desktop that shows the technician's screen (H1), view only: the
/// picture fitted to the window, F11 full screen (Escape leaves it), + and − zoom, 0 fits again,
/// M the magnifier under the pointer, C fewer colours (round to the best again), Tab the
/// technician's next screen when they share several, Q
/// or the window's close button ends it; the same as buttons
/// in its top-left corner while the pointer is in it (`SharedScreenToolbar`). Plain Xlib, its own
/// connection; not thread-safe: one owner calls it (the applet's controller, an actor).
public final class SharedScreenWindow: @unchecked Sendable {
    /// What the customer did that the applet must pass on.
    public enum Outcome: Equatable, Sendable {
        case nothing
        case closedByCustomer
        /// The customer switched to another of the technician's screens: the `place`th of `count`.
        case switchedScreen(place: Int, count: Int)
        /// The customer chose the colours: the `level`th of the applet's choices (0 the best).
        case coloursChosen(level: Int)
    }

    private let display: OpaquePointer
    private let window: Window
    private let context: GC
    private let deleteWindow: Atom
    private let screenSize: (width: Int, height: Int)
    public let screens = SharedScreens()
    private var view = SharedPictureView()
    private var toolbar = SharedScreenToolbar()
    /// How many colour choices the customer goes round (C, or the Colours button), and the one chosen.
    private let colourLevels: Int
    private var colourLevel = 0
    /// The buttons show while the pointer is in the window, out of the picture's way otherwise.
    private var pointerInside = false
    private var size: (width: Int, height: Int)
    private var shared: SharedMemoryImage?
    private var usesSharedMemory: Bool
    private var image: UnsafeMutablePointer<XImage>?
    private var pixels: UnsafeMutableRawPointer?
    private var fullScreen = false
    private var sizedToPicture = false
    private var closed = false

    public init(title: String, displayName: String?, colourLevels: Int = 1) throws(DesktopError) {
        display = try X11Connection.open(displayName, needs: [])
        self.colourLevels = max(colourLevels, 1)
        usesSharedMemory = XShmQueryExtension(display) != 0
        let root = lifeline_root_window(display)
        screenSize = (Int(lifeline_display_width(display)), Int(lifeline_display_height(display)))
        size = (max(screenSize.width * 3 / 5, 320), max(screenSize.height * 3 / 5, 240))
        let black = lifeline_black_pixel(display)
        window = XCreateSimpleWindow(display, root, 0, 0, UInt32(size.width), UInt32(size.height), 0, black, black)
        context = XCreateGC(display, window, 0, nil)
        deleteWindow = XInternAtom(display, "WM_DELETE_WINDOW", 0)
        var protocols = [deleteWindow]
        XSetWMProtocols(display, window, &protocols, 1)
        lifeline_set_window_title(display, window, title, "lifeline-technician-screen")
        XSelectInput(display, window, ExposureMask | KeyPressMask | StructureNotifyMask | PointerMotionMask | ButtonPressMask
                     | EnterWindowMask | LeaveWindowMask)
        XMapRaised(display, window)
        XFlush(display)
    }

    deinit { close() }

    /// Paints an update into its screen's picture, and shows it when that screen is on view. The
    /// first picture sizes the window to it (within 4/5 of the screen).
    public func show(_ update: ScreenUpdate) throws(DesktopError) {
        guard try screens.apply(update) == .shownChanged else { return }
        if !sizedToPicture, !fullScreen, (screens.current?.width ?? 0) > 0 {
            sizedToPicture = true
            resize(to: windowedSize(), at: (0, 0))
        }
        redraw()
    }

    /// Handles what the customer did since the last call.
    public func pollEvents() -> Outcome {
        guard !closed else { return .nothing }
        var event = XEvent()
        var redrawNeeded = false
        while XPending(display) > 0 {
            XNextEvent(display, &event)
            switch event.type {
            case ClientMessage where Atom(event.xclient.data.l.0) == deleteWindow:
                return .closedByCustomer
            case KeyPress:
                let symbol = XLookupKeysym(&event.xkey, 0)
                switch Int32(symbol) {
                case XK_q, XK_Q: return .closedByCustomer
                case XK_F11, XK_f: setFullScreen(!fullScreen)
                case XK_Escape: if fullScreen { setFullScreen(false) }
                case XK_plus, XK_equal, XK_KP_Add: view.zoomIn(); redrawNeeded = true
                case XK_minus, XK_KP_Subtract: view.zoomOut(); redrawNeeded = true
                case XK_0, XK_KP_0: view.fit(); redrawNeeded = true
                case XK_m, XK_M: view.magnifier.toggle(); redrawNeeded = true
                case XK_Tab where screens.count > 1: return switchScreen()
                case XK_c, XK_C: return nextColours()
                default: break
                }
            case ConfigureNotify:
                let configured = (Int(event.xconfigure.width), Int(event.xconfigure.height))
                if configured != size { size = configured; redrawNeeded = true }
            case Expose where event.xexpose.count == 0:
                redrawNeeded = true
            case MotionNotify:
                view.pointer = (Int(event.xmotion.x), Int(event.xmotion.y))
                if view.magnifier { redrawNeeded = true }
            case EnterNotify, LeaveNotify:
                pointerInside = event.type == EnterNotify
                redrawNeeded = true
            case ButtonPress where event.xbutton.button == UInt32(Button1):
                guard pointerInside, let button = toolbar.button(atX: Int(event.xbutton.x), y: Int(event.xbutton.y)) else { break }
                switch button {
                case .end: return .closedByCustomer
                case .fullScreen: setFullScreen(!fullScreen)
                case .zoomOut: view.zoomOut()
                case .zoomIn: view.zoomIn()
                case .fit: view.fit()
                case .magnifier: view.magnifier.toggle()
                case .colours: return nextColours()
                case .screens: return switchScreen()
                }
                redrawNeeded = true
            default:
                break
            }
        }
        if redrawNeeded { redraw() }
        return .nothing
    }

    /// The next colour choice (after the last, the best again).
    private func nextColours() -> Outcome {
        colourLevel = (colourLevel + 1) % colourLevels
        redraw()
        return .coloursChosen(level: colourLevel)
    }

    /// The next of the technician's screens (Tab, or the Screens button).
    private func switchScreen() -> Outcome {
        let place = screens.showNext()
        redraw()
        return .switchedScreen(place: place, count: screens.count)
    }

    public func close() {
        guard !closed else { return }
        closed = true
        releaseImage()
        XFreeGC(display, context)
        XDestroyWindow(display, window)
        XCloseDisplay(display)
    }

    /// Full screen through the window manager (EWMH) and, for a desktop without one, by covering the screen.
    private func setFullScreen(_ on: Bool) {
        fullScreen = on
        lifeline_set_fullscreen(display, window, on ? 1 : 0)
        if on {
            resize(to: screenSize, at: (0, 0))
        } else {
            resize(to: windowedSize(), at: (0, 0))
        }
    }

    /// Out of full screen: the picture at its size, or smaller to fit 4/5 of the customer's screen.
    private func windowedSize() -> (width: Int, height: Int) {
        let (width, height) = (max(screens.current?.width ?? 0, 320), max(screens.current?.height ?? 0, 240))
        let factor = max(SharedPictureView().scale(picture: (width, height), window: (screenSize.width * 4 / 5, screenSize.height * 4 / 5)), 1)
        return (Int(Double(width) / factor), Int(Double(height) / factor))
    }

    private func resize(to newSize: (width: Int, height: Int), at origin: (x: Int, y: Int)) {
        size = (max(newSize.width, 1), max(newSize.height, 1))
        XMoveResizeWindow(display, window, Int32(origin.x), Int32(origin.y), UInt32(size.width), UInt32(size.height))
        redraw()
    }

    private func redraw() {
        guard !closed, let picture = screens.current, picture.width > 0, let target = drawingBuffer() else { return }
        view.render(picture, into: target.pixels, width: size.width, height: size.height)
        if pointerInside {
            toolbar.fullScreen = fullScreen
            toolbar.screenCount = screens.count
            toolbar.coloursReduced = colourLevel > 0
            toolbar.magnifierOn = view.magnifier
            toolbar.render(into: target.pixels, width: size.width, height: size.height)
        }
        if let shared = target.shared {
            XShmPutImage(display, window, context, shared.image, 0, 0, 0, 0, UInt32(size.width), UInt32(size.height), 0)
            // The server reads the segment in place: it must be done before the next picture is drawn into it.
            XSync(display, 0)
        } else if let image {
            XPutImage(display, window, context, image, 0, 0, 0, 0, UInt32(size.width), UInt32(size.height))
            XFlush(display)
        }
    }

    /// The window-sized buffer the picture is drawn into: shared with the X server (MIT-SHM, no
    /// copy through the socket: a 1080p picture is 8 MB) where it can be, else an image of our own.
    private func drawingBuffer() -> (pixels: UnsafeMutableRawPointer, shared: SharedMemoryImage?)? {
        let current = shared.map { (Int($0.image.pointee.width), Int($0.image.pointee.height)) }
            ?? image.map { (Int($0.pointee.width), Int($0.pointee.height)) }
        if let current, current == size {
            if let shared { return (shared.pixels, shared) }
            if let pixels { return (pixels, nil) }
        }
        releaseImage()
        if usesSharedMemory {
            do throws(DesktopError) {
                let made = try SharedMemoryImage(display: display, width: size.width, height: size.height)
                if made.bytesPerRow == size.width * 4 {
                    shared = made
                    return (made.pixels, made)
                }
                made.detach()
            } catch {
                // A display without shared memory for us (another machine's X server): drawn through the socket.
            }
            usesSharedMemory = false
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size.width * size.height * 4, alignment: 16)
        guard let created = XCreateImage(display, lifeline_default_visual(display), UInt32(lifeline_default_depth(display)), ZPixmap, 0,
                                         buffer.assumingMemoryBound(to: CChar.self), UInt32(size.width), UInt32(size.height), 32, 0)
        else {
            buffer.deallocate()
            return nil
        }
        image = created
        pixels = buffer
        return (buffer, nil)
    }

    private func releaseImage() {
        shared?.detach()
        shared = nil
        if let image {
            // The buffer is ours: XDestroyImage must not free it.
            image.pointee.data = nil
            lifeline_destroy_image(image)
        }
        pixels?.deallocate()
        image = nil
        pixels = nil
    }
}
