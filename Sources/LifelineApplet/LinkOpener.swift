#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// Opens a link the technician sent (D3) in the customer's default browser with xdg-open: the
/// link is one argument, never part of a shell command, and only http, https or ftp.
enum LinkOpener {
    static func open(_ url: String) -> Bool {
        do throws(ReplyRules.Problem) { try ReplyRules.checkURL(url) } catch { return false }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let opener = paths.map({ "\($0)/xdg-open" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return false
        }
        do throws(ChildProcess.Failure) {
            try ChildProcess.start(opener, [url]).reapWhenDone()
        } catch {
            return false
        }
        return true
    }
}
