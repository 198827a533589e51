#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol

/// The elevated restart (J3) on Linux: the applet starts a copy of itself as root through sudo,
/// hands it the session, and stays as a thin relay of the customer's typing until that copy
/// ends with the session — and with it the root rights. Arguments are passed as a list, never
/// through a shell; the password goes to sudo's standard input only.
actor ElevatedRestart {
    private var child: ChildProcess?
    static let sudo = "/usr/bin/sudo"
    /// A technician's request the customer has not answered yet: the credentials stay in memory
    /// only until then.
    private var pending: (credentials: ElevationCredentials, technician: String)?
    /// The current connection's ear for a hand-over decided outside it (the customer's yes).
    private var handOverSignal: AsyncStream<Void>.Continuation?

    enum Failure: Error, CustomStringConvertible {
        case alreadyRoot
        case otherUser(String)
        case noSudo
        case refused
        case cannotStart(String)

        var description: String {
            switch self {
            case .alreadyRoot: "The applet already runs with administrator rights."
            case .otherUser(let user):
                "On Linux the applet restarts through sudo: enter the password of the signed-in user (\(user)), who must be allowed to use sudo."
            case .noSudo: "sudo is not installed on this computer."
            case .refused: "sudo refused the password, or this user may not use sudo."
            case .cannotStart(let detail): "The applet could not be started again: \(detail)."
            }
        }
    }

    /// Whether a restarted copy now runs the session.
    var handedOver: Bool { child != nil }

    /// Keeps a request until the customer answers it (a newer one replaces it).
    func ask(_ credentials: ElevationCredentials, technician: String) {
        pending = (credentials, technician)
    }

    /// The request waiting for an answer, taken: it is answered once.
    func takePending() -> (credentials: ElevationCredentials, technician: String)? {
        defer { pending = nil }
        return pending
    }

    var isAsking: Bool { pending != nil }

    /// For one connection: yields once the root copy took the session over.
    func handOvers() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        handOverSignal?.finish()
        handOverSignal = continuation
        return stream
    }

    func signalHandOver() {
        handOverSignal?.yield()
    }

    /// Checks the password with sudo, then starts the root copy with the session's token in a
    /// private file (not on its command line, which every user can read).
    func restart(_ credentials: ElevationCredentials, joined: JoinedSession, arguments: [String]) async throws(Failure) {
        guard getuid() != 0 else { throw .alreadyRoot }
        let me = LocalPaths.accountName()
        guard credentials.username == me else { throw .otherUser(me) }
        guard FileManager.default.isExecutableFile(atPath: Self.sudo) else { throw .noSudo }
        // -k: always ask, so the password line is always read by sudo and never reaches the applet.
        let checked: Int32
        do throws(ChildProcess.Failure) {
            checked = try await Self.run(Self.sudo, ["-S", "-k", "-p", "", "-v"], input: credentials.password + "\n")
        } catch {
            throw .cannotStart(error.description)
        }
        guard checked == 0 else { throw .refused }
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("lifeline-\(UUID().uuidString).session").path
        do {
            let data = try JSONEncoder().encode(joined)
            guard FileManager.default.createFile(atPath: tokenFile, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw Failure.cannotStart("no temporary file")
            }
        } catch {
            throw .cannotStart("\(error)")
        }
        let process: ChildProcess
        do throws(ChildProcess.Failure) {
            process = try ChildProcess.start(Self.sudo, ["-S", "-k", "-p", "", "-u", "root", "--", Self.executablePath(),
                                                         "--resume-file", tokenFile] + arguments, pipedInput: true, sharedOutput: true)
        } catch {
            try? FileManager.default.removeItem(atPath: tokenFile)
            throw .cannotStart(error.description)
        }
        process.send(credentials.password + "\n")
        child = process
    }

    /// A line the customer typed, for the root copy; false when there is none.
    func forward(_ line: String) -> Bool {
        guard let child else { return false }
        child.send(line + "\n")
        return true
    }

    /// Waits for the root copy to end (with the session) and returns its exit status.
    func waitForChild() async -> Int32 {
        guard let child else { return 1 }
        return await child.exitStatus(every: .milliseconds(200))
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Runs a program to its end with `input` on its standard input; returns its exit status.
    static func run(_ path: String, _ arguments: [String], input: String) async throws(ChildProcess.Failure) -> Int32 {
        let process = try ChildProcess.start(path, arguments, pipedInput: true)
        process.send(input)
        process.closeInput()
        return await process.exitStatus(every: .milliseconds(20))
    }

    /// The session handed over by the unprivileged applet: read once, then the file is removed.
    static func takeHandedOverSession(from path: String) throws -> JoinedSession {
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.cannotStart("the session file \(path) is missing")
        }
        return try JSONDecoder().decode(JoinedSession.self, from: data)
    }
}
