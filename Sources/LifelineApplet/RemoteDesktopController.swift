#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineDesktop
import LifelineProtocol

/// What the applet answers when a technician asks to see or control the screen (J1, J2).
public enum RemoteConsent: String, Sendable, CaseIterable {
    /// The customer decides each time (/allow or /deny).
    case ask
    /// Scripts and tests: yes without asking.
    case accept
    /// Never.
    case deny
}

/// The customer's side of the remote desktop: consent is enforced here, on the customer's machine,
/// whatever the gateway says. Streams the screen while allowed and plays the technician's input
/// in control mode only. `/stop` takes control back at any time.
actor RemoteDesktopController {
    private let consent: RemoteConsent
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    private let displayName: String?
    private var pending: (mode: RemoteMode, technician: String)?
    private var mode: RemoteMode?
    private var streaming: Task<Void, Never>?
    private var flow = FlowControl()
    private var input: X11Input?
    private var overlay: X11Overlay?
    private var clipboard: X11Clipboard?
    private var clipboardWatch: Task<Void, Never>?
    private var monitors: [Monitor] = []
    /// The monitor shown, nil for all (J16).
    private var monitor: Int?
    private var technician = ""
    private var settings = StreamSettings()
    private var quality = RemoteQuality.auto
    private var governor = QualityGovernor()
    private let started = ContinuousClock.now
    /// The binary side of the current connection; nil while reconnecting.
    private var frames: AsyncStream<[UInt8]>.Continuation?

    init(consent: RemoteConsent, transcript: Transcript, outgoing: OutgoingMessages,
         displayName: String? = ProcessInfo.processInfo.environment["DISPLAY"]) {
        self.consent = consent
        self.transcript = transcript
        self.outgoing = outgoing
        self.displayName = displayName
    }

    /// A new connection: screen frames go out through it.
    func attach(_ sink: AsyncStream<[UInt8]>.Continuation) {
        frames = sink
    }

    /// The connection dropped: the gateway ends the remote desktop on its side too.
    func detach() {
        frames = nil
        pending = nil
        end(reason: nil)
    }

    func requested(_ requestedMode: RemoteMode, by technician: String) async {
        guard mode == nil else { return }
        switch consent {
        case .accept: await start(requestedMode, technician: technician)
        case .deny:
            transcript.remoteDenied()
            await outgoing.send(.remoteAnswer(.init(accepted: false)))
        case .ask:
            pending = (requestedMode, technician)
            transcript.remoteRequested(mode: requestedMode, technician: technician)
        }
    }

    /// The customer typed /allow or /deny.
    func customerAnswered(allow: Bool) async {
        guard let request = pending else {
            transcript.note(key: "remote.nobody_asking")
            return
        }
        pending = nil
        if allow {
            await start(request.mode, technician: request.technician)
        } else {
            transcript.remoteDenied()
            await outgoing.send(.remoteAnswer(.init(accepted: false)))
        }
    }

    /// The customer typed /stop: control comes back to them at once.
    func customerStopped() async {
        guard mode != nil else { return }
        end(reason: "You took back control.")
        await outgoing.send(.remoteEnded(.init(reason: "The customer took back control.")))
    }

    /// The technician's red X, a hold or a transfer.
    func technicianStopped(reason: String) {
        // A request the customer has not answered yet is withdrawn: its question goes away.
        if pending != nil && mode == nil { transcript.remoteEnded(reason: reason) }
        pending = nil
        end(reason: reason)
    }

    func play(_ events: [InputEvent]) {
        // Consent is enforced here: no input unless the customer accepted control.
        guard mode == .control, let input else { return }
        do {
            for event in events where event.isValid {
                switch event {
                case .move(let x, let y): try input.move(x: x, y: y)
                case .button(let button, let down, let x, let y):
                    try input.move(x: x, y: y)
                    try input.button(button, down: down)
                case .wheel(let steps, let x, let y):
                    try input.move(x: x, y: y)
                    // X wheel: button 4 up, 5 down, one click per step.
                    for _ in 0..<abs(steps) {
                        try input.button(steps < 0 ? 4 : 5, down: true)
                        try input.button(steps < 0 ? 4 : 5, down: false)
                    }
                case .key(let keysym, let down): try input.key(keysym: keysym, down: down)
                case .physicalKey(let code, let down): try input.physicalKey(code: code, down: down)
                }
            }
        } catch {
            transcript.note(key: "remote.input_failed", ["reason": "\(error)"])
        }
    }

    /// A toolbar tool. The applet checks the mode itself: whatever the gateway lets through, the
    /// customer's desktop is only touched in control mode.
    func use(_ tool: RemoteTool) async {
        guard mode != nil, tool.isValid else { return }
        guard !tool.needsControl || mode == .control else { return }
        switch tool {
        case .clipboard(let text):
            // Pastes are answered by the watch loop, so it runs from now on.
            clipboardBridge()?.set(text)
            watchClipboard()
        case .clipboardSync(let on):
            on ? watchClipboard() : stopWatchingClipboard()
        case .draw(let points):
            showOverlay()?.draw(points.map { (x: $0.x + origin.x, y: $0.y + origin.y) })
        case .clearDrawing:
            overlay?.clear()
        case .laser(let x, let y):
            showOverlay()?.laser(x: x + origin.x, y: y + origin.y)
        case .laserOff:
            overlay?.laserOff()
        case .monitor(let index):
            guard index.map({ monitors.indices.contains($0) }) ?? true, index != monitor else { return }
            monitor = index
            await restartStreaming()
        }
    }

    /// The gateway wants the whole screen with the next update (a viewer joined, or lost track).
    func refresh() async {
        guard mode != nil else { return }
        await flow.requestRefresh()
    }

    /// Who sees the screen now, and who has the mouse and keyboard (issue 21).
    func viewers(_ names: [String], inControl: String?) {
        guard mode != nil else { return }
        transcript.remoteViewers(names: names, inControl: mode == .control ? inControl : nil)
    }

    func recording(active: Bool, technician: String) {
        transcript.recording(active: active, technician: technician)
    }

    /// Where the technician's view starts on the X screen: the chosen monitor's corner.
    private var origin: (x: Int, y: Int) {
        monitor.map { (monitors[$0].rect.x, monitors[$0].rect.y) } ?? (0, 0)
    }

    private func showOverlay() -> X11Overlay? {
        if overlay == nil { overlay = try? X11Overlay(displayName: displayName) }
        return overlay
    }

    private func clipboardBridge() -> X11Clipboard? {
        if clipboard == nil {
            do {
                clipboard = try X11Clipboard(displayName: displayName)
            } catch {
                transcript.note(key: "remote.clipboard_failed", ["reason": error.description])
            }
        }
        return clipboard
    }

    /// Clipboard sync on (J10): what the customer copies goes to the technician, and paste
    /// requests for the technician's text are answered, by a look every 50 ms.
    private func watchClipboard() {
        guard clipboardWatch == nil, clipboardBridge() != nil else { return }
        clipboardWatch = Task {
            while !Task.isCancelled {
                await self.checkClipboard()
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private func stopWatchingClipboard() {
        clipboardWatch?.cancel()
        clipboardWatch = nil
    }

    private func checkClipboard() async {
        guard mode == .control, let text = clipboard?.copiedText(), !text.isEmpty else { return }
        let limited = String(decoding: Array(text.utf8.prefix(RemoteTool.maximumClipboardBytes)), as: UTF8.self)
        await outgoing.send(.remoteNotice(.clipboard(text: limited)))
    }

    /// `video`: every console that sees the screen decodes video (issue 23), said with each acknowledgement.
    func acknowledged(_ sequence: UInt32, video: Bool = false) async {
        settings.video = video
        guard let delay = await flow.acknowledged(sequence), quality == .auto else { return }
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let now = ContinuousClock.now - started
        governor.drawn(after: seconds, at: Double(now.components.seconds) + Double(now.components.attoseconds) / 1e18)
        apply(governor.level)
    }

    /// The technician chose a colour quality (J7); auto starts high and adapts.
    func choose(_ chosen: RemoteQuality) {
        quality = chosen
        governor = QualityGovernor()
        apply(chosen == .auto ? governor.level : chosen)
    }

    private func apply(_ level: RemoteQuality) {
        let encoding = level.encoding
        settings.quality = encoding.quality
        settings.grayscale = encoding.grayscale
    }

    private func start(_ requestedMode: RemoteMode, technician: String) async {
        do {
            input = requestedMode == .control ? try X11Input(displayName: displayName) : nil
            monitors = try X11Monitors.list(displayName: displayName)
            monitor = nil
            try beginStreaming()
        } catch {
            input = nil
            transcript.note(key: "remote.screen_failed", ["reason": error.description])
            await outgoing.send(.remoteEnded(.init(reason: error.description)))
            return
        }
        mode = requestedMode
        self.technician = technician
        await outgoing.send(.remoteAnswer(.init(accepted: true)))
        await outgoing.send(.remoteNotice(.monitors(monitorInfos, selected: monitor)))
        transcript.remoteStarted(mode: requestedMode, technician: technician)
    }

    private var monitorInfos: [MonitorInfo] {
        monitors.map { MonitorInfo(name: $0.name, x: $0.rect.x, y: $0.rect.y, width: $0.rect.width, height: $0.rect.height, primary: $0.primary) }
    }

    /// Captures the chosen monitor (or all) and streams it, with the pointer, until cancelled.
    private func beginStreaming() throws(DesktopError) {
        let region = monitor.map { monitors[$0].rect }
        let capturer = try X11Capturer(displayName: displayName, region: region)
        let cursor = try? X11Cursor(displayName: displayName)
        input?.origin = origin
        flow = FlowControl()
        let flow = self.flow
        let origin = self.origin
        streaming = Task { [capturer, cursor] in
            do {
                let encoder = try JPEGEncoder()
                try await ScreenStreamer.run(capturer: capturer, cursor: cursor, origin: origin, encoder: encoder,
                                             settings: { await self.currentSettings() }, flow: flow, send: { await self.send($0) })
            } catch is CancellationError {
                return
            } catch {
                await self.failed(error)
            }
        }
    }

    /// Another monitor was chosen: a new capture of it, from a full first frame.
    private func restartStreaming() async {
        streaming?.cancel()
        streaming = nil
        do {
            try beginStreaming()
            await outgoing.send(.remoteNotice(.monitors(monitorInfos, selected: monitor)))
        } catch {
            await failed(error)
        }
    }

    private func currentSettings() -> StreamSettings { settings }

    private func send(_ frame: [UInt8]) {
        frames?.yield(frame)
    }

    private func failed(_ error: any Error) async {
        end(reason: "The screen could not be shared: \(error)")
        await outgoing.send(.remoteEnded(.init(reason: "The screen could not be shared on the customer's side.")))
    }

    private func end(reason: String?) {
        streaming?.cancel()
        streaming = nil
        input = nil
        stopWatchingClipboard()
        clipboard = nil
        // Strokes and the dot go away with the remote desktop.
        overlay = nil
        guard mode != nil else { return }
        mode = nil
        if let reason { transcript.remoteEnded(reason: reason) }
    }
}
