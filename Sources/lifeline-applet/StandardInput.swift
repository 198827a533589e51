#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LifelineApplet
import LifelineAppletWindow

/// Standard input as lines, read on a thread of its own (reading blocks). The first line can be
/// taken alone (the consent answer) before the rest flows as chat; both read the same stream,
/// one after the other, never at once.
struct StandardInput: Sendable {
    let stream: AsyncStream<String>

    static func lines() -> StandardInput {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        PosixThread.start {
            while let line = readLine(strippingNewline: true) { continuation.yield(line) }
            continuation.finish()
        }
        return StandardInput(stream: stream)
    }

    func next() async -> String? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }

    /// The lines as the customer's commands, read only when asked for (after the consent answer).
    var commands: AsyncStream<CustomerCommand> {
        AsyncStream(unfolding: {
            while let line = await next() {
                if let command = CustomerCommand(line: line) { return command }
            }
            return nil
        })
    }
}

/// Ctrl-C (or TERM) while the customer is asked whether to let the technician in ends the wait
/// with `.close`, so the technician is told; afterwards the signals kill the applet as usual
/// (a restart rejoins the session).
enum ClosedWhileAsked {
    static func answer(_ ask: @escaping @Sendable () async -> ConsentAnswer) async -> ConsentAnswer {
        let (answers, answered) = AsyncStream<ConsentAnswer>.makeStream()
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { answered.yield(.close) }
            source.resume()
            return source
        }
        let asking = Task { answered.yield(await ask()) }
        var result = ConsentAnswer.close
        for await answer in answers {
            result = answer
            break
        }
        asking.cancel()
        for source in signals { source.cancel() }
        for number in [SIGINT, SIGTERM] { signal(number, SIG_DFL) }
        return result
    }
}
