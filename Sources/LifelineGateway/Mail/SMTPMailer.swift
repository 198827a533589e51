import Foundation
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// Where and how the gateway sends email (LIFELINE_SMTP_* settings).
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: String, Sendable {
        /// Plain SMTP (a relay on the same host).
        case none
        /// Plain connection upgraded with STARTTLS before anything else is said (port 587).
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case tls
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var from: String
    /// Extra certificate authorities to trust (PEM), for a mail server with a private CA.
    public var caFile: String?

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
                from: String, caFile: String? = nil) {
        self.caFile = caFile
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
    }
}

/// Something that delivers email; tests of other parts may stand in for it.
protocol Mailer: Sendable {
    func send(_ message: MailMessage) async throws
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS or TLS, AUTH PLAIN, one message.
struct SMTPMailer: Mailer {
    let configuration: SMTPConfiguration
    let now: @Sendable () -> Date
    static let timeout: Duration = .seconds(30)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func send(_ message: MailMessage) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await deliver(message) }
            group.addTask {
                try await Task.sleep(for: Self.timeout)
                throw Failure(description: "The mail server did not answer within 30 seconds.")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func deliver(_ message: MailMessage) async throws {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if let caFile = configuration.caFile { tlsConfiguration.additionalTrustRoots = [.file(caFile)] }
        let tlsContext = configuration.security == .none ? nil : try NIOSSLContext(configuration: tlsConfiguration)
        let channel = try await connect(implicitTLS: configuration.security == .tls ? tlsContext : nil)
        let rawChannel = channel.channel
        try await channel.executeThenClose { inbound, outbound in
            var smtp = SMTPConversation(lines: inbound.makeAsyncIterator(), outbound: outbound)
            let domain = configuration.from.split(separator: "@").last.map(String.init) ?? "lifeline"
            _ = try await smtp.command(nil, expect: [220])
            let capabilities = try await smtp.command("EHLO \(domain)", expect: [250])
            if configuration.security == .startTLS {
                guard capabilities.uppercased().contains("STARTTLS") else {
                    throw Failure(description: "The mail server does not offer STARTTLS.")
                }
                _ = try await smtp.command("STARTTLS", expect: [220])
                guard let tlsContext else { throw Failure(description: "TLS is not available.") }
                let host = configuration.host
                try await rawChannel.eventLoop.submit {
                    try rawChannel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tlsContext, serverHostname: host), position: .first)
                }.get()
                _ = try await smtp.command("EHLO \(domain)", expect: [250])
            }
            if let username = configuration.username, let password = configuration.password {
                let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                _ = try await smtp.command("AUTH PLAIN \(token)", expect: [235])
            }
            _ = try await smtp.command("MAIL FROM:<\(MailMessage.headerSafe(configuration.from))>", expect: [250])
            _ = try await smtp.command("RCPT TO:<\(MailMessage.headerSafe(message.to))>", expect: [250, 251])
            _ = try await smtp.command("DATA", expect: [354])
            _ = try await smtp.command(message.rendered(date: now(), messageIdDomain: domain) + ".", expect: [250])
            // The message is accepted at this point; a server that hangs up instead of answering QUIT loses nothing.
            do { _ = try await smtp.command("QUIT", expect: [221]) } catch {
                Logger(label: "lifeline-smtp").debug("The mail server did not answer QUIT", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A line-framed connection to the mail server, TLS from the first byte when asked.
    private func connect(implicitTLS tlsContext: NIOSSLContext?) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let host = configuration.host
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }
}

/// One SMTP exchange: a command written, the server's (possibly multi-line) reply read and checked.
private struct SMTPConversation {
    var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    mutating func command(_ line: String?, expect codes: Set<Int>) async throws -> String {
        if let line { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
        let answer = try await reply()
        guard codes.contains(answer.code) else {
            throw SMTPMailer.Failure(description: "The mail server refused \(line.map { String($0.prefix(4)) } ?? "the connection"): \(answer.text)")
        }
        return answer.text
    }

    private mutating func reply() async throws -> (code: Int, text: String) {
        var text: [String] = []
        while true {
            guard var buffer = try await lines.next(), let line = buffer.readString(length: buffer.readableBytes) else {
                throw SMTPMailer.Failure(description: "The mail server closed the connection.")
            }
            let clean = line.trimmingCharacters(in: .whitespacesAndNewlines)
            text.append(clean)
            // "250-..." continues, "250 ..." ends a reply.
            if clean.count < 4 || clean[clean.index(clean.startIndex, offsetBy: 3)] != "-" {
                return (Int(clean.prefix(3)) ?? 0, text.joined(separator: " "))
            }
        }
    }
}
