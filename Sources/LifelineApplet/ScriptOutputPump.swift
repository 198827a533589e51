import Crypto
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// A running script's standard output and error, read as they come (N2): every byte hashed and
/// counted, the text cut into `script_output` messages of at most 8 KiB, sent at least every
/// 100 ms, and no more than `ScriptRules.maximumOutputBytes` in all — a script writing 100 MB
/// is read (so it never blocks on a full pipe) and hashed, not sent.
struct ScriptOutputPump {
    private(set) var digest = SHA256()
    private(set) var totalBytes: Int64 = 0
    private(set) var sentBytes = 0
    private(set) var truncated = false
    /// Bytes of a UTF-8 character cut at the end of a read, kept for the next one, per stream.
    private var carry: [ScriptStream: [UInt8]] = [:]

    /// One read of both pipes: what came on each (empty when nothing did), and which reached their end.
    struct Batch: Sendable {
        var output: [UInt8] = []
        var error: [UInt8] = []
        var outputEnded = false
        var errorEnded = false
    }

    /// Waits up to `wait` seconds for either pipe, then reads what is there (up to 1 MiB a pipe).
    /// Blocking: run it off the cooperative pool (`PosixThread.offThread`).
    static func read(output: Int32, error: Int32, outputOpen: Bool, errorOpen: Bool, wait: Double) -> Batch {
        var batch = Batch(outputEnded: !outputOpen, errorEnded: !errorOpen)
        var descriptors = [pollfd(fd: outputOpen ? output : -1, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: errorOpen ? error : -1, events: Int16(POLLIN), revents: 0)]
        guard poll(&descriptors, 2, Int32(wait * 1000)) > 0 else { return batch }
        for (index, descriptor) in descriptors.enumerated() where descriptor.fd >= 0 && descriptor.revents != 0 {
            var bytes: [UInt8] = []
            var ended = false
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while bytes.count < 1 << 20 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    bytes += buffer[0..<count]
                    // Less than asked: the pipe is empty for now.
                    if count < buffer.count { break }
                } else if count == 0 {
                    ended = true
                    break
                } else {
                    if errno == EINTR { continue }
                    ended = errno != EAGAIN
                    break
                }
            }
            if index == 0 { (batch.output, batch.outputEnded) = (bytes, ended) } else { (batch.error, batch.errorEnded) = (bytes, ended) }
        }
        return batch
    }

    /// Hashes and counts `bytes`; returns the text to send, nothing once the cap is reached.
    mutating func take(_ bytes: [UInt8], from stream: ScriptStream, at seconds: Double) -> [ScriptOutputChunk] {
        guard !bytes.isEmpty else { return [] }
        bytes.withUnsafeBytes { digest.update(bufferPointer: $0) }
        totalBytes += Int64(bytes.count)
        guard !truncated else { return [] }
        var whole = (carry[stream] ?? []) + bytes
        let cut = Self.completeLength(whole)
        carry[stream] = Array(whole[cut...])
        whole.removeSubrange(cut...)
        let room = ScriptRules.maximumOutputBytes - sentBytes
        if whole.count > room {
            whole = Array(whole[..<Self.completeLength(Array(whole[..<room]))])
            truncated = true
        }
        sentBytes += whole.count
        var chunks: [ScriptOutputChunk] = []
        var start = 0
        while start < whole.count {
            var end = min(whole.count, start + ScriptOutputMessage.maximumTextBytes)
            end = start + Self.completeLength(Array(whole[start..<end]))
            if end == start { end = min(whole.count, start + 4) }
            chunks.append(ScriptOutputChunk(at: seconds, stream: stream, text: String(decoding: whole[start..<end], as: UTF8.self)))
            start = end
        }
        return chunks
    }

    /// How many bytes of `bytes` end on a whole UTF-8 character (an incomplete last one is left out).
    static func completeLength(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var back = 0
        while index > 0, back < 4, bytes[index - 1] & 0xC0 == 0x80 {
            index -= 1
            back += 1
        }
        guard index > 0 else { return bytes.count }
        let lead = bytes[index - 1]
        let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return needed > back + 1 ? index - 1 : bytes.count
    }

    var sha256: String { digest.finalize().hexString }
}
