import ServiceLifecycle

/// Runs the node's heartbeat until the gateway stops, then gives its leases up.
struct ClusterNodeService: Service {
    let node: ClusterNode
    let interval: Duration

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: interval)
                            await node.tick()
                        }
                    }
                    // Apart from the heartbeat, which may hang on a database that stopped answering;
                    // twice a heartbeat (tests that beat by hand set a long one: no fence either).
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: interval / 2)
                            await node.fenceIfSilent()
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: fall through to give the leases up.
        }
        await node.stop()
    }
}
