import Foundation

/// Start-up refused: the message names the setting and what is wrong with it.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Small text rules shared by the command line, the file and the environment.
enum SettingText {
    /// true/false, yes/no, on/off, 1/0, as operators write them.
    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    /// The candidate a typo most likely meant: at most a third of its letters wrong.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    /// A file's bytes, or why it cannot be read in the system's words ("No such file or directory").
    static func contents(ofFile path: String) -> Result<Data, SettingsError> {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(SettingsError(String(cString: strerror(errno)))) }
        close(descriptor)
        do {
            return .success(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            return .failure(SettingsError((error as NSError).localizedDescription))
        }
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, left) in a.enumerated() {
            var current = [i + 1]
            for (j, right) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
