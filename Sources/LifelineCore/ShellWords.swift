/// Words for a POSIX shell's command line.
public enum ShellWords {
    /// `text` as one word, whatever it holds: in single quotes, each `'` written as `'\''`.
    public static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
