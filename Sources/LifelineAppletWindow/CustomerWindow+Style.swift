extension CustomerWindow {
    /// The window's look: calm, readable, the Stop button unmistakable (contrast AA on white).
    static let style = """
        .content { padding: 14px; }
        .identity { background: #ffffff; border: 1px solid #d0d7de; border-radius: 10px; padding: 14px; }
        .avatar { background: #0b5cad; color: #ffffff; border-radius: 999px; min-width: 52px; min-height: 52px;
                  font-size: 20px; font-weight: bold; }
        .technician-name { font-size: 20px; font-weight: bold; }
        .organisation { font-size: 15px; }
        .vouched { color: #1a6b32; }
        .section-heading, .dialog-heading { font-weight: bold; font-size: 15px; }
        .terms { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px; min-height: 140px; }
        .status { font-weight: bold; }
        .permissions { background: #f3f6f9; border-radius: 8px; padding: 8px 10px; }
        .muted, .chat-system { color: #59636e; }
        .chat-line { padding: 2px 0; }
        .chat-customer { color: #0b4f96; }
        .dialog { padding: 18px; }
        button.allow { background: #0b5cad; color: #ffffff; font-weight: bold; }
        button.stop { background: #b3261e; color: #ffffff; font-weight: bold; font-size: 15px; padding: 8px 16px; }
        .mini { padding: 2px; }
        """
}
