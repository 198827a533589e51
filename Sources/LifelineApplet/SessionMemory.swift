import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol
import Logging
import LifelineCore

/// The session an applet joined, kept so that the applet started again with the same PIN or link
/// (closed by mistake, crashed, killed) rejoins it instead of hearing "PIN already used" (issue 16).
/// One small file per gateway and credential in the user's runtime directory, readable by the user
/// only; while an applet runs the file is locked, so a second copy cannot steal the session.
public final class SessionMemory: @unchecked Sendable {
    let file: String
    /// The open, locked file while this applet holds the session; nil until `claim`.
    private var descriptor: Int32 = -1

    /// Nil for a handed-over session (J3), or when no private folder can be had.
    public init?(gateway: URL, credential: AppletOptions.Credential,
                 environment: [String: String] = ProcessInfo.processInfo.environment) {
        let key: String
        switch credential {
        case .pin(let pin): key = "pin:" + pin.filter(\.isNumber)
        case .link(let link): key = "link:" + CustomerLink.token(from: link)
        case .resume, .afterRestart: return nil
        }
        guard let folder = Self.privateFolder(environment) else { return nil }
        let digest = SHA256.hash(data: Data((gateway.absoluteString + "\n" + key).utf8)).hexString
        file = folder + "/session-" + digest.prefix(32) + ".json"
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// `$XDG_RUNTIME_DIR/lifeline` (per user, emptied at logout), else `$TMPDIR/lifeline-<uid>`;
    /// made 0700 and used only when it belongs to this user and nobody else may enter it.
    static func privateFolder(_ environment: [String: String]) -> String? {
        let folder: String
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            folder = runtime + "/lifeline"
        } else {
            folder = (environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/lifeline-\(getuid())"
        }
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { return nil }
        var status = stat()
        guard lstat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == getuid(),
              status.st_mode & 0o077 == 0 else { return nil }
        return folder
    }

    /// Why the session cannot be held by this applet.
    public enum Refusal: Error {
        /// Another applet runs with this PIN or link now.
        case alreadyRunning
        case unusable(String)
    }

    /// Opens and locks the file: the session is this applet's until it exits.
    public func claim() throws(Refusal) {
        guard descriptor < 0 else { return }
        let opened = open(file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard opened >= 0 else { throw .unusable(String(cString: strerror(errno))) }
        guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
            close(opened)
            throw .alreadyRunning
        }
        descriptor = opened
    }

    /// The session this PIN or link joined before, if the file holds one.
    public func recall() -> JoinedSession? {
        guard descriptor >= 0, let data = FileManager.default.contents(atPath: file), !data.isEmpty else { return nil }
        do { return try JSONDecoder().decode(JoinedSession.self, from: data) } catch {
            // A damaged file (an older applet, a cut write): join afresh with the PIN or link.
            Logger(label: "lifeline-applet").warning("The saved session could not be read; joining afresh",
                                                     metadata: ["file": "\(file)", "error": "\(error)"])
            return nil
        }
    }

    /// Keeps the joined session for a restart.
    public func remember(_ joined: JoinedSession) throws {
        guard descriptor >= 0 else { return }
        let data = try JSONEncoder().encode(joined)
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0,
              data.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == data.count else {
            throw Refusal.unusable(String(cString: strerror(errno)))
        }
    }

    /// The session is over: nothing is kept.
    public func forget() {
        guard descriptor >= 0 else { return }
        unlink(file)
    }
}
