import Foundation
import Hummingbird
import NIOPosix

/// Serves one HTML file of the web root under another address (the customer's link page).
enum StaticPage {
    static func serve(_ relativePath: String, root: String) async throws -> Response {
        let path = "\(root)/\(relativePath)"
        let data = try await NIOThreadPool.singleton.runIfActive { () throws -> Data? in
            FileManager.default.contents(atPath: path)
        }
        guard let data else { throw GatewayError(.notFound, "There is nothing at this address.") }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
