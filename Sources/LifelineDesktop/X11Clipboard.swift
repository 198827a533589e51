import CX11
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The customer's X CLIPBOARD, text only (J10). It owns the selection to give the technician's
/// text to whatever pastes, and watches for other owners (XFixes) to read what the customer
/// copies. An X connection and a hidden window of its own; `copiedText` also answers paste
/// requests, so it must be called every few tens of milliseconds while sync is on.
public final class X11Clipboard: ClipboardBridge, @unchecked Sendable {
    private let display: OpaquePointer
    private let window: Window
    private let clipboard: Atom
    private let utf8: Atom
    private let targets: Atom
    private let property: Atom
    private var fixesEventBase: Int32 = 0
    /// What we offer while we own the clipboard.
    private var offered: [UInt8]?
    private var copied: String?

    public init(displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) throws(DesktopError) {
        display = try X11Connection.open(displayName, needs: [])
        var errorBase: Int32 = 0
        guard XFixesQueryExtension(display, &fixesEventBase, &errorBase) != 0 else {
            XCloseDisplay(display)
            throw .extensionMissing("XFIXES")
        }
        window = XCreateSimpleWindow(display, lifeline_root_window(display), -10, -10, 1, 1, 0, 0, 0)
        clipboard = XInternAtom(display, "CLIPBOARD", 0)
        utf8 = XInternAtom(display, "UTF8_STRING", 0)
        targets = XInternAtom(display, "TARGETS", 0)
        property = XInternAtom(display, "LIFELINE_CLIPBOARD", 0)
        XFixesSelectSelectionInput(display, window, clipboard, UInt(XFixesSetSelectionOwnerNotifyMask))
        XFlush(display)
    }

    deinit {
        XDestroyWindow(display, window)
        XCloseDisplay(display)
    }

    public func set(_ text: String) {
        offered = Array(text.utf8)
        XSetSelectionOwner(display, clipboard, window, UInt(CurrentTime))
        XFlush(display)
    }

    public func copiedText() -> String? {
        handleEvents()
        defer { copied = nil }
        return copied
    }

    private func handleEvents() {
        var event = XEvent()
        while XPending(display) > 0 {
            XNextEvent(display, &event)
            switch event.type {
            case fixesEventBase + Int32(XFixesSelectionNotify):
                let owner = withUnsafePointer(to: &event) {
                    $0.withMemoryRebound(to: XFixesSelectionNotifyEvent.self, capacity: 1) { $0.pointee.owner }
                }
                // Someone else copied: ask them for the text (the answer is a SelectionNotify).
                if owner != window && owner != 0 {
                    offered = nil
                    XConvertSelection(display, clipboard, utf8, property, window, UInt(CurrentTime))
                    XFlush(display)
                }
            case SelectionNotify:
                if event.xselection.property != 0 { copied = readProperty() }
            case SelectionRequest:
                answer(&event.xselectionrequest)
            case SelectionClear:
                offered = nil
            default:
                break
            }
        }
    }

    private func readProperty() -> String? {
        var type: Atom = 0, format: Int32 = 0
        var count: UInt = 0, after: UInt = 0
        var data: UnsafeMutablePointer<UInt8>?
        // Up to 64 KiB (16 Ki 32-bit units): the size the console accepts.
        guard XGetWindowProperty(display, window, property, 0, 16_384, 1, Atom(AnyPropertyType), &type, &format, &count, &after, &data) == Success,
              let data else { return nil }
        defer { XFree(data) }
        guard format == 8, count > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(count)), as: UTF8.self)
    }

    /// Someone pastes: give them the text as UTF-8 (or STRING), or the list of targets.
    private func answer(_ request: inout XSelectionRequestEvent) {
        var replyProperty: Atom = request.property == 0 ? request.target : request.property
        if let offered, request.selection == clipboard {
            if request.target == targets {
                var list: [Atom] = [targets, utf8, Atom(XA_STRING)]
                XChangeProperty(display, request.requestor, replyProperty, Atom(XA_ATOM), 32, PropModeReplace,
                                &list, Int32(list.count))
            } else if request.target == utf8 || request.target == Atom(XA_STRING) {
                offered.withUnsafeBufferPointer {
                    XChangeProperty(display, request.requestor, replyProperty, request.target, 8, PropModeReplace,
                                    $0.baseAddress, Int32($0.count))
                }
            } else {
                replyProperty = 0
            }
        } else {
            replyProperty = 0
        }
        lifeline_send_selection_notify(display, &request, replyProperty)
        XFlush(display)
    }
}
