import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import Logging
import NIOCore
import Synchronization

/// A LAN connector starting the applet on a machine of its network (F4): SSH with the technician's
/// credentials (in memory only, never written or logged), the host key checked against the one
/// pinned on first use, this very binary copied into the user's cache unless the same one is there,
/// then started with the session's one-time link and consent already given — no one at the machine
/// has anything to do. On a desktop the user is signed in to, the applet opens its window there.
enum LanConnector {
    static func connect(_ order: GatewayToAgent.LanConnect, gateway: String, knownHosts: LanKnownHosts,
                        binary: String = LocalPaths.runningBinary(), logger: Logger) async -> AgentToGateway.LanConnectAnswer {
        let place = ["lan.address": Logger.MetadataValue.string(order.address), "session.id": .string(order.sessionId)]
        func refused(_ failure: AgentToGateway.LanFailure, _ reason: String, hostKey: String? = nil) -> AgentToGateway.LanConnectAnswer {
            logger.notice("A LAN connection failed", metadata: place.merging(["failure": "\(failure.rawValue)", "reason": "\(reason)"]) { $1 })
            return .init(requestId: order.requestId, started: false, failure: failure, reason: reason, hostKey: hostKey)
        }
        let pinned: String?
        do {
            pinned = try await knownHosts.pinned(address: order.address, port: order.port)
        } catch {
            return refused(.startFailed, "the connector cannot read its pinned host keys: \(error)")
        }
        let connection: LanSSHConnection
        do {
            connection = try await LanSSHConnection.open(.init(host: order.address, port: order.port, username: order.username,
                                                               password: order.password), pinned: pinned)
        } catch {
            switch error {
            case .unreachable(let why): return refused(.unreachable, why)
            case .authenticationFailed: return refused(.authenticationFailed, "\(order.address) refused the user name or password")
            case .hostKeyChanged(let old, let new):
                return refused(.hostKeyChanged, "\(order.address) shows host key \(LanSSHConnection.fingerprint(ofOneLineKey: new)), not the "
                               + "\(LanSSHConnection.fingerprint(ofOneLineKey: old)) pinned at the first connection", hostKey: LanSSHConnection.fingerprint(ofOneLineKey: new))
            case .commandFailed(let why): return refused(.startFailed, why)
            }
        }
        let fingerprint = LanSSHConnection.fingerprint(ofOneLineKey: connection.hostKey)
        defer { Task { await connection.close() } }
        let pinnedNow: Bool
        do {
            pinnedNow = pinned == nil ? try await knownHosts.pin(connection.hostKey, address: order.address, port: order.port) : false
        } catch {
            return refused(.startFailed, "the connector cannot pin the host key: \(error)", hostKey: fingerprint)
        }
        do {
            let digest = try await FileDigest.ofRunningApplet(binary)
            let check = try await connection.run(RemoteScripts.command(RemoteScripts.check(sha256: digest)))
            guard check.status == 0 else { return refused(.startFailed, "the applet's folder cannot be made: \(check.errors)", hostKey: fingerprint) }
            if check.output.contains("missing") {
                let copy = try await connection.run(RemoteScripts.command(RemoteScripts.receive(sha256: digest)), input: FilePieces(path: binary))
                guard copy.status == 0 else { return refused(.startFailed, "the applet could not be copied: \(copy.errors)", hostKey: fingerprint) }
                logger.info("The applet was copied to a LAN machine", metadata: place)
            }
            let start = try await connection.run(RemoteScripts.command(RemoteScripts.start(gateway: gateway, link: order.link)))
            guard start.status == 0, start.output.contains("started") else {
                return refused(.startFailed, "the applet did not start: \(start.errors)", hostKey: fingerprint)
            }
        } catch let error as LanSSHError {
            return refused(.startFailed, "\(error)", hostKey: fingerprint)
        } catch {
            return refused(.startFailed, "\(error)", hostKey: fingerprint)
        }
        logger.notice("The applet was started on a LAN machine", metadata: place.merging(["technician": "\(order.technician)"]) { $1 })
        return .init(requestId: order.requestId, started: true, hostKey: fingerprint, hostKeyPinnedNow: pinnedNow)
    }
}

/// What the connector runs on the machine, each through `sh -c` whatever the user's login shell.
enum RemoteScripts {
    static let folder = #"d="${XDG_CACHE_HOME:-$HOME/.cache}/lifeline""#

    static func command(_ script: String) -> String { "sh -c " + ShellWords.quoted(script) }

    /// "present" when the same applet is in place already, "missing" otherwise.
    static func check(sha256: String) -> String {
        """
        \(folder)
        mkdir -p "$d" && chmod 700 "$d" || exit 3
        if [ -x "$d/lifeline-applet" ] && [ "$(sha256sum < "$d/lifeline-applet" | cut -d' ' -f1)" = \(sha256) ]; then echo present; else echo missing; fi
        """
    }

    /// The applet from standard input, checked by its hash before it takes the old one's place.
    static func receive(sha256: String) -> String {
        """
        \(folder)
        cat > "$d/lifeline-applet.part" || exit 4
        if [ "$(sha256sum < "$d/lifeline-applet.part" | cut -d' ' -f1)" != \(sha256) ]; then
          rm -f "$d/lifeline-applet.part"; echo "the copy that arrived does not match the connector's applet" >&2; exit 5
        fi
        chmod 700 "$d/lifeline-applet.part" && mv -f "$d/lifeline-applet.part" "$d/lifeline-applet"
        """
    }

    /// Started in a session of its own, so it outlives the SSH connection; on the user's own X
    /// display when they have one running (a socket of theirs whose server's lock names a live
    /// process), without a window otherwise.
    static func start(gateway: String, link: String) -> String {
        """
        \(folder)
        cd "$d" || exit 3
        display=""
        for s in /tmp/.X11-unix/X*; do
          n="${s#/tmp/.X11-unix/X}"
          # The user's own server (rootless Xorg, Xwayland), alive: its lock file names a running process.
          if [ -S "$s" ] && [ -O "$s" ] && [ -r "/tmp/.X$n-lock" ] && [ -d "/proc/$(tr -d ' ' < "/tmp/.X$n-lock")" ]; then
            display=":$n"; break
          fi
        done
        if [ -n "$display" ]; then
          export DISPLAY="$display"
          if [ -z "$XAUTHORITY" ] && [ -f "/run/user/$(id -u)/gdm/Xauthority" ]; then export XAUTHORITY="/run/user/$(id -u)/gdm/Xauthority"; fi
          set --
        else
          set -- --non-interactive
        fi
        setsid -f ./lifeline-applet --gateway \(ShellWords.quoted(gateway)) --link \(ShellWords.quoted(link)) --remote-consent accept --accept-terms --unattended "$@" > "$d/applet.log" 2>&1 < /dev/null || exit 6
        echo started
        """
    }
}

/// A file's SHA-256 (hex), read in 1 MiB pieces.
enum FileDigest {
    /// The applet this process runs from does not change while it runs: hashed once per path, not
    /// at every LAN connection (43 MB read each time otherwise).
    private static let known = Mutex<[String: String]>([:])

    static func ofRunningApplet(_ path: String) async throws(SystemFiles.Failure) -> String {
        if let digest = known.withLock({ $0[path] }) { return digest }
        let digest = try await PosixThread.offThread { sha256(ofFileAt: path) }.get()
        known.withLock { $0[path] = digest }
        return digest
    }

    static func sha256(ofFileAt path: String) -> Result<String, SystemFiles.Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.init("\(path) cannot be read: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(.init("\(path) cannot be read: \(String(cString: strerror(errno)))")) }
            if count == 0 { break }
            hash.update(data: buffer[..<count])
        }
        return .success(hash.finalize().hexString)
    }
}

/// A file's bytes as 256 KiB buffers, for a command's standard input.
struct FilePieces: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String

    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let path: String
        var descriptor: Int32 = -1
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            if descriptor < 0 {
                descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw Unreadable(description: "\(path) cannot be read: \(String(cString: strerror(errno)))") }
            }
            var piece = ByteBuffer()
            piece.reserveCapacity(256 * 1024)
            let fd = descriptor
            let count = piece.writeWithUnsafeMutableBytes(minimumWritableBytes: 256 * 1024) { read(fd, $0.baseAddress, 256 * 1024) }
            guard count >= 0 else { throw Unreadable(description: "\(path) cannot be read: \(String(cString: strerror(errno)))") }
            if count == 0 {
                close(descriptor)
                finished = true
                return nil
            }
            return piece
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(path: path) }
}
