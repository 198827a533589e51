import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Deploying a Calling Card from a session (O1): with deploy_calling_card, a card an
/// administrator assigned to the technician's group, and the customer's applet (not Instant
/// Chat). The applet asks the customer; the outcome is logged.
extension SessionHub {
    /// The cards the actor's group may deploy.
    func deployableCards(for actor: Actor) async throws -> [CallingCard] {
        guard let groupId = actor.technician.groupId else { return [] }
        return try await store.callingCards(organisationId: actor.technician.organisationId).filter { $0.design.groupIds.contains(groupId) }
    }

    func deployCallingCard(_ cardId: String, launchAfterInstall: Bool, launchAtStartup: Bool, on id: String, by actor: Actor) async throws {
        let record = try await ownedActiveSession(id, by: actor, permission: .deployCallingCard, activeOnly: "A Calling Card can be installed")
        let cards = try await deployableCards(for: actor)
        guard let card = cards.first(where: { $0.id == cardId }) else {
            throw GatewayError(.callingCardNotFound, "No such Calling Card is assigned to your group.")
        }
        let applet = try connectedApplet(of: id)
        applet.send(WireCodec.encode(GatewayToApplet.callingCardOffer(CallingCardOffer(
            cardId: card.id, name: card.design.name, launchAfterInstall: launchAfterInstall, launchAtStartup: launchAtStartup,
            technicianName: actor.technician.name))))
        try await logEvent(launchAtStartup ? .cardOfferedAutostart(technician: actor.technician.name, name: card.design.name)
                                           : .cardOffered(technician: actor.technician.name, name: card.design.name), in: record)
    }

    func appletCallingCardResult(installed: Bool, error: String?, sessionId: String, outletId: UUID) async throws {
        guard sockets.isApplet(outletId, of: sessionId), let record = registry.record(sessionId) else { return }
        let event: SessionLogEvent = switch (installed, error) {
        case (true, _): .cardInstalled
        case (false, nil): .cardRefused
        case (false, let reason?): .cardFailed(reason: String(reason.prefix(300)))
        }
        try await logEvent(event, in: record)
        if installed {
            try await auditConsent(.consentGiven, to: "calling_card", in: record)
        } else if error == nil {
            await auditRefusal(.consentRefused, to: "calling_card", in: record)
        }
    }
}
