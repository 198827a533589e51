import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Customer surveys (D5): sent once per session, at its end or earlier by hand from the session
/// list; the applet opens the link in the customer's browser, Instant Chat shows it.
extension SessionHub {
    /// The survey this session's customer gets, or nil when neither its channel nor its
    /// technician's group has one switched on.
    func applicableSurvey(for record: SessionRecord) async throws -> SurveyDefinition? {
        var channelSetting: SurveySetting?
        if let channelId = record.channelId {
            channelSetting = try await store.surveySetting(scope: .channel, scopeId: channelId)
        }
        var groupSetting: SurveySetting?
        if let technicianId = record.technicianId {
            let technician = try await store.technician(id: technicianId)
            if let groupId = technician?.groupId { groupSetting = try await store.surveySetting(scope: .group, scopeId: groupId) }
        }
        return SurveyRules.applicable(channel: channelSetting?.definition, group: groupSetting?.definition)
    }

    /// "Send customer survey" from the session list, at any time of an active session.
    func sendSurvey(on id: String, by actor: Actor) async throws {
        let record = try await ownedActiveSession(id, by: actor, permission: .sendSurvey, activeOnly: "The customer survey can be sent")
        let customer = try connectedCustomer(of: id)
        let survey = try await applicableSurvey(for: record)
        guard let survey else {
            throw GatewayError(.surveyDisabled, "No customer survey is switched on for this session's group or channel.")
        }
        let earlier = try await store.surveyResponse(sessionId: id)
        guard earlier == nil else {
            throw GatewayError(.surveyAlreadySent, "The customer survey was already sent in this session.")
        }
        try await deliver(survey, for: record, to: customer, technicianName: actor.technician.name)
    }

    /// At the end of a session someone worked on, while the customer is still connected, unless it
    /// was already sent by hand. A failure here must not keep the session from closing.
    func sendSurveyAtEnd(of record: SessionRecord) async {
        guard let customer = sockets.applet(of: record.id) else { return }
        do {
            let earlier = try await store.surveyResponse(sessionId: record.id)
            let survey = try await applicableSurvey(for: record)
            guard earlier == nil, let survey else { return }
            try await deliver(survey, for: record, to: customer, technicianName: await technicianName(record.technicianId))
        } catch {
            logger.error("Could not send the customer survey", metadata: ["session.id": "\(record.id)", "error": "\(error)"])
        }
    }

    private func deliver(_ survey: SurveyDefinition, for record: SessionRecord, to customer: Outlet, technicianName: String) async throws {
        let token = Secrets.token()
        try await store.saveSurveyResponse(SurveyResponse(
            id: UUID().uuidString.lowercased(), tokenHash: Secrets.hash(token), sessionId: record.id, organisationId: record.organisationId,
            technicianId: record.technicianId, channelId: record.channelId, questions: survey.questions, sentAt: environment.now()))
        customer.send(WireCodec.encode(GatewayToApplet.survey(.init(url: "\(publicURL)/survey/\(token)", technicianName: technicianName))))
        try await logEvent(.surveySent, in: record)
    }
}
