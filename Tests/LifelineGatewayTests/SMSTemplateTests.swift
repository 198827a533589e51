import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LifelineGateway

@Suite("SMS webhook bodies keep the values inside their format")
struct SMSTemplateTests {
    @Test("JSON bodies escape quotes and line breaks")
    func json() {
        let body = WebhookSMSSender.render(SMSConfiguration.defaultWebhookBody, to: "+336", text: "say \"hi\"\nnow",
                                           contentType: "application/json")
        #expect(body == #"{"to":"+336","text":"say \"hi\"\nnow"}"#)
    }

    @Test("form bodies percent-encode, so a value cannot add a field")
    func form() {
        let body = WebhookSMSSender.render("to={to}&msg={text}", to: "+336", text: "a&admin=1 b",
                                           contentType: "application/x-www-form-urlencoded")
        #expect(body == "to=%2B336&msg=a%26admin%3D1%20b")
    }
}

/// The webhook over async-http-client against a real socket on loopback.
@Suite("SMS webhook: a provider that never answers")
struct SMSWebhookTimeoutTests {
    @Test("a stalled provider is reported as a timeout, within the deadline")
    func stalledProvider() async throws {
        // A listening socket that accepts the connection (the kernel does) and never answers.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(bound == 0)
        #expect(listen(listener, 8) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)
        var sender = WebhookSMSSender(url: URL(string: "http://127.0.0.1:\(port)/sms")!, method: "POST",
                                      bodyTemplate: SMSConfiguration.defaultWebhookBody, contentType: "application/json", authorization: nil)
        sender.timeout = .seconds(1)
        let started = ContinuousClock.now
        do {
            try await sender.send(to: "+33600000000", text: "hello")
            Issue.record("a provider that never answers cannot have taken the message")
        } catch {
            #expect("\(error)" == "The SMS provider did not answer within 1 s.", "\(error)")
        }
        // Well under the 20 s default, with room for a machine busy running every suite at once
        // (6.6 s was seen there): the 1 s deadline was the one used, and nothing hung.
        #expect(ContinuousClock.now - started < .seconds(15))
    }
}
