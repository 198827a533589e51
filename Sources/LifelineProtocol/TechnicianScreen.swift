#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The technician's own screen shown to the customer (H1), view only. The pictures travel as
/// binary screen updates (`ScreenUpdate`, the same layout the applet sends) from the console,
/// with the session id in front as on the way in, and on to the applet as they came; the applet
/// acknowledges each update it has drawn, which paces the console.

/// `technician_screen` to the applet: open the window showing the technician's screen, or close it.
public struct TechnicianScreenNotice: WireMessage {
    public let sharing: Bool
    public let technicianName: String
    public init(sharing: Bool, technicianName: String) {
        self.sharing = sharing
        self.technicianName = technicianName
    }
}

/// `technician_screen` to the consoles of the session's technicians: who shows their screen to the
/// customer now (nil: nobody), and why it stopped when it did.
public struct TechnicianScreenStatus: WireMessage {
    public let sessionId: String
    public let technicianId: String?
    public let technicianName: String?
    /// Why the sharing ended: `stopped` (the technician), `closed_by_customer`, `session_changed`.
    public let reason: String?
    public init(sessionId: String, technicianId: String?, technicianName: String?, reason: String? = nil) {
        self.sessionId = sessionId
        self.technicianId = technicianId
        self.technicianName = technicianName
        self.reason = reason
    }
}
