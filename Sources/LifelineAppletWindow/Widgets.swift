import LifelineDesktop
import Logging

/// Small builders over GTK's C calls, so the window reads as a layout. GTK thread only.
extension GTKThread {
    typealias Widget = GTK.Object

    func label(_ text: String, classes: [String] = [], wrap: Bool = true, selectable: Bool = false) -> Widget? {
        let label = gtk.labelNew(text)
        gtk.labelSetWrap(label, wrap ? 1 : 0)
        gtk.labelSetXAlign(label, 0)
        if selectable { gtk.labelSetSelectable(label, 1) }
        style(label, classes)
        return label
    }

    /// A button whose label has a mnemonic ("_Allow": Alt+A presses it).
    func button(_ mnemonic: String, classes: [String] = [], action: @escaping () -> Void) -> Widget? {
        let button = gtk.buttonNewWithMnemonic(mnemonic)
        style(button, classes)
        connect(button, "clicked", action)
        return button
    }

    func box(_ orientation: GTK.Orientation, spacing: Int32 = 8, classes: [String] = [], _ children: [Widget?]) -> Widget? {
        let box = gtk.boxNew(orientation.rawValue, spacing)
        style(box, classes)
        for child in children { gtk.boxAppend(box, child) }
        return box
    }

    func style(_ widget: Widget?, _ classes: [String]) {
        for name in classes { gtk.widgetAddCSSClass(widget, name) }
    }

    func setVisible(_ widget: Widget?, _ visible: Bool) {
        gtk.widgetSetVisible(widget, visible ? 1 : 0)
    }

    func expand(_ widget: Widget?, horizontally: Bool = false, vertically: Bool = false) {
        if horizontally { gtk.widgetSetHExpand(widget, 1) }
        if vertically { gtk.widgetSetVExpand(widget, 1) }
    }

    /// A top-level window. Dialogs are top-level too: GTK 4 left a window transient for another
    /// undrawn under a plain X window manager (openbox), so they are kept above instead.
    func window(title: String, width: Int32, height: Int32) -> Widget? {
        let window = gtk.windowNew()
        gtk.windowSetTitle(window, title)
        gtk.windowSetDefaultSize(window, width, height)
        return window
    }

    /// The application's look, for every window of this display.
    func loadStyle(_ css: String) {
        let provider = gtk.cssProviderNew()
        gtk.cssProviderLoadFromData(provider, css, -1)
        // GTK_STYLE_PROVIDER_PRIORITY_APPLICATION
        gtk.styleContextAddProviderForDisplay(gtk.displayGetDefault(), provider, 600)
    }

    /// The X window of a shown GTK window (a GdkX11Toplevel surface); nil on Wayland or before it is shown.
    func x11Window(of window: Widget?) -> UInt? {
        guard let getXID = gtk.x11SurfaceGetXID, let surface = gtk.nativeGetSurface(window),
              let type = gtk.typeNameFromInstance(surface), String(cString: type).hasPrefix("GdkX11") else { return nil }
        return getXID(surface)
    }

    /// Asks where to save a file; `chosen` gets the folder, or nil when the customer cancelled.
    /// GTK words its own buttons, in the customer's language.
    func chooseFolder(title: String, parent: Widget?, chosen: @escaping (String?) -> Void) {
        // GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
        let chooser = gtk.fileChooserNativeNew(title, parent, 2, nil, nil)
        onResponse(chooser) { [gtk] response in
            var folder: String?
            // GTK_RESPONSE_ACCEPT
            if response == -3, let file = gtk.fileChooserGetFile(chooser) {
                if let path = gtk.fileGetPath(file) {
                    folder = String(cString: path)
                    gtk.free(path)
                }
                gtk.objectUnref(file)
            }
            gtk.objectUnref(chooser)
            chosen(folder)
        }
        gtk.nativeDialogShow(chooser)
    }
}

/// Asks the window manager to keep a shown window above the others, or to stop (X11; nothing on Wayland).
func keepAbove(_ window: GTK.Object?, _ above: Bool, ui: GTKThread) {
    guard let xWindow = ui.x11Window(of: window) else { return }
    do { try X11WindowState.keepAbove(window: xWindow, above) } catch {
        Logger(label: "lifeline-applet").warning("A window could not be kept above the others", metadata: ["error": "\(error)"])
    }
}
