#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every WebSocket text frame is one JSON object `{"v": 1, "type": "...", ...fields}`.
/// The version lets a newer gateway refuse an older applet with a clear message.
public enum WireProtocol {
    public static let version = 1
    /// No text frame may be larger than this; the gateway and the applet close the socket otherwise.
    public static let maximumFrameBytes = 64 * 1024
}

/// A frame that could not be understood. The text is meant for the person reading a log.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    case notJSON
    case tooLarge(limit: Int)
    case unsupportedVersion(Int)
    case unknownType(String)
    case badFields(type: String, detail: String)

    public var code: String {
        switch self {
        case .notJSON: "malformed_message"
        case .tooLarge: "message_too_large"
        case .unsupportedVersion: "unsupported_version"
        case .unknownType: "unknown_message_type"
        case .badFields: "malformed_message"
        }
    }

    public var description: String {
        switch self {
        case .notJSON: "The message is not a JSON object."
        case .tooLarge(let limit): "The message is larger than \(limit) bytes."
        case .unsupportedVersion(let v): "Protocol version \(v) is not supported; this gateway speaks version \(WireProtocol.version)."
        case .unknownType(let type): "Unknown message type \"\(type)\"."
        case .badFields(let type, let detail): "The \"\(type)\" message is malformed: \(detail)"
        }
    }
}

/// The body of one wire message that has fields of its own: a struct whose synthesised coding
/// writes them beside `v` and `type` (their names are the JSON keys). A message that carries one
/// value of the protocol (a `LogEntry`, a `SessionSummary` …) carries it under one key instead
/// (`Encoder.encodeBody(_:under:)`). No message's fields are written by hand.
public protocol WireMessage: Codable, Equatable, Sendable {}

/// `error` on every channel: what was refused, and in which session when the message named one
/// (consoles only).
public struct ErrorMessage: WireMessage {
    public let code: String
    public let message: String
    public let sessionId: String?
    /// The refused request's id, for messages that carry one (`file_manager_request`).
    public let requestId: String?
    public init(code: String, message: String, sessionId: String? = nil, requestId: String? = nil) {
        self.code = code
        self.message = message
        self.sessionId = sessionId
        self.requestId = requestId
    }
}

/// A message whose one field says why (`ended`, `remote_stop`, `remote_ended`, `elevation_failed`).
public struct ReasonMessage: WireMessage {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

/// The key of a message's single value.
private struct BodyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Encoder {
    /// Writes one value as the message's body, under `key`.
    public func encodeBody<Value: Encodable>(_ value: Value, under key: String) throws {
        var container = container(keyedBy: BodyKey.self)
        try container.encode(value, forKey: BodyKey(stringValue: key))
    }
}

extension Decoder {
    /// Reads the message's one value under `key`.
    public func decodeBody<Value: Decodable>(under key: String) throws -> Value {
        try container(keyedBy: BodyKey.self).decode(Value.self, forKey: BodyKey(stringValue: key))
    }
}

/// A message type of one channel: knows its type names and how to read and write its fields.
public protocol ChannelMessage: Sendable {
    /// The `type` field of this message.
    var type: String { get }
    /// Encodes the fields (not `v` nor `type`) into `container`.
    func encodeFields(to encoder: any Encoder) throws
    /// Decodes the message of `type` from the whole object.
    static func decode(type: String, from decoder: any Decoder) throws -> Self?
    /// The message read from `text` without JSONDecoder when it is one the channel reads so
    /// (`DirectJSON`); nil for the others.
    static func directlyRead(_ text: String) -> Self?
}

extension ChannelMessage {
    public static func directlyRead(_ text: String) -> Self? { nil }
}

private struct Header: Decodable {
    let v: Int?
    let type: String
}

private struct TypeKey: Encodable {
    let v: Int
    let type: String
}

/// Reads and writes the envelope around a channel's messages.
public enum WireCodec {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// One value as the wire writes it inside a message (the same keys' order and dates), for a
    /// sender that keeps a part of a message encoded to send it again.
    public static func encodeValue<Value: Encodable>(_ value: Value) -> String {
        // Encoding our own value types cannot fail; a failure is a programming error.
        String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    /// What follows a reply's `reply` field in the wire's sorted keys — `requestId`, `sessionId`
    /// when there is one, `type`, `v` — and closes the message, for a reply encoded in parts.
    static func replyTail(requestId: String, sessionId: String?, type: StaticString) -> String {
        ",\"requestId\":" + encodeValue(requestId) + (sessionId.map { ",\"sessionId\":" + encodeValue($0) } ?? "")
            + ",\"type\":\"\(type)\",\"v\":\(WireProtocol.version)}"
    }

    public static func encode<M: ChannelMessage>(_ message: M) -> String {
        // Encoding our own value types cannot fail; a failure is a programming error.
        let data = try! encoder.encode(EncodableMessage(message: message))
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode<M: ChannelMessage>(_ text: String, as: M.Type) throws(WireError) -> M {
        guard text.utf8.count <= WireProtocol.maximumFrameBytes else { throw .tooLarge(limit: WireProtocol.maximumFrameBytes) }
        if let message = M.directlyRead(text) { return message }
        return try decodeGenerally(Data(text.utf8), as: M.self)
    }

    /// `decode` by JSONDecoder, whatever the message.
    static func decodeGenerally<M: ChannelMessage>(_ data: Data, as: M.Type) throws(WireError) -> M {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // One parse for the envelope and the message: the decoder scans the whole text before it
        // reads a field, so reading the header first scanned a large message (a listing) twice.
        do {
            return try decoder.decode(DecodableMessage<M>.self, from: data).message
        } catch let error as WireError {
            throw error
        } catch {
            // What the message's own decoding threw is a WireError already: this is the text itself.
            throw .notJSON
        }
    }

    /// Why the fields of a `type` message could not be read, for the sender.
    static func badFields(_ error: any Error, type: String) -> WireError {
        switch error {
        case let error as WireError: error
        case let DecodingError.keyNotFound(key, _): .badFields(type: type, detail: "missing \"\(key.stringValue)\".")
        case let DecodingError.typeMismatch(_, context):
            .badFields(type: type, detail: "wrong type for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\".")
        case let DecodingError.valueNotFound(_, context):
            .badFields(type: type, detail: "null \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\".")
        default: .badFields(type: type, detail: "bad field value.")
        }
    }

    private struct EncodableMessage<M: ChannelMessage>: Encodable {
        let message: M
        func encode(to encoder: any Encoder) throws {
            try TypeKey(v: WireProtocol.version, type: message.type).encode(to: encoder)
            try message.encodeFields(to: encoder)
        }
    }

    private struct DecodableMessage<M: ChannelMessage>: Decodable {
        let message: M
        init(from decoder: any Decoder) throws {
            let header: Header
            do { header = try Header(from: decoder) } catch { throw WireError.notJSON }
            if let v = header.v, v != WireProtocol.version { throw WireError.unsupportedVersion(v) }
            let message: M?
            do { message = try M.decode(type: header.type, from: decoder) } catch { throw WireCodec.badFields(error, type: header.type) }
            guard let message else { throw WireError.unknownType(header.type) }
            self.message = message
        }
    }
}
