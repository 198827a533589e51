#if canImport(Glibc)
import Glibc
#endif

/// The terminal's echo of what the customer types, turned off while a password is typed (as sudo
/// does) and back on after; nothing happens when standard input is not a terminal.
enum TerminalEcho {
    static func hide() { set(echo: false) }

    static func show() { set(echo: true) }

    private static func set(echo: Bool) {
        guard isatty(0) == 1 else { return }
        var settings = termios()
        guard tcgetattr(0, &settings) == 0 else { return }
        if echo { settings.c_lflag |= tcflag_t(ECHO) } else { settings.c_lflag &= ~tcflag_t(ECHO) }
        _ = tcsetattr(0, TCSANOW, &settings)
    }
}
