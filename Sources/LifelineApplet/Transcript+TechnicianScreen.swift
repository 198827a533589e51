import LifelineCore
import LifelineProtocol

extension Transcript {
    /// The technician's screen (H1): the customer is told whose screen the new window shows and how to use it.
    func technicianScreenShown(technician: String) {
        if machineReadable { return write("TECHNICIAN_SCREEN shown technician=\(Self.quoted(who(technician)))") }
        say(.notice, text("technician_screen.shown", ["technician": who(technician)]))
    }

    /// The first picture of one of the technician's screens (`screen` from 1); `encoding`: how it
    /// came (`vp8` video, `jpeg` tiles).
    func technicianScreenDrawn(width: Int, height: Int, encoding: String, screen: Int) {
        if machineReadable { write("TECHNICIAN_SCREEN drawn size=\(width)x\(height) encoding=\(encoding) screen=\(screen)") }
    }

    /// The customer switched to another of the technician's screens (Tab, or the window's button).
    func technicianScreenSwitched(to place: Int, of count: Int) {
        if machineReadable { write("TECHNICIAN_SCREEN showing screen=\(place) of=\(count)") }
    }

    /// The customer chose the colours of the technician's screen (C, or the window's button).
    func technicianScreenColours(_ quality: RemoteQuality) {
        if machineReadable { write("TECHNICIAN_SCREEN colours=\(quality.rawValue)") }
    }

    func technicianScreenClosed(technician: String, byCustomer: Bool) {
        if machineReadable { return write("TECHNICIAN_SCREEN closed by=\(byCustomer ? "customer" : "technician")") }
        say(.notice, text("technician_screen.closed", ["technician": who(technician)]))
    }

    func technicianScreenFailed(_ reason: String) {
        if machineReadable { return write("TECHNICIAN_SCREEN failed \(Self.clean(reason))") }
        say(.notice, Self.clean(reason))
    }
}
