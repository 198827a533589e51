import Crypto
import Foundation
import Logging
import NIOPosix

/// The applet binary this gateway offers, with its size and SHA-256 (shown on the PIN and link
/// pages, checked by the commands and the launcher). Hashed once per version of the file: a new
/// binary put in place (same path, other size or date) is hashed again.
///
/// A gzip copy beside it (`lifeline-applet.gz`, made by scripts/build-release.sh) is what goes on
/// the wire to clients that accept gzip — browsers and `curl --compressed` — about a third of the
/// bytes. It is used only while it is at least as new as the binary and its trailer names the
/// binary's size; the customer's side checks the SHA-256 of what it unpacked either way.
actor AppletDownload {
    struct Info: Codable, Equatable, Sendable {
        let fileName: String
        let size: Int64
        let sha256: String
        /// Bytes on the wire for clients that accept gzip; nil when only the binary is offered.
        let downloadSize: Int64?
    }

    /// What one download sends.
    struct Choice: Equatable, Sendable {
        let path: String
        let gzip: Bool
    }

    let path: String?
    let logger = Logger(label: "lifeline-gateway.applet-download")
    private var cached: (version: FileVersion, sha256: String)?
    /// The gzip copy last looked at, and whether it matched the binary then.
    private var checkedCopy: (version: FileVersion, binary: FileVersion, matches: Bool)?

    struct FileVersion: Equatable {
        let size: Int64
        let modified: Date
    }

    init(path: String?) {
        self.path = path
    }

    var compressedPath: String? { path.map { $0 + ".gz" } }

    /// Nil when the gateway has no applet to offer.
    func info() async throws -> Info? {
        guard let path, let binary = version(of: path, warn: true) else { return nil }
        let copy = compressedCopy(of: binary)
        // The hash stands for the binary alone: a gzip copy put beside it changes only the size on the wire.
        let sha256: String
        if let cached, cached.version == binary {
            sha256 = cached.sha256
        } else {
            // Some tens of megabytes: read and hashed off the event loops.
            let digest = try await NIOThreadPool.singleton.runIfActive {
                SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
            }
            sha256 = digest.map { String(format: "%02x", $0) }.joined()
            cached = (binary, sha256)
        }
        return Info(fileName: "lifeline-applet", size: binary.size, sha256: sha256, downloadSize: copy?.size)
    }

    /// The file to send: the gzip copy when the client takes gzip and the copy is current, else the binary.
    func download(acceptsGzip: Bool) -> Choice? {
        guard let path, let binary = version(of: path, warn: true) else { return nil }
        if acceptsGzip, let compressedPath, compressedCopy(of: binary) != nil {
            return Choice(path: compressedPath, gzip: true)
        }
        return Choice(path: path, gzip: false)
    }

    private func version(of path: String, warn: Bool) -> FileVersion? {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard let size = (attributes[.size] as? NSNumber)?.int64Value, let modified = attributes[.modificationDate] as? Date else { return nil }
            return FileVersion(size: size, modified: modified)
        } catch {
            if warn { logger.warning("The applet to offer cannot be read", metadata: ["path": "\(path)", "error": "\(error)"]) }
            return nil
        }
    }

    /// The gzip copy's version when it stands for `binary`; its trailer is read once per version of either.
    private func compressedCopy(of binary: FileVersion) -> FileVersion? {
        guard let compressedPath, let copy = version(of: compressedPath, warn: false) else { return nil }
        if let checkedCopy, checkedCopy.version == copy, checkedCopy.binary == binary { return checkedCopy.matches ? copy : nil }
        let matches = copy.modified >= binary.modified && GzipTrailer.originalSize(ofFileAt: compressedPath) == UInt32(truncatingIfNeeded: binary.size)
        if !matches {
            logger.warning("The applet's gzip copy is older than the applet or not of it; sending the applet uncompressed",
                           metadata: ["path": "\(compressedPath)"])
        }
        checkedCopy = (copy, binary, matches)
        return matches ? copy : nil
    }
}

/// RFC 1952: a gzip member ends with the original size modulo 2³², little-endian.
enum GzipTrailer {
    static func originalSize(ofFileAt path: String) -> UInt32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= 18 else { return nil }
        var trailer = [UInt8](repeating: 0, count: 4)
        guard pread(descriptor, &trailer, 4, status.st_size - 4) == 4 else { return nil }
        return trailer.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// Whether an Accept-Encoding header lets the answer be gzip (RFC 9110 §12.5.3): `gzip` or `*`
/// listed without `q=0`.
enum AcceptEncoding {
    static func allowsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Bool?
        var star: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first else { continue }
            let refused = parts.dropFirst().contains { parameter in
                guard parameter.hasPrefix("q=") else { return false }
                return (Double(parameter.dropFirst(2)) ?? 1) == 0
            }
            if coding == "gzip" || coding == "x-gzip" { gzip = !refused } else if coding == "*" { star = !refused }
        }
        return gzip ?? star ?? false
    }
}
