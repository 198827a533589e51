import Dispatch
import Synchronization

/// `other` run on another thread while `here` runs on this one; both results once both are done.
/// For blocking reads that overlap (rpm's query beside dpkg's file, dpkg's lists beside its status).
func alongside<Other: Sendable, Here>(_ other: @escaping @Sendable () -> Other, _ here: () -> Here) -> (other: Other, here: Here) {
    let result = Mutex<Other?>(nil)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        let value = other()
        result.withLock { $0 = value }
        done.signal()
    }
    let mine = here()
    done.wait()
    // Set before the signal that let this thread on.
    return (result.withLock { $0 }!, mine)
}
