#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineApplet
#if canImport(Glibc)
import Glibc
#endif

/// GTK 4's C API, loaded with dlopen when the applet opens its window: the one downloadable
/// binary still runs (in the terminal) on machines without GTK, and building needs no GTK headers.
/// Only functions with fixed arguments are used (Swift cannot call C variadics through pointers).
/// Every call happens on the GTK thread (`GTKThread`).
struct GTK: @unchecked Sendable {
    typealias Object = OpaquePointer
    typealias Text = UnsafePointer<CChar>

    enum Orientation: Int32 { case horizontal = 0, vertical = 1 }
    enum Align: Int32 { case fill = 0, start = 1, end = 2, center = 3 }

    let initCheck: @convention(c) () -> Int32
    let setProgramName: @convention(c) (Text?) -> Void
    let windowNew: @convention(c) () -> Object?
    let widgetSetDefaultDirection: @convention(c) (Int32) -> Void
    let windowSetTitle: @convention(c) (Object?, Text?) -> Void
    let windowSetDefaultSize: @convention(c) (Object?, Int32, Int32) -> Void
    let windowSetChild: @convention(c) (Object?, Object?) -> Void
    let windowPresent: @convention(c) (Object?) -> Void
    let windowDestroy: @convention(c) (Object?) -> Void
    let boxNew: @convention(c) (Int32, Int32) -> Object?
    let boxAppend: @convention(c) (Object?, Object?) -> Void
    let boxRemove: @convention(c) (Object?, Object?) -> Void
    let labelNew: @convention(c) (Text?) -> Object?
    let labelSetText: @convention(c) (Object?, Text?) -> Void
    let labelSetWrap: @convention(c) (Object?, Int32) -> Void
    let labelSetXAlign: @convention(c) (Object?, Float) -> Void
    let labelSetSelectable: @convention(c) (Object?, Int32) -> Void
    let buttonNewWithMnemonic: @convention(c) (Text?) -> Object?
    let entryNew: @convention(c) () -> Object?
    let entrySetVisibility: @convention(c) (Object?, Int32) -> Void
    let editableGetText: @convention(c) (Object?) -> Text?
    let editableSetText: @convention(c) (Object?, Text?) -> Void
    let scrolledWindowNew: @convention(c) () -> Object?
    let scrolledWindowSetChild: @convention(c) (Object?, Object?) -> Void
    let scrolledWindowSetPolicy: @convention(c) (Object?, Int32, Int32) -> Void
    let scrolledWindowGetVAdjustment: @convention(c) (Object?) -> Object?
    let adjustmentGetUpper: @convention(c) (Object?) -> Double
    let adjustmentSetValue: @convention(c) (Object?, Double) -> Void
    let widgetSetVisible: @convention(c) (Object?, Int32) -> Void
    let widgetSetHExpand: @convention(c) (Object?, Int32) -> Void
    let widgetSetVExpand: @convention(c) (Object?, Int32) -> Void
    let widgetSetHAlign: @convention(c) (Object?, Int32) -> Void
    let widgetAddCSSClass: @convention(c) (Object?, Text?) -> Void
    let widgetGrabFocus: @convention(c) (Object?) -> Int32
    let widgetSetSensitive: @convention(c) (Object?, Int32) -> Void
    let widgetSetTooltipText: @convention(c) (Object?, Text?) -> Void
    let cssProviderNew: @convention(c) () -> Object?
    let cssProviderLoadFromData: @convention(c) (Object?, Text?, Int) -> Void
    let displayGetDefault: @convention(c) () -> Object?
    let styleContextAddProviderForDisplay: @convention(c) (Object?, Object?, UInt32) -> Void
    let fileChooserNativeNew: @convention(c) (Text?, Object?, Int32, Text?, Text?) -> Object?
    let nativeDialogShow: @convention(c) (Object?) -> Void
    let fileChooserGetFile: @convention(c) (Object?) -> Object?
    let nativeGetSurface: @convention(c) (Object?) -> Object?
    let x11SurfaceGetXID: (@convention(c) (Object?) -> UInt)?
    let typeNameFromInstance: @convention(c) (Object?) -> Text?
    let fileGetPath: @convention(c) (Object?) -> UnsafeMutablePointer<CChar>?
    let free: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let objectUnref: @convention(c) (Object?) -> Void
    let signalConnectData: @convention(c) (Object?, Text?, UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, Int32) -> UInt
    let idleAdd: @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> UInt32
    let mainLoopNew: @convention(c) (Object?, Int32) -> Object?
    let mainLoopRun: @convention(c) (Object?) -> Void
    let mainLoopQuit: @convention(c) (Object?) -> Void

    /// Why GTK could not be loaded.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static func load() throws(Unavailable) -> GTK {
        let library: DynamicLibrary
        do throws(DynamicLibrary.Unavailable) {
            library = try DynamicLibrary("libgtk-4.so.1", flags: RTLD_NOW | RTLD_GLOBAL, placeholder: "gtk_init_check")
        } catch {
            throw Unavailable(description: "GTK 4 is not installed (\(error))")
        }
        func optional<T>(_ name: String, _: T.Type = T.self) -> T? { library.optional(name) }
        func required<T>(_ name: String) -> T { library.required(name) }
        let gtk = GTK(
            initCheck: required("gtk_init_check"), setProgramName: required("g_set_prgname"), windowNew: required("gtk_window_new"),
            widgetSetDefaultDirection: required("gtk_widget_set_default_direction"),
            windowSetTitle: required("gtk_window_set_title"), windowSetDefaultSize: required("gtk_window_set_default_size"),
            windowSetChild: required("gtk_window_set_child"), windowPresent: required("gtk_window_present"),
            windowDestroy: required("gtk_window_destroy"),
            boxNew: required("gtk_box_new"), boxAppend: required("gtk_box_append"), boxRemove: required("gtk_box_remove"),
            labelNew: required("gtk_label_new"), labelSetText: required("gtk_label_set_text"), labelSetWrap: required("gtk_label_set_wrap"),
            labelSetXAlign: required("gtk_label_set_xalign"), labelSetSelectable: required("gtk_label_set_selectable"),
            buttonNewWithMnemonic: required("gtk_button_new_with_mnemonic"), entryNew: required("gtk_entry_new"),
            entrySetVisibility: required("gtk_entry_set_visibility"),
            editableGetText: required("gtk_editable_get_text"), editableSetText: required("gtk_editable_set_text"),
            scrolledWindowNew: required("gtk_scrolled_window_new"), scrolledWindowSetChild: required("gtk_scrolled_window_set_child"),
            scrolledWindowSetPolicy: required("gtk_scrolled_window_set_policy"),
            scrolledWindowGetVAdjustment: required("gtk_scrolled_window_get_vadjustment"),
            adjustmentGetUpper: required("gtk_adjustment_get_upper"), adjustmentSetValue: required("gtk_adjustment_set_value"),
            widgetSetVisible: required("gtk_widget_set_visible"), widgetSetHExpand: required("gtk_widget_set_hexpand"),
            widgetSetVExpand: required("gtk_widget_set_vexpand"), widgetSetHAlign: required("gtk_widget_set_halign"),
            widgetAddCSSClass: required("gtk_widget_add_css_class"), widgetGrabFocus: required("gtk_widget_grab_focus"),
            widgetSetSensitive: required("gtk_widget_set_sensitive"), widgetSetTooltipText: required("gtk_widget_set_tooltip_text"),
            cssProviderNew: required("gtk_css_provider_new"), cssProviderLoadFromData: required("gtk_css_provider_load_from_data"),
            displayGetDefault: required("gdk_display_get_default"),
            styleContextAddProviderForDisplay: required("gtk_style_context_add_provider_for_display"),
            fileChooserNativeNew: required("gtk_file_chooser_native_new"), nativeDialogShow: required("gtk_native_dialog_show"),
            fileChooserGetFile: required("gtk_file_chooser_get_file"), nativeGetSurface: required("gtk_native_get_surface"),
            x11SurfaceGetXID: optional("gdk_x11_surface_get_xid"), typeNameFromInstance: required("g_type_name_from_instance"),
            fileGetPath: required("g_file_get_path"), free: required("g_free"), objectUnref: required("g_object_unref"),
            signalConnectData: required("g_signal_connect_data"), idleAdd: required("g_idle_add"),
            mainLoopNew: required("g_main_loop_new"), mainLoopRun: required("g_main_loop_run"), mainLoopQuit: required("g_main_loop_quit"))
        guard library.missing.isEmpty else { throw Unavailable(description: "this GTK lacks \(library.missing.joined(separator: ", "))") }
        return gtk
    }
}

/// Swift closures behind GTK signals: GTK gets a number as the signal's data, a trampoline finds
/// the closure. Touched on the GTK thread only.
final class SignalHandlers: @unchecked Sendable {
    private var handlers: [Int: () -> Void] = [:]
    private var responses: [Int: (Int32) -> Void] = [:]
    private var next = 1

    func add(_ handler: @escaping () -> Void) -> UnsafeMutableRawPointer? {
        next += 1
        handlers[next] = handler
        return UnsafeMutableRawPointer(bitPattern: next)
    }

    func addResponse(_ handler: @escaping (Int32) -> Void) -> UnsafeMutableRawPointer? {
        next += 1
        responses[next] = handler
        return UnsafeMutableRawPointer(bitPattern: next)
    }

    func fire(_ data: UnsafeMutableRawPointer?) {
        handlers[Int(bitPattern: data)]?()
    }

    func respond(_ data: UnsafeMutableRawPointer?, _ response: Int32) {
        responses.removeValue(forKey: Int(bitPattern: data))?(response)
    }
}
