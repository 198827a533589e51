#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol
import Logging

/// Restarting this machine (M1–M3) through the system's own D-Bus services: logind for a normal
/// restart (the session's programs are asked to close in order, polkit decides who may), systemd's
/// manager for an emergency one (`systemctl reboot --force`: no orderly stop of services, file
/// systems still synced; root only). Blocking: call it off the pool.
enum MachinePower {
    struct Refusal: Error {
        let message: String
        var inhibitors: [RebootInhibitor]? = nil
    }

    static let logind = "org.freedesktop.login1"
    static let logindPath = "/org/freedesktop/login1"
    static let logindManager = "org.freedesktop.login1.Manager"

    static func restart(_ kind: RebootKind) -> Result<Void, Refusal> {
        do throws(SystemdBus.Failure) {
            let bus = try SystemdBus(user: false)
            switch kind {
            case .normal, .safeMode:
                // Safe mode is chosen by the generator SafeModeBoot armed; the restart itself is the usual one.
                let blocking = RebootInhibitor.blocking(inhibitors(on: bus))
                guard blocking.isEmpty else {
                    let names = blocking.map { "\($0.who) (\($0.why))" }.joined(separator: ", ")
                    return .failure(Refusal(message: "Programs hold off the restart: \(names).", inhibitors: blocking))
                }
                _ = try bus.call("Reboot", [.bool(false)], path: logindPath, interface: logindManager, destination: logind)
            case .emergency:
                guard geteuid() == 0 else { return .failure(Refusal(message: "An emergency restart needs the applet with administrator rights.")) }
                _ = try bus.call("Reboot")
            }
            return .success(())
        } catch {
            return .failure(Refusal(message: error.name.isEmpty ? "The system's power service cannot be reached: \(error.description)"
                                                                : "\(error.description) (\(error.name))"))
        }
    }

    /// logind's inhibitors (`ListInhibitors`), empty when it cannot say.
    static func inhibitors(on bus: SystemdBus) -> [RebootInhibitor] {
        let reply: SystemdMessage
        do throws(SystemdBus.Failure) {
            reply = try bus.call("ListInhibitors", path: logindPath, interface: logindManager, destination: logind)
        } catch {
            // Without the list, logind itself still refuses a restart a blocking inhibitor holds off.
            Logger(label: "lifeline-applet").warning("logind's inhibitors could not be listed", metadata: ["error": "\(error.description)"])
            return []
        }
        var found: [RebootInhibitor] = []
        if reply.enter("a", "(ssssuu)") {
            while reply.enter("r", "ssssuu") {
                let (what, who, why, mode) = (reply.string(), reply.string(), reply.string(), reply.string())
                _ = (reply.uint32(), reply.uint32())
                reply.exit()
                found.append(RebootInhibitor(what: what, who: who, why: why, mode: mode))
            }
            reply.exit()
        }
        return found
    }
}
