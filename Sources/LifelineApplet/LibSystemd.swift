#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// The sd-bus and sd-journal functions the System info tab uses (services, timers, the journal),
/// from libsystemd.so.0 loaded with dlopen the first time they are needed. Only fixed-argument
/// functions (Swift cannot call C variadics).
struct LibSystemd: @unchecked Sendable {
    typealias Bus = OpaquePointer
    typealias Message = OpaquePointer
    typealias Text = UnsafePointer<CChar>

    let openSystem: @convention(c) (UnsafeMutablePointer<Bus?>?) -> Int32
    let openUser: @convention(c) (UnsafeMutablePointer<Bus?>?) -> Int32
    let flushCloseUnref: @convention(c) (Bus?) -> Bus?
    let newMethodCall: @convention(c) (Bus?, UnsafeMutablePointer<Message?>?, Text?, Text?, Text?, Text?) -> Int32
    let appendBasic: @convention(c) (Message?, CChar, UnsafeRawPointer?) -> Int32
    let openContainer: @convention(c) (Message?, CChar, Text?) -> Int32
    let closeContainer: @convention(c) (Message?) -> Int32
    let call: @convention(c) (Bus?, Message?, UInt64, UnsafeMutablePointer<sd_bus_error>?, UnsafeMutablePointer<Message?>?) -> Int32
    let errorFree: @convention(c) (UnsafeMutablePointer<sd_bus_error>?) -> Void
    let messageUnref: @convention(c) (Message?) -> Message?
    let matchSignal: @convention(c) (Bus?, UnsafeMutablePointer<OpaquePointer?>?, Text?, Text?, Text?, Text?, sd_bus_message_handler_t?,
                                     UnsafeMutableRawPointer?) -> Int32
    let slotUnref: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let process: @convention(c) (Bus?, UnsafeMutablePointer<Message?>?) -> Int32
    let wait: @convention(c) (Bus?, UInt64) -> Int32
    let enterContainer: @convention(c) (Message?, CChar, Text?) -> Int32
    let exitContainer: @convention(c) (Message?) -> Int32
    let peekType: @convention(c) (Message?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Text?>?) -> Int32
    let readBasic: @convention(c) (Message?, CChar, UnsafeMutableRawPointer?) -> Int32
    let skip: @convention(c) (Message?, Text?) -> Int32
    let journalOpen: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, Int32) -> Int32
    let journalOpenDirectory: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, Text?, Int32) -> Int32
    let journalClose: @convention(c) (OpaquePointer?) -> Void
    let journalAddMatch: @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int) -> Int32
    let journalAddDisjunction: @convention(c) (OpaquePointer?) -> Int32
    let journalSeekTail: @convention(c) (OpaquePointer?) -> Int32
    let journalSeekCursor: @convention(c) (OpaquePointer?, Text?) -> Int32
    let journalPrevious: @convention(c) (OpaquePointer?) -> Int32
    let journalNext: @convention(c) (OpaquePointer?) -> Int32
    let journalGetData: @convention(c) (OpaquePointer?, Text?, UnsafeMutablePointer<UnsafeRawPointer?>?, UnsafeMutablePointer<Int>?) -> Int32
    let journalGetRealtime: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>?) -> Int32
    let journalGetCursor: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
    let journalRestartData: @convention(c) (OpaquePointer?) -> Void
    let journalEnumerateData: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeRawPointer?>?, UnsafeMutablePointer<Int>?) -> Int32

    /// Loaded once; the failure says why when this machine has no libsystemd.
    static let shared: Result<LibSystemd, SystemdBus.Failure> = load()

    private static func load() -> Result<LibSystemd, SystemdBus.Failure> {
        let library: DynamicLibrary
        do throws(DynamicLibrary.Unavailable) {
            library = try DynamicLibrary("libsystemd.so.0", placeholder: "sd_bus_open_system")
        } catch {
            return .failure(SystemdBus.Failure(name: "", description: "libsystemd is not installed (\(error))"))
        }
        func function<T>(_ name: String) -> T { library.required(name) }
        let loaded = LibSystemd(
            openSystem: function("sd_bus_open_system"), openUser: function("sd_bus_open_user"),
            flushCloseUnref: function("sd_bus_flush_close_unref"), newMethodCall: function("sd_bus_message_new_method_call"),
            appendBasic: function("sd_bus_message_append_basic"), openContainer: function("sd_bus_message_open_container"),
            closeContainer: function("sd_bus_message_close_container"), call: function("sd_bus_call"),
            errorFree: function("sd_bus_error_free"), messageUnref: function("sd_bus_message_unref"),
            matchSignal: function("sd_bus_match_signal"), slotUnref: function("sd_bus_slot_unref"), process: function("sd_bus_process"),
            wait: function("sd_bus_wait"), enterContainer: function("sd_bus_message_enter_container"),
            exitContainer: function("sd_bus_message_exit_container"), peekType: function("sd_bus_message_peek_type"),
            readBasic: function("sd_bus_message_read_basic"), skip: function("sd_bus_message_skip"),
            journalOpen: function("sd_journal_open"), journalOpenDirectory: function("sd_journal_open_directory"),
            journalClose: function("sd_journal_close"), journalAddMatch: function("sd_journal_add_match"),
            journalAddDisjunction: function("sd_journal_add_disjunction"), journalSeekTail: function("sd_journal_seek_tail"),
            journalSeekCursor: function("sd_journal_seek_cursor"), journalPrevious: function("sd_journal_previous"),
            journalNext: function("sd_journal_next"), journalGetData: function("sd_journal_get_data"),
            journalGetRealtime: function("sd_journal_get_realtime_usec"), journalGetCursor: function("sd_journal_get_cursor"),
            journalRestartData: function("sd_journal_restart_data"), journalEnumerateData: function("sd_journal_enumerate_data"))
        guard library.missing.isEmpty else {
            return .failure(SystemdBus.Failure(name: "", description: "this libsystemd lacks \(library.missing.joined(separator: ", "))"))
        }
        return .success(loaded)
    }
}
