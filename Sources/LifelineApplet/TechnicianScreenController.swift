#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore
import LifelineDesktop
import LifelineProtocol

/// The technician's screen on the customer's desktop (H1): a window opens when the gateway says
/// the technician shares, each update is painted and acknowledged (which paces the technician's
/// browser), and the customer may close the window at any time — the session goes on.
actor TechnicianScreenController {
    /// The customer's colour choices, best first: fewer colours cost the technician's line fewer bytes; very low is greyscale.
    static let colourChoices: [RemoteQuality] = [.high, .medium, .low, .veryLow]
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    private let displayName: String?
    private var window: SharedScreenWindow?
    private var technician = ""
    /// The technician's screens drawn so far (each told once in the transcript).
    private var drawnScreens: Set<UInt8> = []
    /// The customer is told once per sharing that a picture could not be shown; the next whole one mends it.
    private var failureReported = false
    private var watcher: Task<Void, Never>?

    init(transcript: Transcript, outgoing: OutgoingMessages,
         displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) {
        self.transcript = transcript
        self.outgoing = outgoing
        self.displayName = displayName
    }

    func sharing(_ notice: TechnicianScreenNotice) {
        notice.sharing ? open(technician: notice.technicianName) : close(byCustomer: false)
    }

    private func open(technician name: String) {
        guard window == nil else { return }
        do throws(DesktopError) {
            window = try SharedScreenWindow(title: "\(name) — Lifeline", displayName: displayName, colourLevels: Self.colourChoices.count)
        } catch {
            // No display to show it on: the technician learns it at once.
            transcript.technicianScreenFailed(error.description)
            Task { await outgoing.send(.technicianScreenClosed) }
            return
        }
        technician = name
        drawnScreens = []
        failureReported = false
        transcript.technicianScreenShown(technician: name)
        // The customer's keys and the close button, a few times a second.
        watcher = Task { [weak self] in
            while true {
                do { try await Task.sleep(for: .milliseconds(40)) } catch { return }  // cancelled: the window closed
                guard let self, await self.poll() else { return }
            }
        }
    }

    /// One update of the technician's screen; acknowledged once drawn. Dropped when no window is open.
    /// One that cannot be drawn (a video frame whose predecessor was lost) asks for a whole picture.
    func frame(_ bytes: [UInt8]) async {
        guard let window else { return }
        var sequence: UInt32 = 0
        var screen: UInt8 = 0
        do {
            let update = try ScreenUpdate.decode(bytes, forApplet: true)
            (sequence, screen) = (update.sequence, update.screen)
            try window.show(update)
            if !drawnScreens.contains(screen), let first = update.tiles.first {
                drawnScreens.insert(screen)
                transcript.technicianScreenDrawn(width: Int(update.screenWidth), height: Int(update.screenHeight),
                                                 encoding: "\(first.encoding)", screen: Int(screen) + 1)
            }
            await outgoing.send(.technicianScreenAck(.init(sequence: sequence, screen: screen == 0 ? nil : screen)))
        } catch {
            if !failureReported {
                failureReported = true
                transcript.technicianScreenFailed("A picture of the technician's screen could not be shown: \(error)")
            }
            await outgoing.send(.technicianScreenAck(.init(sequence: sequence, refresh: true, screen: screen == 0 ? nil : screen)))
        }
    }

    /// False once the window is gone.
    private func poll() async -> Bool {
        guard let window else { return false }
        switch window.pollEvents() {
        case .closedByCustomer:
            close(byCustomer: true)
            await outgoing.send(.technicianScreenClosed)
            return false
        case .switchedScreen(let place, let count):
            transcript.technicianScreenSwitched(to: place, of: count)
        case .coloursChosen(let level):
            let quality = Self.colourChoices[level]
            transcript.technicianScreenColours(quality)
            await outgoing.send(.technicianScreenQuality(.init(quality: quality)))
        case .nothing:
            break
        }
        return true
    }

    /// The session ended or the connection went: the window goes too.
    func close(byCustomer: Bool) {
        guard let window else { return }
        watcher?.cancel()
        watcher = nil
        window.close()
        self.window = nil
        transcript.technicianScreenClosed(technician: technician, byCustomer: byCustomer)
    }
}
