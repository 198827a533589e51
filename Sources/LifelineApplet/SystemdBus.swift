#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// The sd-bus functions the services view uses, from libsystemd.so.0 loaded with dlopen the first
/// time they are needed. Only fixed-argument functions (Swift cannot call C variadics).
struct SDBusLibrary: @unchecked Sendable {
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

    /// Loaded once; the failure says why when this machine has no libsystemd.
    static let shared: Result<SDBusLibrary, SystemdBus.Failure> = load()

    private static func load() -> Result<SDBusLibrary, SystemdBus.Failure> {
        guard let library = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL) else {
            return .failure(SystemdBus.Failure(name: "", description: "libsystemd is not installed (\(String(cString: dlerror())))"))
        }
        var missing: [String] = []
        func function<T>(_ name: String) -> T {
            guard let symbol = dlsym(library, name) else {
                missing.append(name)
                // Never called: load() fails below when anything is missing.
                return unsafeBitCast(dlsym(library, "sd_bus_open_system"), to: T.self)
            }
            return unsafeBitCast(symbol, to: T.self)
        }
        let loaded = SDBusLibrary(
            openSystem: function("sd_bus_open_system"), openUser: function("sd_bus_open_user"),
            flushCloseUnref: function("sd_bus_flush_close_unref"), newMethodCall: function("sd_bus_message_new_method_call"),
            appendBasic: function("sd_bus_message_append_basic"), openContainer: function("sd_bus_message_open_container"),
            closeContainer: function("sd_bus_message_close_container"), call: function("sd_bus_call"),
            errorFree: function("sd_bus_error_free"), messageUnref: function("sd_bus_message_unref"),
            matchSignal: function("sd_bus_match_signal"), slotUnref: function("sd_bus_slot_unref"), process: function("sd_bus_process"),
            wait: function("sd_bus_wait"), enterContainer: function("sd_bus_message_enter_container"),
            exitContainer: function("sd_bus_message_exit_container"), peekType: function("sd_bus_message_peek_type"),
            readBasic: function("sd_bus_message_read_basic"))
        guard missing.isEmpty else {
            return .failure(SystemdBus.Failure(name: "", description: "this libsystemd lacks \(missing.joined(separator: ", "))"))
        }
        return .success(loaded)
    }
}

/// One blocking connection to a D-Bus bus through libsystemd's sd-bus, for talking to systemd
/// (L3). Not Sendable: it lives and dies on the one thread that uses it.
final class SystemdBus {
    struct Failure: Error, CustomStringConvertible {
        /// The D-Bus error name (`org.freedesktop.DBus.Error.ServiceUnknown` …), or empty when the
        /// bus itself could not be reached.
        let name: String
        let description: String
    }

    enum Argument {
        case string(String)
        case strings([String])
        case bool(Bool)
    }

    static let systemd = "org.freedesktop.systemd1"
    static let manager = "org.freedesktop.systemd1.Manager"
    static let managerPath = "/org/freedesktop/systemd1"

    private let bus: OpaquePointer
    private let sd: SDBusLibrary

    /// The system bus (`$DBUS_SYSTEM_BUS_ADDRESS` when set) or the user's own.
    init(user: Bool) throws(Failure) {
        sd = try SDBusLibrary.shared.get()
        var opened: OpaquePointer?
        let status = user ? sd.openUser(&opened) : sd.openSystem(&opened)
        guard status >= 0, let opened else { throw Failure(name: "", description: String(cString: strerror(-status))) }
        bus = opened
    }

    deinit { _ = sd.flushCloseUnref(bus) }

    /// Calls a method of systemd and returns its reply, or the error it answered.
    func call(_ member: String, _ arguments: [Argument] = [], path: String = SystemdBus.managerPath,
              interface: String = SystemdBus.manager, timeout: Duration = .seconds(25)) throws(Failure) -> SystemdMessage {
        var message: OpaquePointer?
        var status = sd.newMethodCall(bus, &message, Self.systemd, path, interface, member)
        guard status >= 0, let message else { throw Failure(name: "", description: String(cString: strerror(-status))) }
        defer { _ = sd.messageUnref(message) }
        for argument in arguments {
            switch argument {
            case .string(let text):
                status = text.withCString { sd.appendBasic(message, Self.type("s"), $0) }
            case .bool(let flag):
                var value: Int32 = flag ? 1 : 0
                status = sd.appendBasic(message, Self.type("b"), &value)
            case .strings(let texts):
                status = sd.openContainer(message, Self.type("a"), "s")
                for text in texts where status >= 0 {
                    status = text.withCString { sd.appendBasic(message, Self.type("s"), $0) }
                }
                if status >= 0 { status = sd.closeContainer(message) }
            }
            guard status >= 0 else { throw Failure(name: "", description: String(cString: strerror(-status))) }
        }
        var error = sd_bus_error()
        defer { sd.errorFree(&error) }
        var reply: OpaquePointer?
        status = sd.call(bus, message, UInt64(timeout.components.seconds) * 1_000_000, &error, &reply)
        guard status >= 0, let reply else {
            let name = error.name.map { String(cString: $0) } ?? ""
            let text = error.message.map { String(cString: $0) } ?? String(cString: strerror(-status))
            throw Failure(name: name, description: text)
        }
        return SystemdMessage(reply, sd: sd)
    }

    /// A property of one of systemd's objects, as text (`s` and `o` properties).
    func property(_ name: String, of path: String, interface: String) throws(Failure) -> String {
        let reply = try call("Get", [.string(interface), .string(name)], path: path, interface: "org.freedesktop.DBus.Properties")
        guard reply.enter("v", "s") else { return "" }
        return reply.string()
    }

    /// systemd's `JobRemoved` signals, by job path → result, gathered while `body` runs and then
    /// until `job(result)` names one that is there or `timeout` passes.
    func watchingJobs<T>(_ body: () throws(Failure) -> T, until finished: (T, [String: String]) -> Bool,
                         timeout: Duration) throws(Failure) -> (T, [String: String]) {
        let removed = JobsRemoved()
        var slot: OpaquePointer?
        let handler: sd_bus_message_handler_t = { message, userdata, _ in
            guard let message, let userdata else { return 0 }
            guard case .success(let sd) = SDBusLibrary.shared else { return 0 }
            let reply = SystemdMessage(borrowing: message, sd: sd)
            _ = reply.uint32()
            let path = reply.string()
            _ = reply.string()
            Unmanaged<JobsRemoved>.fromOpaque(userdata).takeUnretainedValue().results[path] = reply.string()
            return 0
        }
        let status = sd.matchSignal(bus, &slot, Self.systemd, Self.managerPath, Self.manager, "JobRemoved", handler,
                                         Unmanaged.passUnretained(removed).toOpaque())
        guard status >= 0 else { throw Failure(name: "", description: String(cString: strerror(-status))) }
        defer { _ = sd.slotUnref(slot) }
        let value = try body()
        let deadline = ContinuousClock.now + timeout
        while !finished(value, removed.results) {
            let processed = sd.process(bus, nil)
            if processed < 0 { throw Failure(name: "", description: String(cString: strerror(-processed))) }
            if processed > 0 { continue }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            _ = sd.wait(bus, UInt64(left.components.seconds) * 1_000_000 + UInt64(left.components.attoseconds / 1_000_000_000_000))
        }
        return (value, removed.results)
    }

    private final class JobsRemoved {
        var results: [String: String] = [:]
    }

    static func type(_ character: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: character)) }
}

/// A D-Bus message read in order, one basic value or container at a time.
final class SystemdMessage {
    private let pointer: OpaquePointer
    private let owned: Bool
    private let sd: SDBusLibrary

    init(_ pointer: OpaquePointer, sd: SDBusLibrary) {
        self.pointer = pointer
        self.sd = sd
        owned = true
    }

    init(borrowing pointer: OpaquePointer, sd: SDBusLibrary) {
        self.pointer = pointer
        self.sd = sd
        owned = false
    }

    deinit { if owned { _ = sd.messageUnref(pointer) } }

    /// Enters an array, structure or variant; false at the end of the enclosing array.
    func enter(_ type: Unicode.Scalar, _ contents: String) -> Bool {
        sd.enterContainer(pointer, SystemdBus.type(type), contents) > 0
    }

    func exit() { _ = sd.exitContainer(pointer) }

    /// An `s` or `o` value; empty when the next value is not one.
    func string() -> String {
        var type: CChar = 0
        guard sd.peekType(pointer, &type, nil) > 0, type == SystemdBus.type("s") || type == SystemdBus.type("o") else { return "" }
        var value: UnsafePointer<CChar>?
        guard sd.readBasic(pointer, type, &value) > 0, let value else { return "" }
        return String(cString: value)
    }

    func uint32() -> UInt32 {
        var value: UInt32 = 0
        _ = sd.readBasic(pointer, SystemdBus.type("u"), &value)
        return value
    }

    func bool() -> Bool {
        var value: Int32 = 0
        _ = sd.readBasic(pointer, SystemdBus.type("b"), &value)
        return value != 0
    }
}
