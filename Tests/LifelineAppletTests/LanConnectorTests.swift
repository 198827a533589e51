import Foundation
import Testing
@testable import LifelineApplet

/// The LAN connector's own parts (F4) without a network: the host keys it pins, the fingerprints it
/// shows, the scripts it runs on a machine (every value one shell word), and a file's hash.
@Suite("LAN connector: pinned host keys, fingerprints, remote scripts")
struct LanConnectorTests {
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

    @Test("the first key of a machine is pinned, owner-only; a later one never replaces it")
    func pinning() async throws {
        let folder = NSTemporaryDirectory() + "lifeline-lan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let hosts = LanKnownHosts.beside(stateFile: folder + "/agent.json")
        #expect(try await hosts.pinned(address: "10.0.0.5", port: 22) == nil)
        #expect(try await hosts.pin(Self.key, address: "10.0.0.5", port: 22))
        #expect(try await !hosts.pin("ssh-ed25519 AAAAother", address: "10.0.0.5", port: 22), "a pinned key stays")
        #expect(try await hosts.pinned(address: "10.0.0.5", port: 22) == Self.key)
        #expect(try await hosts.pinned(address: "10.0.0.5", port: 2222) == nil, "by address and port")
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/lan-known-hosts.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try FileManager.default.removeItem(atPath: folder)
    }

    @Test("fingerprints as OpenSSH prints them")
    func fingerprint() {
        // What `ssh-keygen -l` says of this key.
        #expect(LanSSHConnection.fingerprint(ofOneLineKey: Self.key) == "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU")
        #expect(LanSSHConnection.fingerprint(ofOneLineKey: "garbage") == "unknown")
    }

    @Test("remote scripts: a value with quotes and dollars stays one word; the copy is checked by its hash")
    func scripts() {
        let start = RemoteScripts.start(gateway: "https://support.example.com", link: "https://x/c/a'b$(reboot)")
        #expect(start.contains(#"--link 'https://x/c/a'\''b$(reboot)'"#))
        #expect(start.contains("--unattended") && start.contains("setsid -f"))
        let command = RemoteScripts.command("echo 'hi'")
        #expect(command == #"sh -c 'echo '\''hi'\'''"#)
        #expect(RemoteScripts.receive(sha256: "abc").contains(#"!= abc ]; then"#))
    }

    @Test("a file's SHA-256, as sha256sum gives it")
    func digest() throws {
        let path = NSTemporaryDirectory() + "lifeline-digest-\(UUID().uuidString)"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try FileDigest.sha256(ofFileAt: path).get() == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
        #expect(throws: SystemFiles.Failure.self) { try FileDigest.sha256(ofFileAt: path + "-missing").get() }
        try FileManager.default.removeItem(atPath: path)
    }
}
