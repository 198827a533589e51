/// A socket whose first frame must be hello (the applet's, an external technician's console) is
/// closed when none was accepted in time: a silent socket does not hold a connection open.
enum HelloDeadline {
    /// Closes `outlet` with `error` after `delay` unless `said()` by then; cancel it when the socket ends.
    static func start(after delay: Duration, outlet: Outlet, error: String,
                      said: @escaping @Sendable () async -> Bool) -> Task<Void, any Error> {
        Task {
            try await Task.sleep(for: delay)
            if await !said() {
                outlet.send(error)
                outlet.close(reason: "no hello")
            }
        }
    }
}
