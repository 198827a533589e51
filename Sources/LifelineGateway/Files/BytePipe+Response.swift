import Hummingbird

extension BytePipe {
    /// A response whose body is this pipe's bytes as they come; when the reader's connection
    /// drops, the pipe is abandoned so the writer's side fails instead of waiting.
    nonisolated func responseBody(contentLength: Int?) -> ResponseBody {
        ResponseBody(contentLength: contentLength) { writer in
            do {
                while let chunk = try await self.read() { try await writer.write(chunk) }
                try await writer.finish(nil)
            } catch {
                await self.abandon()
                throw error
            }
        }
    }
}
