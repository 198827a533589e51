#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import Synchronization

/// Each kernel module's description (L6), read from its file by kmod's `modinfo` — one process for
/// all the modules not yet known. Kept for the applet's life: a running kernel's module files stay.
enum KernelModuleDescriptions {
    /// By "root|release|module"; nil when modinfo found no description for it.
    private static let known = Mutex<[String: String?]>([:])

    static let modinfoPaths = ["/usr/sbin/modinfo", "/sbin/modinfo", "/usr/bin/modinfo", "/bin/modinfo"]

    /// Blocking (it may start modinfo): call it off the pool. Empty where the kernel's module folder
    /// (`root`/lib/modules/`release`) or modinfo is missing.
    static func of(_ names: [String], root: String, release: String) -> [String: String] {
        guard !release.isEmpty, !release.contains("/"), access(root + "/lib/modules/" + release, F_OK) == 0,
              let modinfo = modinfoPaths.first(where: { access($0, X_OK) == 0 }) else { return [:] }
        let prefix = root + "|" + release + "|"
        let unknown = known.withLock { known in names.filter { known[prefix + $0] == nil } }
        // Two views asked at once may both ask modinfo; both write the same answers, so nothing is lost.
        if !unknown.isEmpty, let output = ChildProcess.output(of: modinfo, ["-b", root, "-k", release] + unknown, evenOnFailure: true) {
            let found = ModinfoOutput.descriptions(output)
            known.withLock { known in
                for name in unknown { known[prefix + name] = .some(found[name]) }
            }
        }
        return known.withLock { known in
            var descriptions: [String: String] = [:]
            for name in names { if let description = known[prefix + name] ?? nil { descriptions[name] = description } }
            return descriptions
        }
    }
}
