import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Limits on the gateway's TCP connections, so no one client can hold its file descriptors:
/// a connection must send a whole request head soon and within a size, one source address holds
/// at most so many, and past the total the gateway answers 503 at once rather than stop answering.
public struct ConnectionLimits: Sendable {
    /// Time to send a whole request head: from connecting for the first request, from the head's
    /// first byte for later ones on a keep-alive connection (idle and slow-loris clients).
    public var headDeadline: TimeAmount
    /// Bytes of a request head at most; past it the answer is 431.
    public var maximumHeadBytes: Int
    /// While a request body is read, the time the gateway waits on the client's bytes may reach
    /// this, plus one second for every `minimumBodyRate` bytes received (a body trickled in to
    /// hold the connection is cut; time the gateway itself is not reading does not count). Longer
    /// than a file transfer's stall limit (30 s), so a stalled transfer ends with its own message.
    public var bodyGrace: TimeAmount
    public var minimumBodyRate: Int
    /// Connections open at once from one source address.
    public var perAddress: Int
    /// Connections open at once in all; the rest of the file descriptors stay for the database,
    /// files in transfer and recordings.
    public var total: Int
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout: TimeAmount

    public init(headDeadline: TimeAmount = .seconds(10), maximumHeadBytes: Int = 32 * 1_024, bodyGrace: TimeAmount = .seconds(60),
                minimumBodyRate: Int = 500, perAddress: Int = 256, total: Int = ConnectionLimits.totalForThisProcess(),
                idleTimeout: TimeAmount = .seconds(75)) {
        self.headDeadline = headDeadline
        self.maximumHeadBytes = maximumHeadBytes
        self.bodyGrace = bodyGrace
        self.minimumBodyRate = minimumBodyRate
        self.perAddress = perAddress
        self.total = total
        self.idleTimeout = idleTimeout
    }

    /// File descriptors kept back from connections: the listener, the database and its journal,
    /// files being transferred, recordings, the applet download.
    public static let reservedDescriptors = 256

    /// The open-file limit of this process less the reserve.
    public static func totalForThisProcess() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        return max(64, Int(clamping: limit.rlim_cur) - reservedDescriptors)
    }
}

/// Connections open now, per source address and in all; shared by every connection's guard.
public final class ConnectionLedger: Sendable {
    private let counts = NIOLockedValueBox<(perAddress: [String: Int], total: Int)>(([:], 0))

    public init() {}

    /// Connections admitted and not yet closed.
    public var open: Int { counts.withLockedValue { $0.total } }

    /// The same, by source address.
    var openByAddress: [String: Int] { counts.withLockedValue { $0.perAddress } }

    enum Admission: Equatable { case admitted, addressFull, gatewayFull }

    func admit(_ address: String, limits: ConnectionLimits) -> Admission {
        counts.withLockedValue { counts in
            if counts.total >= limits.total { return .gatewayFull }
            if counts.perAddress[address, default: 0] >= limits.perAddress { return .addressFull }
            counts.perAddress[address, default: 0] += 1
            counts.total += 1
            return .admitted
        }
    }

    func release(_ address: String) {
        counts.withLockedValue { counts in
            let left = counts.perAddress[address, default: 1] - 1
            counts.perAddress[address] = left > 0 ? left : nil
            counts.total -= 1
        }
    }
}
