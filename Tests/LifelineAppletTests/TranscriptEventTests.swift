import Foundation
@testable import LifelineApplet
import LifelineProtocol
import Synchronization
import Testing

/// The window hears each line the terminal prints, with what it is about.
struct TranscriptEventTests {
    final class Heard: Sendable {
        let events = Mutex<[(CustomerEvent, String)]>([])
        let lines = Mutex<[String]>([])
    }

    func transcript(_ heard: Heard) -> Transcript {
        Transcript(machineReadable: false, text: .english, write: { line in heard.lines.withLock { $0.append(line) } },
                   events: { event, line in heard.events.withLock { $0.append((event, line)) } })
    }

    @Test func aScreenRequestIsAnEventWithTheTerminalLine() {
        let heard = Heard()
        transcript(heard).remoteRequested(mode: .control, technician: "Ann Lee")
        let events = heard.events.withLock { $0 }
        #expect(events.count == 1)
        guard case .remoteRequested(.control, let technician) = events[0].0 else { Issue.record("\(events)"); return }
        #expect(technician == "Ann Lee")
        #expect(events[0].1.contains("Ann Lee asks to see and control your screen"))
        #expect(heard.lines.withLock { $0 } == [events[0].1], "the terminal printed the same line")
    }

    @Test func terminalHelpIsMarkedForTheWindowToSkip() {
        let heard = Heard()
        transcript(heard).welcome(sessionId: "123456789", technician: "Ann", state: .waiting)
        let kinds = heard.events.withLock { $0 }.map { event, _ in
            if case .terminalHelp = event { return "help" }
            if case .welcome = event { return "welcome" }
            return "other"
        }
        #expect(kinds == ["welcome", "help"])
    }

    @Test func aFileOfferCarriesItsFolder() {
        let heard = Heard()
        let offer = FileOffer(id: "f1", name: "setup.sh", size: 2048, technicianName: "Ann")
        transcript(heard).fileOffered(offer, folder: "/home/bob/Downloads")
        guard case .fileOffered(let offered, let folder) = heard.events.withLock({ $0 })[0].0 else { Issue.record("no offer"); return }
        #expect(offered.name == "setup.sh" && folder == "/home/bob/Downloads")
    }

    @Test func scriptsGetNoEventsTheyDidNotAskFor() {
        let lines = Mutex<[String]>([])
        Transcript(machineReadable: true, write: { line in lines.withLock { $0.append(line) } }).remoteDenied()
        #expect(lines.withLock { $0 } == ["REMOTE_DENIED"])
    }
}
