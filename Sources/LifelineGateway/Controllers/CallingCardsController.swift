import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Calling Cards (F3): administrators define them (branding, channel, groups that may deploy
/// them); the installed card reads its branding and channel from the public endpoints; a
/// one-line installer script installs it for the current user.
struct CallingCardsController {
    let store: any Store
    let hub: SessionHub
    let publicURL: String
    let environment: GatewayEnvironment

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("admin/calling-cards", use: list)
        group.post("admin/calling-cards", use: create)
        group.put("admin/calling-cards/{id}", use: update)
        group.delete("admin/calling-cards/{id}", use: delete)
        group.get("me/calling-cards", use: deployable)
        group.post("sessions/{id}/calling-card", use: deploy)
        group.get("calling-cards/{id}", use: publicCard)
        group.get("calling-cards/{id}/logo", use: logo)
    }

    // MARK: Administrators

    struct CardBody: Decodable {
        let name: String
        let channelId: String
        let headerColour: String?
        let textColour: String?
        let welcomeText: String?
        let helpText: String?
        let groupIds: [String]?
        /// A PNG as base64; an empty string removes the logo, absent keeps it.
        let logoBase64: String?
    }

    struct CardView: Encodable {
        let id: String
        let name: String
        let channelId: String
        let headerColour: String
        let textColour: String
        let welcomeText: String
        let helpText: String
        let groupIds: [String]
        let hasLogo: Bool
        /// The one-line install command for the customer's site or an email.
        let installCommand: String
    }

    func view(_ card: CallingCard) -> CardView {
        let design = card.design
        return CardView(id: card.id, name: design.name, channelId: design.channelId, headerColour: design.headerColour,
                        textColour: design.textColour, welcomeText: design.welcomeText, helpText: design.helpText,
                        groupIds: design.groupIds, hasLogo: card.logo != nil,
                        installCommand: "curl -fsSL \(publicURL)/download/calling-card/\(card.id)/install.sh | sh")
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        return try JSONResponse.make(try await store.callingCards(organisationId: actor.technician.organisationId).map(view))
    }

    @Sendable func create(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let body = try await request.decodeJSON(as: CardBody.self, context: context)
        let existing = try await store.callingCards(organisationId: actor.technician.organisationId)
        guard existing.count < CallingCardRules.maximumCount else { throw GatewayError.badRequest(CallingCardRules.describe(.tooMany)) }
        let card = try await checked(body, into: nil, by: actor)
        try await store.saveCallingCard(card)
        try await hub.audit.record(.callingCardCreated, by: actor, objectType: "calling_card", objectId: card.id, after: AuditTrail.json(view(card)),
                               source: context.remoteAddress)
        context.logger.notice("Calling Card created", metadata: ["technician.id": "\(actor.id)", "card.id": "\(card.id)"])
        return try JSONResponse.make(view(card), status: .created)
    }

    @Sendable func update(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let before = try await ownCard(context.parameters.get("id") ?? "", of: actor)
        let body = try await request.decodeJSON(as: CardBody.self, context: context)
        let card = try await checked(body, into: before, by: actor)
        try await store.saveCallingCard(card)
        try await hub.audit.record(.callingCardChanged, by: actor, objectType: "calling_card", objectId: card.id, before: AuditTrail.json(view(before)),
                               after: AuditTrail.json(view(card)), source: context.remoteAddress)
        context.logger.notice("Calling Card changed", metadata: ["technician.id": "\(actor.id)", "card.id": "\(card.id)"])
        return try JSONResponse.make(view(card))
    }

    @Sendable func delete(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let card = try await ownCard(context.parameters.get("id") ?? "", of: actor)
        try await store.deleteCallingCard(id: card.id)
        try await hub.audit.record(.callingCardDeleted, by: actor, objectType: "calling_card", objectId: card.id, before: AuditTrail.json(view(card)),
                               source: context.remoteAddress)
        context.logger.notice("Calling Card deleted", metadata: ["technician.id": "\(actor.id)", "card.id": "\(card.id)"])
        return Response(status: .noContent)
    }

    /// The body checked: a channel and groups of the actor's organisation, a valid design and logo.
    private func checked(_ body: CardBody, into before: CallingCard?, by actor: Actor) async throws -> CallingCard {
        let organisationId = actor.technician.organisationId
        let channel = try await store.channel(id: body.channelId)
        guard channel?.organisationId == organisationId else { throw GatewayError.badRequest("Choose one of your channels.") }
        let groups = try await store.groups(organisationId: organisationId)
        for id in body.groupIds ?? [] where !groups.contains(where: { $0.id == id }) {
            throw GatewayError.badRequest("Choose technician groups of your organisation.")
        }
        let defaults = before?.design ?? CallingCardDesign(name: body.name, channelId: body.channelId)
        let design: CallingCardDesign
        do throws(CallingCardRules.Problem) {
            design = try CallingCardRules.validated(CallingCardDesign(
                name: body.name, channelId: body.channelId, headerColour: body.headerColour ?? defaults.headerColour,
                textColour: body.textColour ?? defaults.textColour, welcomeText: body.welcomeText ?? defaults.welcomeText,
                helpText: body.helpText ?? defaults.helpText, groupIds: body.groupIds ?? defaults.groupIds))
        } catch {
            throw GatewayError.badRequest(CallingCardRules.describe(error))
        }
        var logo = before?.logo
        if let encoded = body.logoBase64 {
            if encoded.isEmpty {
                logo = nil
            } else {
                guard let data = Data(base64Encoded: encoded) else { throw GatewayError.badRequest(CallingCardRules.describe(.badLogo)) }
                do throws(CallingCardRules.Problem) { try CallingCardRules.checkLogo(Array(data)) } catch {
                    throw GatewayError.badRequest(CallingCardRules.describe(error))
                }
                logo = Array(data)
            }
        }
        return CallingCard(id: before?.id ?? UUID().uuidString.lowercased(), organisationId: organisationId, design: design,
                           logo: logo, createdAt: before?.createdAt ?? environment.now())
    }

    private func ownCard(_ id: String, of actor: Actor) async throws -> CallingCard {
        let found = try await store.callingCard(id: id)
        guard let card = found, card.organisationId == actor.technician.organisationId else {
            throw GatewayError(.callingCardNotFound, "There is no such Calling Card.")
        }
        return card
    }

    // MARK: Technicians (O1)

    struct DeployableCard: Encodable {
        let id: String
        let name: String
        let channelId: String
    }

    /// The cards an administrator assigned to the technician's group, for the Calling Card tab.
    @Sendable func deployable(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let cards = try await hub.deployableCards(for: actor)
        return try JSONResponse.make(cards.map { DeployableCard(id: $0.id, name: $0.design.name, channelId: $0.design.channelId) })
    }

    struct DeployBody: Decodable {
        let cardId: String
        let launchAfterInstall: Bool?
        let launchAtStartup: Bool?
    }

    @Sendable func deploy(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: DeployBody.self, context: context)
        try await hub.deployCallingCard(body.cardId, launchAfterInstall: body.launchAfterInstall ?? false,
                                        launchAtStartup: body.launchAtStartup ?? false, on: context.parameters.get("id") ?? "", by: actor)
        return Response(status: .noContent)
    }

    // MARK: The installed card

    private func publicCard(_ context: GatewayRequestContext) async throws -> (CallingCard, Channel) {
        let notFound = GatewayError(.callingCardNotFound, "This Calling Card no longer exists. Ask your support team for a new one.")
        let found = try await store.callingCard(id: context.parameters.get("id") ?? "")
        guard let card = found else { throw notFound }
        let channel = try await store.channel(id: card.design.channelId)
        guard let channel else { throw notFound }
        return (card, channel)
    }

    @Sendable func publicCard(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (card, channel) = try await publicCard(context)
        let design = card.design
        return try JSONResponse.make(CallingCardInfo(
            id: card.id, name: design.name, organisation: await hub.organisationName(card.organisationId),
            headerColour: design.headerColour, textColour: design.textColour, welcomeText: design.welcomeText,
            helpText: design.helpText, channelName: channel.name, channelToken: channel.publicToken, hasLogo: card.logo != nil))
    }

    @Sendable func logo(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (card, _) = try await publicCard(context)
        guard let logo = card.logo else { throw GatewayError(.noLogo, "This Calling Card has no logo.") }
        return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: logo)))
    }

    /// `GET /download/calling-card/{id}/install.sh`: downloads the applet and installs this card for
    /// the current user (no root). Arguments after `sh -s --` go to the installer (`--autostart`, `--launch`).
    @Sendable func installScript(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (card, _) = try await publicCard(context)
        let script = CallingCardInstallScript.make(gateway: publicURL, cardId: card.id)
        return Response(status: .ok, headers: [.contentType: "text/x-shellscript; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: script)))
    }
}

/// The installer script. Only the gateway's own address and the card's id go into it, both
/// quoted for the shell; the card id is a UUID.
enum CallingCardInstallScript {
    static func make(gateway: String, cardId: String) -> String {
        """
        #!/bin/sh
        # Installs the Lifeline Calling Card for this user (no administrator rights needed).
        # Options: --autostart (launch at every start), --launch (open it once installed).
        set -eu
        gateway=\(ShellWords.quoted(gateway))
        card=\(ShellWords.quoted(cardId))
        applet=$(mktemp)
        trap 'rm -f "$applet"' EXIT
        curl -fsSL --compressed "$gateway/download/lifeline-applet" -o "$applet"
        chmod +x "$applet"
        "$applet" --gateway "$gateway" --install-calling-card "$card" "$@"

        """
    }
}
