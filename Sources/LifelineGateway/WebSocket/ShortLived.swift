/// Runs one message's work in a child task that ends with it.
///
/// A task keeps the memory of its deepest call until the task ends: the runtime's task allocator
/// reuses its slabs but never gives them back. A socket's task lives as long as the socket, and a
/// hello or a Start goes deep (store, log, publishing: tens of KB of async frames), so every idle
/// applet kept that much for hours (heaptrack: ~48 KB of task slabs per connected applet). In a
/// child task the memory goes back as soon as the message is handled. Messages of one socket are
/// still handled one after the other: the caller waits for each before it reads the next.
enum ShortLived {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        await withTaskGroup(of: T.self) { group in
            group.addTask(operation: body)
            // Exactly one child was added, so there is exactly one result.
            return await group.next()!
        }
    }
}
