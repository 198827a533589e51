#if canImport(Glibc)
import Glibc
#endif
import CSystemd

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
    private let sd: LibSystemd

    /// The system bus (`$DBUS_SYSTEM_BUS_ADDRESS` when set) or the user's own.
    init(user: Bool) throws(Failure) {
        sd = try LibSystemd.shared.get()
        var opened: OpaquePointer?
        let status = user ? sd.openUser(&opened) : sd.openSystem(&opened)
        guard status >= 0, let opened else { throw Failure(name: "", description: String(cString: strerror(-status))) }
        bus = opened
    }

    deinit { _ = sd.flushCloseUnref(bus) }

    /// Calls a method of systemd (or another service on the bus) and returns its reply, or the error it answered.
    func call(_ member: String, _ arguments: [Argument] = [], path: String = SystemdBus.managerPath,
              interface: String = SystemdBus.manager, destination: String = SystemdBus.systemd,
              timeout: Duration = .seconds(25)) throws(Failure) -> SystemdMessage {
        var message: OpaquePointer?
        var status = sd.newMethodCall(bus, &message, destination, path, interface, member)
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

    /// The text (`s`, `o`) and number (`t`) properties of one interface of an object, in one
    /// call (`GetAll`); properties of other types are passed over.
    func properties(of path: String, interface: String) throws(Failure) -> (texts: [String: String], numbers: [String: UInt64]) {
        let reply = try call("GetAll", [.string(interface)], path: path, interface: "org.freedesktop.DBus.Properties")
        var texts: [String: String] = [:]
        var numbers: [String: UInt64] = [:]
        guard reply.enter("a", "{sv}") else { return (texts, numbers) }
        while reply.enter("e", "sv") {
            let name = reply.string()
            switch reply.variantType() {
            case let type? where type == "s" || type == "o":
                _ = reply.enter("v", type)
                texts[name] = reply.string()
                reply.exit()
            case "t":
                _ = reply.enter("v", "t")
                numbers[name] = reply.uint64()
                reply.exit()
            default:
                reply.skip("v")
            }
            reply.exit()
        }
        reply.exit()
        return (texts, numbers)
    }

    /// systemd's `JobRemoved` signals, by job path → result, gathered while `body` runs and then
    /// until `job(result)` names one that is there or `timeout` passes.
    func watchingJobs<T>(_ body: () throws(Failure) -> T, until finished: (T, [String: String]) -> Bool,
                         timeout: Duration) throws(Failure) -> (T, [String: String]) {
        let removed = JobsRemoved()
        var slot: OpaquePointer?
        let handler: sd_bus_message_handler_t = { message, userdata, _ in
            guard let message, let userdata else { return 0 }
            guard case .success(let sd) = LibSystemd.shared else { return 0 }
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

    /// A signal followed while `process(waitingUpTo:)` runs; unsubscribed when released.
    final class Subscription {
        fileprivate var slot: OpaquePointer?
        fileprivate let received: (SystemdMessage) -> Void
        private let sd: LibSystemd

        fileprivate init(sd: LibSystemd, received: @escaping (SystemdMessage) -> Void) {
            self.sd = sd
            self.received = received
        }

        deinit { _ = sd.slotUnref(slot) }
    }

    /// Follows `member` signals of `interface` at `path` sent by `sender`; each is handed to `received`.
    func subscribe(sender: String, path: String, interface: String, member: String,
                   _ received: @escaping (SystemdMessage) -> Void) throws(Failure) -> Subscription {
        let subscription = Subscription(sd: sd, received: received)
        let handler: sd_bus_message_handler_t = { message, userdata, _ in
            guard let message, let userdata, case .success(let sd) = LibSystemd.shared else { return 0 }
            Unmanaged<Subscription>.fromOpaque(userdata).takeUnretainedValue().received(SystemdMessage(borrowing: message, sd: sd))
            return 0
        }
        // The slot lives as long as the subscription, which therefore outlives every call of the handler.
        let status = sd.matchSignal(bus, &subscription.slot, sender, path, interface, member, handler,
                                    Unmanaged.passUnretained(subscription).toOpaque())
        guard status >= 0 else { throw Failure(name: "", description: String(cString: strerror(-status))) }
        return subscription
    }

    /// Handles what has arrived (signals to their subscriptions), or waits up to `limit` for more.
    func process(waitingUpTo limit: Duration) throws(Failure) {
        let processed = sd.process(bus, nil)
        if processed < 0 { throw Failure(name: "", description: String(cString: strerror(-processed))) }
        if processed > 0 { return }
        let waited = sd.wait(bus, UInt64(limit.components.seconds) * 1_000_000 + UInt64(limit.components.attoseconds / 1_000_000_000_000))
        if waited < 0, waited != -EINTR { throw Failure(name: "", description: String(cString: strerror(-waited))) }
    }

    static func type(_ character: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: character)) }
}

/// A D-Bus message read in order, one basic value or container at a time.
final class SystemdMessage {
    private let pointer: OpaquePointer
    private let owned: Bool
    private let sd: LibSystemd

    init(_ pointer: OpaquePointer, sd: LibSystemd) {
        self.pointer = pointer
        self.sd = sd
        owned = true
    }

    init(borrowing pointer: OpaquePointer, sd: LibSystemd) {
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

    /// The signature inside the variant that comes next, nil when a variant does not come next.
    func variantType() -> String? {
        var type: CChar = 0
        var contents: UnsafePointer<CChar>?
        guard sd.peekType(pointer, &type, &contents) > 0, type == SystemdBus.type("v"), let contents else { return nil }
        return String(cString: contents)
    }

    /// Passes over the next value of `type` (and all it holds).
    func skip(_ type: String) { _ = sd.skip(pointer, type) }

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

    func uint64() -> UInt64 {
        var value: UInt64 = 0
        _ = sd.readBasic(pointer, SystemdBus.type("t"), &value)
        return value
    }

    /// An `h` value: a copy of the descriptor (close-on-exec) the caller owns, -1 when there is none.
    func fileDescriptor() -> Int32 {
        var value: Int32 = -1
        guard sd.readBasic(pointer, SystemdBus.type("h"), &value) > 0, value >= 0 else { return -1 }
        return fcntl(value, F_DUPFD_CLOEXEC, 3)
    }

    func bool() -> Bool {
        var value: Int32 = 0
        _ = sd.readBasic(pointer, SystemdBus.type("b"), &value)
        return value != 0
    }
}
