#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import Logging

/// Where an unattended computer's agent lives (F5), and how it starts with the computer. From the
/// elevated applet (J3): a systemd system service, running whoever is logged in. Otherwise, in the
/// customer's account: an XDG autostart entry, so it runs while they are logged in; it is started
/// at once too. `lifeline-applet --uninstall-agent` (or the computer's removal from the list)
/// takes it all away.
struct AgentInstallation: Sendable {
    enum Scope: Equatable, Sendable {
        /// A system service (`unitFile`), the agent running as root.
        case system(unitFile: String)
        /// The customer's desktop session (`autostartEntry`).
        case user(autostartEntry: String)
    }

    let scope: Scope
    let folder: String
    /// Where the system's files are written (tests use a fixture root); the paths inside the files
    /// are the system's own.
    var root = ""
    var stateFile: String { folder + "/agent.json" }
    var binary: String { folder + "/lifeline-applet" }
    /// The agent's log when started by the applet (a service's goes to the journal).
    var logFile: String { folder + "/agent.log" }

    /// The system service when this applet runs as root, the customer's account otherwise.
    static func forThisAccount(environment: [String: String] = ProcessInfo.processInfo.environment) -> AgentInstallation {
        if geteuid() == 0 { return .system() }
        let home = environment["HOME"] ?? LocalPaths.home()
        let config = environment["XDG_CONFIG_HOME"] ?? home + "/.config"
        let data = environment["XDG_DATA_HOME"] ?? home + "/.local/share"
        return AgentInstallation(scope: .user(autostartEntry: config + "/autostart/lifeline-agent.desktop"), folder: data + "/lifeline")
    }

    /// The systemd service (paths written under `root`).
    static func system(root: String = "") -> AgentInstallation {
        AgentInstallation(scope: .system(unitFile: "/etc/systemd/system/lifeline-agent.service"), folder: "/var/lib/lifeline", root: root)
    }

    var command: [String] { [binary, "--agent", stateFile] }

    /// Writes the agent's settings (owner-only), its copy of the applet and the entry that starts it.
    func install(_ state: AgentState, runningBinary: String) throws {
        do {
            try SystemFiles.makeFolders(root + folder, mode: 0o700)
            if URL(fileURLWithPath: runningBinary).standardizedFileURL.path != root + binary {
                try SystemFiles.copyApplet(from: runningBinary, to: root + binary)
            }
            try state.save(to: root + stateFile)
            switch scope {
            case .system(let unitFile):
                try SystemFiles.makeFolders(root + LocalPaths.parent(unitFile), mode: 0o755)
                try SystemFiles.write(unit(), to: root + unitFile, mode: 0o644)
            case .user(let entry):
                try SystemFiles.makeFolders(root + LocalPaths.parent(entry), mode: 0o700)
                try SystemFiles.write(autostartEntry(), to: root + entry, mode: 0o644)
            }
        } catch {
            removeFiles()
            throw error
        }
    }

    func unit() -> String {
        """
        [Unit]
        Description=Lifeline unattended access agent
        After=network-online.target
        Wants=network-online.target

        [Service]
        ExecStart=\(command.map(RestartResume.quoted).joined(separator: " "))
        Restart=always
        RestartSec=10

        [Install]
        WantedBy=multi-user.target

        """
    }

    func autostartEntry() -> String {
        [
            "[Desktop Entry]", "Type=Application", "Name=Lifeline unattended access",
            "Comment=Lets the technician you approved connect within the hours you approved",
            "Exec=\(command.map(RestartResume.quoted).joined(separator: " "))",
            "Terminal=false", "X-GNOME-Autostart-enabled=true", "NoDisplay=true",
        ].joined(separator: "\n") + "\n"
    }

    static let unitName = "lifeline-agent.service"

    /// Starts the agent now: the service through systemd, or a process of its own session.
    func start() throws {
        switch scope {
        case .user:
            _ = try ChildProcess.start(binary, ["--agent", stateFile], newSession: true, outputFile: logFile)
        case .system(let unitFile):
            let bus = try SystemdBus(user: false)
            _ = try bus.call("Reload")
            _ = try bus.call("EnableUnitFiles", [.strings([unitFile]), .bool(false), .bool(true)])
            _ = try bus.call("StartUnit", [.string(Self.unitName), .string("replace")])
        }
    }

    /// Removes the agent's files; the agent itself stops when it finds its settings gone.
    func removeFiles() {
        unlink(root + stateFile)
        unlink(root + logFile)
        switch scope {
        case .system(let unitFile): unlink(root + unitFile)
        case .user(let entry): unlink(root + entry)
        }
    }

    func uninstall(logger: Logger) {
        if case .system = scope {
            // The service is disabled first; stopping it ends this very process when it is the agent.
            do {
                let bus = try SystemdBus(user: false)
                _ = try bus.call("DisableUnitFiles", [.strings([Self.unitName]), .bool(false)])
                removeFiles()
                _ = try bus.call("StopUnit", [.string(Self.unitName), .string("replace")])
            } catch {
                logger.warning("systemd could not disable the agent's service", metadata: ["error": "\(error)"])
            }
        }
        removeFiles()
        logger.notice("The unattended access agent is uninstalled", metadata: ["agent.settings": "\(stateFile)"])
    }
}
