#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Files between technician and customer (D4, G1): one at a time per session, a name that cannot
/// point anywhere but the folder the customer chose, a size within the organisation's limit.
/// Pure: the gateway and the applet both ask.
public enum FileTransferRules {
    public enum Problem: Error, Equatable, Sendable {
        case emptyName
        case nameTooLong
        case badName
        case emptyFile
        case tooLarge(limitBytes: Int64)
        case busy
    }

    /// The longest file name, in UTF-8 bytes: Linux's NAME_MAX (255) less what the applet may add
    /// (" (2)" … " (99999)" beside an existing file: 8 bytes; ".<name>.lifeline-part" while the file
    /// arrives: 15 bytes), so a name the gateway accepts can always be saved.
    public static let maximumNameBytes = 255 - copySuffixBytes - partFileExtraBytes

    /// Unicode's bidirectional formatting characters: marks, embeddings, overrides, isolates.
    static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
    static let copySuffixBytes = 8
    static let partFileExtraBytes = 15

    /// The name as it will be saved and shown: the last path component only, without control
    /// characters nor bidirectional controls (a right-to-left override makes "report\u{202E}gnp.exe"
    /// read "reportexe.png"); "." and ".." and names made of dots are refused, as is anything that
    /// still holds a slash.
    public static func safeName(_ proposed: String) throws(Problem) -> String {
        let lastComponent = proposed.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String.UnicodeScalarView(lastComponent.unicodeScalars.filter {
            $0.properties.generalCategory != .control && $0 != "\u{0}" && !bidiControls.contains($0.value)
        })).trimmedOfSpaces
        guard !cleaned.isEmpty else { throw .emptyName }
        guard cleaned.utf8.count <= maximumNameBytes else { throw .nameTooLong }
        guard !cleaned.allSatisfy({ $0 == "." }) else { throw .badName }
        return cleaned
    }

    /// A file may be sent when it has bytes, fits the limit, and no other transfer runs in the session.
    public static func check(size: Int64, limitBytes: Int64, transferRunning: Bool) throws(Problem) {
        guard !transferRunning else { throw .busy }
        guard size > 0 else { throw .emptyFile }
        guard size <= limitBytes else { throw .tooLarge(limitBytes: limitBytes) }
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .emptyName: "The file needs a name."
        case .nameTooLong: "The file name is longer than \(maximumNameBytes) bytes."
        case .badName: "That is not a file name."
        case .emptyFile: "The file is empty: there is nothing to send."
        case .tooLarge(let limit): "The file is larger than the organisation's limit of \(limit / 1_048_576) MB."
        case .busy: "A file is already being sent in this session: one at a time."
        }
    }
}
