#if canImport(Glibc)
import Glibc
#endif

/// A C library opened with dlopen at run time (GTK 4, libsystemd): the one downloadable applet
/// starts where the library is missing, and building needs no library to link. Functions are
/// looked up by name; the ones not found are gathered so the caller can refuse the library whole.
public final class DynamicLibrary {
    public let handle: UnsafeMutableRawPointer
    public private(set) var missing: [String] = []
    private let placeholder: String

    /// Opens `file`; `placeholder` names a function every version has, handed out (never called)
    /// for a missing one so the caller can build its table before checking `missing`.
    public init(_ file: String, flags: Int32 = RTLD_NOW | RTLD_LOCAL, placeholder: String) throws(Unavailable) {
        guard let handle = dlopen(file, flags) else { throw Unavailable(description: String(cString: dlerror())) }
        self.handle = handle
        self.placeholder = placeholder
    }

    /// Why the library could not be opened.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public func optional<T>(_ name: String, _: T.Type = T.self) -> T? {
        dlsym(handle, name).map { unsafeBitCast($0, to: T.self) }
    }

    public func required<T>(_ name: String) -> T {
        if let function: T = optional(name) { return function }
        missing.append(name)
        return unsafeBitCast(dlsym(handle, placeholder), to: T.self)
    }
}
