import Foundation
import LifelineCore

/// Customer surveys (D5) in the SQLite store.
extension SQLStore {
    public func saveSurveySetting(_ s: SurveySetting) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO survey_settings (scope, scope_id, organisation_id, enabled, questions, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(scope, scope_id) DO UPDATE SET enabled = excluded.enabled, questions = excluded.questions,
                updated_at = excluded.updated_at
            """,
            [.text(s.scope.rawValue), .text(s.scopeId), .text(s.organisationId), .bool(s.definition.enabled),
             .json(s.definition.questions), .date(s.updatedAt)])
    }

    public func surveySetting(scope: SurveyScope, scopeId: String) async throws(StoreError) -> SurveySetting? {
        try await db.query("SELECT * FROM survey_settings WHERE scope = ? AND scope_id = ?", [.text(scope.rawValue), .text(scopeId)])
            .first.map(Self.surveySetting(from:))
    }

    public func surveySettings(organisationId: String) async throws(StoreError) -> [SurveySetting] {
        try await db.query("SELECT * FROM survey_settings WHERE organisation_id = ? ORDER BY scope, scope_id", [.text(organisationId)])
            .map(Self.surveySetting(from:))
    }

    public func saveSurveyResponse(_ r: SurveyResponse) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO survey_responses (id, token_hash, session_id, organisation_id, technician_id, channel_id, questions, sent_at,
                answered_at, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET answered_at = excluded.answered_at, answers = excluded.answers
            """,
            [.text(r.id), .text(r.tokenHash), .text(r.sessionId), .text(r.organisationId), .optionalText(r.technicianId),
             .optionalText(r.channelId), .json(r.questions), .date(r.sentAt), .optionalDate(r.answeredAt), r.answers.map(SQLValue.json) ?? .null])
    }

    public func surveyResponse(tokenHash: String) async throws(StoreError) -> SurveyResponse? {
        try await db.query("SELECT * FROM survey_responses WHERE token_hash = ?", [.text(tokenHash)]).first.map(Self.surveyResponse(from:))
    }

    public func surveyResponse(sessionId: String) async throws(StoreError) -> SurveyResponse? {
        try await db.query("SELECT * FROM survey_responses WHERE session_id = ? ORDER BY sent_at DESC LIMIT 1", [.text(sessionId)])
            .first.map(Self.surveyResponse(from:))
    }

    public func surveyResponses(organisationId: String, from: Date, to: Date) async throws(StoreError) -> [SurveyResponse] {
        try await db.query("SELECT * FROM survey_responses WHERE organisation_id = ? AND sent_at >= ? AND sent_at < ? ORDER BY sent_at, id",
                           [.text(organisationId), .date(from), .date(to)]).map(Self.surveyResponse(from:))
    }

    static func surveySetting(from row: SQLRow) throws(StoreError) -> SurveySetting {
        guard let scope = SurveyScope(rawValue: try row.text("scope")) else { throw StoreError("A survey setting holds an unknown scope.") }
        let questions: [SurveyQuestion] = try row.json("questions") ?? []
        return SurveySetting(organisationId: try row.text("organisation_id"), scope: scope, scopeId: try row.text("scope_id"),
                             definition: SurveyDefinition(enabled: row["enabled"]?.int == 1, questions: questions),
                             updatedAt: try row.date("updated_at"))
    }

    static func surveyResponse(from row: SQLRow) throws(StoreError) -> SurveyResponse {
        SurveyResponse(id: try row.text("id"), tokenHash: try row.text("token_hash"), sessionId: try row.text("session_id"),
                       organisationId: try row.text("organisation_id"), technicianId: row["technician_id"]?.string,
                       channelId: row["channel_id"]?.string, questions: try row.json("questions") ?? [],
                       sentAt: try row.date("sent_at"), answeredAt: row.optionalDate("answered_at"), answers: try row.json("answers"))
    }
}
