import LifelineProtocol

/// What the customer asks (typed in the terminal or clicked in the window), each to the part it is for.
extension Applet {
    static func obey(_ command: CustomerCommand, transcript: Transcript, remote: RemoteDesktopController, restart: Restart) async {
        switch command {
        case .chat(let text):
            // The terminal's line after /allow unattended with the customer's own credentials is a
            // password, never chat (a window asks for it in a field of its own).
            if !transcript.hasWindow, await restart.unattended.isAwaitingPassword {
                await restart.unattended.passwordGiven(text)
            } else {
                await restart.outgoing.send(.chat(.init(text: text)))
            }
        case .unattendedPassword(let password): await restart.unattended.passwordGiven(password)
        case .revokeUnattended: await restart.unattended.revoke()
        case .quit: await restart.outgoing.send(.quit)
        // /allow and /deny answer the request waiting: administrator rights first, then the
        // file manager, else the screen.
        case .allowRemote, .denyRemote:
            if let request = await restart.elevation.takePending() {
                await Self.answerElevation(request, allow: command == .allowRemote, transcript: transcript, restart: restart)
            } else if await restart.fileManager.isPending {
                await restart.fileManager.customerAnswered(allow: command == .allowRemote)
            } else if await restart.removals.isPending {
                await restart.removals.customerAnswered(allow: command == .allowRemote)
            } else if await restart.restarts.isPending {
                await restart.restarts.customerAnswered(allow: command == .allowRemote)
            } else if await restart.unattended.isPending {
                await restart.unattended.customerAnswered(allow: command == .allowRemote)
            } else {
                await remote.customerAnswered(allow: command == .allowRemote)
            }
        case .stopRemote: await remote.customerStopped()
        case .stopEverything:
            // The big X (G1): every right given is taken back at once, and no request stays open.
            if await restart.elevation.takePending() != nil { await Self.refuseElevation(transcript: transcript, outgoing: restart.outgoing) }
            await remote.customerStopped()
            await restart.fileManager.customerClosed()
            await restart.scripts.customerStopped()
            await restart.removals.customerAnswered(allow: false)
            await restart.restarts.customerAnswered(allow: false)
            await restart.unattended.customerAnswered(allow: false)
            await restart.files.refuseQuietly()
            await restart.cards.decline()
            transcript.revoked()
        case .installCard: Task { await restart.cards.install() }
        case .skipCard: await restart.cards.decline()
        case .refuseFile: await restart.files.refuse()
        case .saveFile(let folder): Task { await restart.files.save(in: folder) }
        case .sendFile(let path): Task { await restart.files.send(path: path) }
        case .allowFiles, .denyFiles: await restart.fileManager.customerAnswered(allow: command == .allowFiles)
        case .closeFiles: await restart.fileManager.customerClosed()
        case .stopScript: await restart.scripts.customerStopped()
        case .allowUninstall, .denyUninstall: await restart.removals.customerAnswered(allow: command == .allowUninstall)
        case .allowRestart, .denyRestart: await restart.restarts.customerAnswered(allow: command == .allowRestart)
        case .allowUnattended, .denyUnattended: await restart.unattended.customerAnswered(allow: command == .allowUnattended)
        }
    }
}
