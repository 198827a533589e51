import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// A hash fed piece by piece as bytes pass (a download into a file, a file posted).
protocol IncrementalHash: Sendable {
    mutating func update(bufferPointer: UnsafeRawBufferPointer)
}

extension Insecure.MD5: IncrementalHash {}
extension SHA256: IncrementalHash {}

/// The two digests of a file copied by the file manager (K3): its SHA-256, for the logs and for
/// `sha256sum`, and its block SHA-256 — the SHA-256 of the SHA-256s of its 8 MiB blocks — which
/// the technician's browser computes natively a block at a time with WebCrypto (it cannot feed
/// one SHA-256 piece by piece) to verify the copy at the speed of the disk.
struct CopyDigest: IncrementalHash {
    static let blockSize = 8 * 1024 * 1024
    private var whole = SHA256()
    private var block = SHA256()
    private var inBlock = 0
    private var blockList = SHA256()

    mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        whole.update(bufferPointer: bufferPointer)
        var rest = bufferPointer
        while !rest.isEmpty {
            let take = min(rest.count, Self.blockSize - inBlock)
            block.update(bufferPointer: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            inBlock += take
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if inBlock == Self.blockSize {
                blockList.update(data: Array(block.finalize()))
                block = SHA256()
                inBlock = 0
            }
        }
    }

    /// Both digests in hex; the hash goes on being usable (finalizing copies).
    func finalize() -> (sha256: String, blocks: String) {
        var list = blockList
        if inBlock > 0 { list.update(data: Array(block.finalize())) }
        return (whole.finalize().hexString, list.finalize().hexString)
    }
}
