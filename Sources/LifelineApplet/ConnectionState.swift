/// What one connection learned, read after it closes.
actor ConnectionState {
    private var wasWelcomed = false
    private var endReason: String?
    private var refusal: String?
    private var handedOver = false
    /// Who is helping now; a transfer changes it.
    private(set) var technicianName = ""

    func welcomed(by name: String) {
        wasWelcomed = true
        technicianName = name
    }

    func technicianChanged(to name: String) { technicianName = name }
    func end(_ reason: String) { endReason = reason }
    func refuse(_ message: String) { refusal = message }
    func handOver() { handedOver = true }

    var result: Applet.ConnectionResult {
        if handedOver { return .handedOver }
        if let endReason { return .ended(endReason) }
        if let refusal { return .refused(refusal) }
        return .dropped(wasWelcomed: wasWelcomed)
    }
}

public enum AppletVersion {
    public static let current = "0.1.0"
}
