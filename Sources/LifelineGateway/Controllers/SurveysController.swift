import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Customer surveys (D5): administrators switch them on per group or channel and set the
/// questions; technicians send one by hand; the customer answers on a public page reached by a
/// one-time link; administrators read the answers in the customer satisfaction report.
struct SurveysController {
    let store: any Store
    let hub: SessionHub
    let environment: GatewayEnvironment

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/survey", use: send)
        group.get("surveys/{token}", use: form)
        group.post("surveys/{token}", use: answer)
        group.get("admin/surveys", use: settings)
        group.put("admin/surveys/{scope}/{scopeId}", use: saveSetting)
        group.get("reports/surveys", use: report)
    }

    // MARK: Technicians

    @Sendable func send(request: Request, context: GatewayRequestContext) async throws -> Response {
        try await hub.sendSurvey(on: context.parameters.get("id") ?? "", by: try context.requireActor())
        return Response(status: .noContent)
    }

    // MARK: The customer's page

    struct SurveyForm: Encodable {
        let organisation: String
        let technicianName: String
        let questions: [SurveyQuestion]
        let answered: Bool
    }

    struct AnswerBody: Decodable {
        let answers: [String: SurveyAnswer]
    }

    private func response(_ context: GatewayRequestContext) async throws -> SurveyResponse {
        let found = try await store.surveyResponse(tokenHash: Secrets.hash(context.parameters.get("token") ?? ""))
        guard let response = found else {
            throw GatewayError(.unknownSurvey, "This survey link is not valid.")
        }
        return response
    }

    @Sendable func form(request: Request, context: GatewayRequestContext) async throws -> Response {
        let survey = try await response(context)
        return try JSONResponse.make(SurveyForm(
            organisation: await hub.organisationName(survey.organisationId), technicianName: await hub.technicianName(survey.technicianId),
            questions: survey.questions, answered: survey.answeredAt != nil))
    }

    @Sendable func answer(request: Request, context: GatewayRequestContext) async throws -> Response {
        var survey = try await response(context)
        guard survey.answeredAt == nil else {
            throw GatewayError(.surveyAnswered, "This survey was already answered. Thank you!")
        }
        let body = try await request.decodeJSON(as: AnswerBody.self, context: context)
        do throws(SurveyRules.Problem) {
            survey.answers = try SurveyRules.validated(answers: body.answers, for: survey.questions)
        } catch {
            throw GatewayError(.badAnswer, SurveyRules.describe(error))
        }
        survey.answeredAt = environment.now()
        try await store.saveSurveyResponse(survey)
        context.logger.info("Customer survey answered", metadata: ["session.id": "\(survey.sessionId)"])
        return Response(status: .noContent)
    }

    // MARK: Administrators

    /// One group's or channel's survey as the Admin Center shows it.
    struct SettingView: Codable {
        let scope: SurveyScope
        let scopeId: String
        let name: String
        let enabled: Bool
        let questions: [SurveyQuestion]
    }

    @Sendable func settings(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let organisationId = actor.technician.organisationId
        let saved = try await store.surveySettings(organisationId: organisationId)
        func view(_ scope: SurveyScope, _ id: String, _ name: String) -> SettingView {
            let definition = saved.first { $0.scope == scope && $0.scopeId == id }?.definition ?? .standard
            return SettingView(scope: scope, scopeId: id, name: name, enabled: definition.enabled, questions: definition.questions)
        }
        let groups = try await store.groups(organisationId: organisationId).map { view(.group, $0.id, $0.name) }
        let channels = try await store.channels(organisationId: organisationId).map { view(.channel, $0.id, $0.name) }
        return try JSONResponse.make(groups + channels)
    }

    struct SettingBody: Decodable {
        let enabled: Bool
        let questions: [QuestionBody]?
    }

    struct QuestionBody: Decodable {
        let text: String
        let kind: SurveyQuestion.Kind
        let required: Bool?
    }

    @Sendable func saveSetting(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let organisationId = actor.technician.organisationId
        let scopeId = context.parameters.get("scopeId") ?? ""
        let name: String?
        switch SurveyScope(rawValue: context.parameters.get("scope") ?? "") {
        case .group:
            let group = try await store.group(id: scopeId)
            name = group?.organisationId == organisationId ? group?.name : nil
        case .channel:
            let channel = try await store.channel(id: scopeId)
            name = channel?.organisationId == organisationId ? channel?.name : nil
        case nil:
            name = nil
        }
        guard let name, let scope = SurveyScope(rawValue: context.parameters.get("scope") ?? "") else {
            throw GatewayError(.surveyScopeNotFound, "There is no such technician group or channel.")
        }
        let body = try await request.decodeJSON(as: SettingBody.self, context: context)
        let before = try await store.surveySetting(scope: scope, scopeId: scopeId)
        let typed = body.questions.map { $0.map { SurveyQuestion(id: "", text: $0.text, kind: $0.kind, required: $0.required ?? false) } }
        let questions: [SurveyQuestion]
        do throws(SurveyRules.Problem) {
            questions = try SurveyRules.validated(questions: typed ?? before?.definition.questions ?? SurveyRules.standardQuestions)
        } catch {
            throw GatewayError.badRequest(SurveyRules.describe(error))
        }
        let setting = SurveySetting(organisationId: organisationId, scope: scope, scopeId: scopeId,
                                    definition: SurveyDefinition(enabled: body.enabled, questions: questions), updatedAt: environment.now())
        try await store.saveSurveySetting(setting)
        try await hub.audit.record(.surveyChanged, by: actor, objectType: "survey_\(scope.rawValue)", objectId: scopeId,
                               before: AuditTrail.json(before?.definition), after: AuditTrail.json(setting.definition), source: context.remoteAddress)
        context.logger.notice("Customer survey changed", metadata: [
            "technician.id": "\(actor.id)", "survey.scope": "\(scope.rawValue)", "survey.scopeId": "\(scopeId)",
            "survey.enabled": "\(body.enabled)", "survey.questions": "\(questions.count)",
        ])
        return try JSONResponse.make(SettingView(scope: scope, scopeId: scopeId, name: name, enabled: body.enabled, questions: questions))
    }

    // MARK: Customer satisfaction report

    struct ReportRow: Encodable {
        struct Answer: Encodable {
            let question: String
            let answer: String
        }

        let sessionId: String
        let customer: String
        let technician: String
        let channel: String
        let sentAt: String
        let answeredAt: String?
        let answers: [Answer]
    }

    @Sendable func report(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let query = request.uri.queryParameters
        let period = try ReportRequest.period(of: request, now: environment.now())
        let technicianFilter = query["technicianId"].map(String.init)
        let channelFilter = query["channelId"].map(String.init)
        let responses = try await store.surveyResponses(organisationId: actor.technician.organisationId, from: period.start, to: period.end)
            .filter { technicianFilter == nil || $0.technicianId == technicianFilter }
            .filter { channelFilter == nil || $0.channelId == channelFilter }
        var rows: [ReportRow] = []
        for response in responses {
            let session = try await store.session(id: response.sessionId)
            let answers = response.questions.compactMap { question in
                response.answers?[question.id].map { ReportRow.Answer(question: question.text, answer: $0.displayText) }
            }
            rows.append(ReportRow(
                sessionId: response.sessionId, customer: session?.name ?? "", technician: await hub.technicianName(response.technicianId),
                channel: await hub.channel(response.channelId)?.name ?? "", sentAt: period.localText(response.sentAt),
                answeredAt: response.answeredAt.map(period.localText), answers: answers))
        }
        guard ReportRequest.wantsCSV(request) else { return try JSONResponse.make(rows) }
        let lines = rows.flatMap { row in
            let start = [row.sessionId, row.customer, row.technician, row.channel, row.sentAt, row.answeredAt ?? ""]
            return row.answers.isEmpty ? [start + ["", ""]] : row.answers.map { start + [$0.question, $0.answer] }
        }
        return ReportRequest.csv(header: ["Session ID", "Customer", "Technician", "Channel", "Sent", "Answered", "Question", "Answer"],
                                 rows: lines, filename: "customer-satisfaction.csv")
    }
}
