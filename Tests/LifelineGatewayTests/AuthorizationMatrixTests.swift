import Foundation
import HTTPTypes
import Testing
import LifelineCore
import LifelineProtocol
import LifelineStore
@testable import LifelineGateway

/// The authorization matrix (A5, R1): every HTTP route of the gateway has a row saying who may
/// call it, and each row is tried as the one allowed, as someone not permitted, and against
/// another organisation's object. A route added without a row fails the first test.
@Suite("Authorization matrix: every gated action × permitted / not permitted / other organisation")
struct AuthorizationMatrixTests {
    enum Rule {
        /// No sign-in: customers, channel pages, health.
        case open
        /// Any signed-in technician, on their own things.
        case signedIn
        /// Any signed-in technician, on a session of theirs; another organisation's session is 404.
        case session
        /// A session of theirs and this permission of their group.
        case sessionPermission(Permission)
        /// This permission, no session object.
        case permission(Permission)
        /// Administrators (a technician gets 403).
        case administrator
        /// The master or an organisation-wide administrator (an administrator of some groups gets 403).
        case organisationAdministrator
        /// An administrator, on an object of their organisation ({id}); another organisation's is 404.
        case administratorObject(kind: String)
        /// Another gateway node of the cluster only, by its signed request: no login opens it (ClusterFeedTests signs one).
        case clusterNode
    }

    struct Row {
        let route: String
        let rule: Rule
        var body: [String: Any]? = nil
    }

    static var rows: [Row] { [
        // Public: customers, channels, surveys, Calling Cards, setup, health, pages.
        Row(route: "GET /api/v1/health", rule: .open),
        Row(route: "GET /health/live", rule: .open),
        Row(route: "GET /health/ready", rule: .open),
        Row(route: "POST /cluster/v1/sessions/{id}/let-go", rule: .clusterNode),
        Row(route: "POST /cluster/v1/sessions/{id}/monitor-join", rule: .clusterNode,
            body: ["tokenHash": "0", "viaCookie": false, "technicianId": "t"]),
        Row(route: "GET /cluster/v1/link", rule: .clusterNode),
        // Without a registry (as here) 404; with one, loopback or the metrics token (OperationsTests).
        Row(route: "GET /metrics", rule: .open),
        Row(route: "POST /api/v1/auth/login", rule: .open),
        Row(route: "POST /api/v1/auth/two-step", rule: .open),
        Row(route: "POST /api/v1/auth/two-step/sms", rule: .open),
        Row(route: "POST /api/v1/auth/two-step/enrolment", rule: .open),
        Row(route: "POST /api/v1/auth/two-step/enrolment/confirm", rule: .open),
        Row(route: "POST /api/v1/customer/pin-check", rule: .open),
        Row(route: "GET /api/v1/customer/links/{token}", rule: .open),
        Row(route: "POST /api/v1/customer/join", rule: .open),
        Row(route: "POST /api/v1/customer/decline", rule: .open),
        Row(route: "POST /api/v1/customer/resume", rule: .open),
        Row(route: "POST /api/v1/agents/enroll", rule: .open),
        Row(route: "GET /api/v1/customer/applet", rule: .open),
        Row(route: "GET /api/v1/customer/files/{file}", rule: .open),
        Row(route: "GET /api/v1/customer/scripts/{run}/{part}", rule: .open),
        Row(route: "POST /api/v1/customer/files", rule: .open),
        Row(route: "POST /api/v1/customer/file-manager/{transfer}", rule: .open),
        Row(route: "GET /api/v1/customer/file-manager/{transfer}", rule: .open),
        Row(route: "GET /api/v1/channels/{token}", rule: .open),
        Row(route: "GET /api/v1/channels/{token}/form", rule: .open),
        Row(route: "POST /api/v1/channels/{token}/requests", rule: .open),
        Row(route: "GET /api/v1/surveys/{token}", rule: .open),
        Row(route: "POST /api/v1/surveys/{token}", rule: .open),
        Row(route: "GET /api/v1/calling-cards/{id}", rule: .open),
        Row(route: "GET /api/v1/calling-cards/{id}/logo", rule: .open),
        Row(route: "GET /api/v1/setup", rule: .open),
        Row(route: "POST /api/v1/setup", rule: .open),
        Row(route: "GET /download/calling-card/{id}/install.sh", rule: .open),
        Row(route: "GET /download/lifeline-applet", rule: .open),
        Row(route: "GET /download/lifeline-support.desktop", rule: .open),
        Row(route: "GET /c/{token}", rule: .open),
        Row(route: "GET /chat", rule: .open),
        Row(route: "GET /survey/{token}", rule: .open),
        Row(route: "GET /ch/{token}", rule: .open),
        Row(route: "GET /ws/applet", rule: .open),
        Row(route: "GET /api/v1/collaborators/invitations/{token}", rule: .open),
        Row(route: "POST /api/v1/collaborators/pin-check", rule: .open),
        Row(route: "POST /api/v1/collaborators/join", rule: .open),
        Row(route: "GET /collaborate", rule: .open),
        Row(route: "GET /collaborate/{token}", rule: .open),
        Row(route: "GET /ws/collaborator", rule: .open),
        // An agent proves its computer's key in the socket's handshake (AgentGatewayTests).
        Row(route: "GET /ws/agent", rule: .open),

        // Every technician, on their own account.
        Row(route: "POST /api/v1/auth/logout", rule: .signedIn),
        Row(route: "GET /api/v1/me", rule: .signedIn),
        Row(route: "PUT /api/v1/me/status", rule: .signedIn, body: ["away": false]),
        Row(route: "GET /api/v1/me/options", rule: .signedIn),
        Row(route: "PUT /api/v1/me/options", rule: .signedIn, body: ["confirmEnd": true, "confirmLogout": true]),
        Row(route: "GET /api/v1/me/two-step", rule: .signedIn),
        Row(route: "POST /api/v1/me/two-step/enrolment", rule: .signedIn),
        Row(route: "POST /api/v1/me/two-step/enrolment/confirm", rule: .signedIn, body: ["code": "000000"]),
        Row(route: "POST /api/v1/me/two-step/recovery-codes", rule: .signedIn, body: ["code": "000000"]),
        Row(route: "PUT /api/v1/me/two-step/sms", rule: .signedIn, body: ["phone": ""]),
        Row(route: "POST /api/v1/me/two-step/disable", rule: .signedIn, body: ["password": "x"]),
        Row(route: "GET /api/v1/me/calling-cards", rule: .signedIn),
        Row(route: "GET /api/v1/technicians", rule: .signedIn),
        Row(route: "GET /api/v1/sessions", rule: .signedIn),
        Row(route: "GET /api/v1/history", rule: .signedIn),
        Row(route: "GET /api/v1/scripts", rule: .signedIn),
        Row(route: "GET /api/v1/scripts/{script}/resource", rule: .signedIn),
        Row(route: "GET /api/v1/computers", rule: .permission(.unattendedAccess)),
        Row(route: "DELETE /api/v1/computers/{id}", rule: .permission(.unattendedAccess)),
        Row(route: "POST /api/v1/computers/{id}/connect", rule: .permission(.unattendedAccess)),
        Row(route: "GET /api/v1/lan-connectors", rule: .permission(.lanConnection)),
        Row(route: "GET /api/v1/computers/{id}/lan/machines", rule: .permission(.lanConnection)),
        Row(route: "POST /api/v1/computers/{id}/lan/connect", rule: .permission(.lanConnection),
            body: ["address": "10.0.0.5", "username": "ann", "password": "secret"]),
        Row(route: "PUT /api/v1/computers/{id}/lan-connector", rule: .administrator, body: ["subnets": ["10.0.0.0/24"]]),
        Row(route: "DELETE /api/v1/computers/{id}/lan-connector", rule: .administrator),
        Row(route: "POST /api/v1/scripts", rule: .permission(.deployScripts), body: [:]),
        Row(route: "PUT /api/v1/scripts/{script}", rule: .permission(.deployScripts), body: [:]),
        Row(route: "DELETE /api/v1/scripts/{script}", rule: .permission(.deployScripts)),
        Row(route: "POST /api/v1/scripts/{script}/move", rule: .permission(.deployScripts), body: ["direction": "up"]),
        Row(route: "PUT /api/v1/scripts/{script}/resource", rule: .permission(.deployScripts)),
        Row(route: "DELETE /api/v1/scripts/{script}/resource", rule: .permission(.deployScripts)),
        Row(route: "GET /api/v1/scripts/export", rule: .permission(.deployScripts)),
        Row(route: "POST /api/v1/scripts/import", rule: .permission(.deployScripts)),
        Row(route: "GET /api/v1/admin/groups/{id}/scripts", rule: .administratorObject(kind: "group")),
        Row(route: "POST /api/v1/admin/groups/{id}/scripts", rule: .administratorObject(kind: "group"), body: [:]),
        Row(route: "PUT /api/v1/admin/groups/{id}/scripts/{script}", rule: .administratorObject(kind: "group"), body: [:]),
        Row(route: "DELETE /api/v1/admin/groups/{id}/scripts/{script}", rule: .administratorObject(kind: "group")),
        Row(route: "POST /api/v1/admin/groups/{id}/scripts/{script}/move", rule: .administratorObject(kind: "group"), body: ["direction": "up"]),
        Row(route: "PUT /api/v1/admin/groups/{id}/scripts/{script}/resource", rule: .administratorObject(kind: "group")),
        Row(route: "DELETE /api/v1/admin/groups/{id}/scripts/{script}/resource", rule: .administratorObject(kind: "group")),
        Row(route: "GET /api/v1/replies", rule: .signedIn),
        Row(route: "POST /api/v1/replies", rule: .signedIn, body: [:]),
        Row(route: "PUT /api/v1/replies/{reply}", rule: .signedIn, body: [:]),
        Row(route: "DELETE /api/v1/replies/{reply}", rule: .signedIn),
        Row(route: "GET /api/v1/replies/export", rule: .signedIn),
        Row(route: "POST /api/v1/replies/import", rule: .signedIn),
        Row(route: "GET /ws/console", rule: .signedIn),
        Row(route: "GET /ws/screens", rule: .signedIn),

        // Permissions without a session.
        Row(route: "POST /api/v1/sessions", rule: .permission(.startPrivateSessions), body: ["name": "C", "method": "pin"]),
        Row(route: "GET /api/v1/transfer-queues", rule: .permission(.transferSessions)),

        // Sessions: the owner only; some actions need a permission too.
        Row(route: "GET /api/v1/sessions/{id}", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/log", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/notes", rule: .session),
        Row(route: "PUT /api/v1/sessions/{id}/notes", rule: .session, body: ["text": "n"]),
        Row(route: "GET /api/v1/sessions/{id}/device-history", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/device-history/{earlier}/log", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/files", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/files/{file}", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/file-manager/{transfer}", rule: .sessionPermission(.fileManagerDownload)),
        Row(route: "PUT /api/v1/sessions/{id}/file-manager/{transfer}", rule: .sessionPermission(.fileManagerUpload)),
        Row(route: "PUT /api/v1/sessions/{id}/files/{file}/content", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/recordings", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/recordings/{recording}/pieces", rule: .session, body: ["piece": 1]),
        Row(route: "POST /api/v1/sessions/{id}/recordings/{recording}/stop", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/recordings/{recording}", rule: .session),
        Row(route: "GET /api/v1/sessions/{id}/invitations/email-draft", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/applet-invitation", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/start", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/end", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/hold", rule: .sessionPermission(.holdSessions)),
        Row(route: "POST /api/v1/sessions/{id}/collaborators", rule: .sessionPermission(.inviteExternalTechnicians), body: ["name": "Ext"]),
        Row(route: "GET /api/v1/sessions/{id}/collaborators", rule: .session),
        Row(route: "DELETE /api/v1/sessions/{id}/collaborators/{collaboratorId}", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/messages", rule: .sessionPermission(.chat), body: ["text": "hello"]),
        Row(route: "POST /api/v1/sessions/{id}/colleagues", rule: .sessionPermission(.inviteInternalTechnicians), body: ["technicianId": "nobody"]),
        Row(route: "PUT /api/v1/sessions/{id}/colleagues/{technicianId}", rule: .session, body: ["permissions": ["chat"]]),
        Row(route: "DELETE /api/v1/sessions/{id}/colleagues/{technicianId}", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/lead-offer", rule: .session, body: ["technicianId": "nobody"]),
        Row(route: "DELETE /api/v1/sessions/{id}/lead-offer", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/lead", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/technician-messages", rule: .session, body: ["text": "between us"]),
        Row(route: "PUT /api/v1/sessions/{id}/controller", rule: .session, body: ["technicianId": "nobody"]),
        Row(route: "POST /api/v1/sessions/{id}/technician-screen", rule: .sessionPermission(.shareScreen)),
        Row(route: "DELETE /api/v1/sessions/{id}/technician-screen", rule: .session),
        Row(route: "POST /api/v1/sessions/{id}/transfer", rule: .sessionPermission(.transferSessions), body: ["to": "nobody"]),
        Row(route: "PATCH /api/v1/sessions/{id}", rule: .sessionPermission(.editCustomFields), body: ["fields": [:]]),
        Row(route: "POST /api/v1/sessions/{id}/urls", rule: .sessionPermission(.sendUrls), body: ["url": "https://example.com"]),
        Row(route: "PUT /api/v1/sessions/{id}/chat", rule: .sessionPermission(.toggleChat), body: ["enabled": false]),
        Row(route: "POST /api/v1/sessions/{id}/files", rule: .sessionPermission(.sendFiles), body: ["name": "a.txt", "size": 3]),
        Row(route: "POST /api/v1/sessions/{id}/screenshots", rule: .sessionPermission(.takeScreenshots)),
        Row(route: "POST /api/v1/sessions/{id}/system-report", rule: .sessionPermission(.systemInfo)),
        Row(route: "POST /api/v1/sessions/{id}/recordings", rule: .sessionPermission(.recordScreen)),
        Row(route: "POST /api/v1/sessions/{id}/survey", rule: .sessionPermission(.sendSurvey)),
        Row(route: "POST /api/v1/sessions/{id}/calling-card", rule: .sessionPermission(.deployCallingCard), body: ["cardId": "none"]),
        Row(route: "POST /api/v1/sessions/{id}/invitations/email", rule: .sessionPermission(.connectByEmail), body: ["to": "a@b.c"]),
        Row(route: "POST /api/v1/sessions/{id}/invitations/sms", rule: .sessionPermission(.connectBySms), body: ["to": "+33612345678"]),

        // The Admin Center.
        Row(route: "GET /api/v1/admin/permissions", rule: .administrator),
        Row(route: "GET /api/v1/admin/groups", rule: .administrator),
        Row(route: "POST /api/v1/admin/groups", rule: .administrator, body: ["name": "G", "permissions": []]),
        Row(route: "PUT /api/v1/admin/groups/{id}", rule: .administratorObject(kind: "group"), body: ["name": "G", "permissions": []]),
        Row(route: "DELETE /api/v1/admin/groups/{id}", rule: .administratorObject(kind: "group")),
        Row(route: "GET /api/v1/admin/technicians", rule: .administrator),
        Row(route: "POST /api/v1/admin/technicians", rule: .administrator,
            body: ["email": "n@x.y", "name": "N", "password": "long enough password"]),
        Row(route: "PATCH /api/v1/admin/technicians/{id}", rule: .administratorObject(kind: "technician"), body: ["name": "Renamed"]),
        Row(route: "DELETE /api/v1/admin/technicians/{id}", rule: .administratorObject(kind: "technician")),
        Row(route: "POST /api/v1/admin/technicians/{id}/two-step/reset", rule: .administratorObject(kind: "technician")),
        Row(route: "GET /api/v1/admin/settings", rule: .administrator),
        Row(route: "PUT /api/v1/admin/settings", rule: .organisationAdministrator, body: [:]),
        Row(route: "GET /api/v1/admin/channels", rule: .organisationAdministrator),
        Row(route: "POST /api/v1/admin/channels", rule: .organisationAdministrator, body: ["name": "Web", "groupIds": []]),
        Row(route: "PATCH /api/v1/admin/channels/{id}", rule: .administratorObject(kind: "channel"), body: ["name": "Web 2"]),
        Row(route: "DELETE /api/v1/admin/channels/{id}", rule: .administratorObject(kind: "channel")),
        Row(route: "GET /api/v1/admin/calling-cards", rule: .organisationAdministrator),
        Row(route: "POST /api/v1/admin/calling-cards", rule: .organisationAdministrator, body: [:]),
        Row(route: "PUT /api/v1/admin/calling-cards/{id}", rule: .organisationAdministrator, body: [:]),
        Row(route: "DELETE /api/v1/admin/calling-cards/{id}", rule: .organisationAdministrator),
        Row(route: "GET /api/v1/admin/surveys", rule: .organisationAdministrator),
        Row(route: "PUT /api/v1/admin/surveys/{scope}/{scopeId}", rule: .organisationAdministrator, body: [:]),
        Row(route: "GET /api/v1/reports/surveys", rule: .organisationAdministrator),
        Row(route: "GET /api/v1/reports/sessions", rule: .administrator),
        Row(route: "GET /api/v1/reports/technicians", rule: .administrator),
        Row(route: "GET /api/v1/admin/audit", rule: .organisationAdministrator),
        Row(route: "GET /api/v1/monitorings", rule: .administrator),
        Row(route: "POST /api/v1/monitorings", rule: .administrator, body: ["technicianId": "nobody"]),
        Row(route: "GET /api/v1/monitorings/technicians", rule: .administrator),
        Row(route: "DELETE /api/v1/monitorings/{monitoringId}", rule: .administrator),
        Row(route: "POST /api/v1/monitorings/{monitoringId}/sessions/{id}/join", rule: .administrator),
        Row(route: "GET /api/v1/monitorings/{monitoringId}/sessions/{id}/log", rule: .administrator),
        Row(route: "POST /api/v1/monitorings/{monitoringId}/screen", rule: .administrator),
        Row(route: "DELETE /api/v1/monitorings/{monitoringId}/screen", rule: .administrator),
    ] }

    @Test("every route of the gateway has a row, and every row is a route")
    func everyRouteHasARow() async throws {
        try await GatewayHarness.run { gw in
            let routes = Set(gw.parts.routes.filter { !$0.hasPrefix("HEAD ") })
            let listed = Set(Self.rows.map(\.route))
            #expect(routes.subtracting(listed).sorted() == [], "routes without a row in the matrix")
            #expect(listed.subtracting(routes).sorted() == [], "rows for routes that do not exist")
        }
    }

    /// The people of the matrix: T (all permissions, in group G), an administrator of an empty
    /// group only, a plain technician, and the master administrator of another organisation.
    struct Cast {
        let master: String
        let technician: String
        let groupId: String
        let technicianId: String
        let scopedAdministrator: String
        let plainTechnician: String
        let stranger: String
        let strangerObjects: [String: String]
    }

    static func cast(_ gw: GatewayHarness) async throws -> Cast {
        let master = try await gw.login()
        let all = Permission.allCases.map(\.rawValue)
        let group = try await gw.request(.post, "/api/v1/admin/groups", token: master, json: ["name": "All", "permissions": all]).json()
        let groupId = try #require(group["id"] as? String)
        let created = try await gw.request(.post, "/api/v1/admin/technicians", token: master, json: [
            "email": "t@lifeline.test", "name": "T", "password": "long enough password", "groupId": groupId]).json()
        let empty = try await gw.request(.post, "/api/v1/admin/groups", token: master, json: ["name": "Empty", "permissions": []]).json()
        _ = try await gw.request(.post, "/api/v1/admin/technicians", token: master, json: [
            "email": "a@lifeline.test", "name": "A", "password": "long enough password", "role": "administrator",
            "managedGroupIds": [empty["id"] as! String]])
        _ = try await gw.request(.post, "/api/v1/admin/technicians", token: master, json: [
            "email": "p@lifeline.test", "name": "P", "password": "long enough password", "groupId": empty["id"] as! String])
        let stranger = try await gw.otherOrganisation()
        return Cast(master: master, technician: try await gw.login("t@lifeline.test", "long enough password"), groupId: groupId,
                    technicianId: try #require(created["id"] as? String),
                    scopedAdministrator: try await gw.login("a@lifeline.test", "long enough password"),
                    plainTechnician: try await gw.login("p@lifeline.test", "long enough password"),
                    stranger: stranger.token, strangerObjects: stranger.objects)
    }

    static func path(_ route: String, id: String = "nothing") -> (HTTPRequest.Method, String) {
        let parts = route.split(separator: " ", maxSplits: 1)
        let method = HTTPRequest.Method(String(parts[0]))!
        let path = String(parts[1]).replacingOccurrences(of: "{id}", with: id)
            .replacingOccurrences(of: "{scope}", with: "group").replacingOccurrences(of: #"\{[a-zA-Z]+\}"#, with: "nothing", options: .regularExpression)
        return (method, path)
    }

    /// Got past authorization: neither 401 nor 403 nor "no such session".
    static func allowed(_ reply: GatewayHarness.Reply) -> Bool {
        ![.unauthorized, .forbidden].contains(reply.status) && reply.errorCode != "session_not_found"
    }

    @Test("sessions: the owner with the permission passes, without it 403, another organisation 404")
    func sessionRows() async throws {
        try await GatewayHarness.run { gw in
            let cast = try await Self.cast(gw)
            let all = Permission.allCases.map(\.rawValue)
            for row in Self.rows {
                let needed: Permission?
                switch row.rule {
                case .session: needed = nil
                case .sessionPermission(let permission): needed = permission
                default: continue
                }
                let (id, _) = try await gw.createSession(token: cast.technician, name: "Matrix")
                let (method, path) = Self.path(row.route, id: id)
                let stranger = try await gw.request(method, path, token: cast.stranger, json: row.body)
                #expect(stranger.status == .notFound, "\(row.route) by another organisation: \(stranger.status)")
                if let needed {
                    _ = try await gw.request(.put, "/api/v1/admin/groups/\(cast.groupId)", token: cast.master,
                                             json: ["name": "All", "permissions": all.filter { $0 != needed.rawValue }])
                    let refused = try await gw.request(method, path, token: cast.technician, json: row.body)
                    #expect(refused.status == .forbidden, "\(row.route) without \(needed.rawValue): \(refused.status)")
                    #expect(refused.errorCode == "permission_denied", "\(row.route): \(refused.errorCode ?? "-")")
                    _ = try await gw.request(.put, "/api/v1/admin/groups/\(cast.groupId)", token: cast.master, json: ["name": "All", "permissions": all])
                }
                let permitted = try await gw.request(method, path, token: cast.technician, json: row.body)
                #expect(Self.allowed(permitted), "\(row.route) by its owner: \(permitted.status) \(permitted.errorCode ?? "")")
            }
        }
    }

    @Test("signed-in, permission and admin rows: who passes, who gets 401, 403 or 404")
    func otherRows() async throws {
        try await GatewayHarness.run { gw in
            let cast = try await Self.cast(gw)
            let all = Permission.allCases.map(\.rawValue)
            for row in Self.rows {
                let (method, path) = Self.path(row.route)
                switch row.rule {
                case .open, .session, .sessionPermission:
                    continue
                case .signedIn:
                    guard !row.route.hasPrefix("GET /ws/") else { continue }
                    #expect(try await gw.request(method, path, json: row.body).status == .unauthorized, "\(row.route) signed out")
                case .clusterNode:
                    #expect(try await gw.request(method, path, json: row.body).status == .unauthorized, "\(row.route) signed out")
                    #expect(try await gw.request(method, path, token: cast.master, json: row.body).status == .unauthorized,
                            "\(row.route) by the master administrator")
                case .permission(let permission):
                    #expect(try await gw.request(method, path, json: row.body).status == .unauthorized, "\(row.route) signed out")
                    _ = try await gw.request(.put, "/api/v1/admin/groups/\(cast.groupId)", token: cast.master,
                                             json: ["name": "All", "permissions": all.filter { $0 != permission.rawValue }])
                    let refused = try await gw.request(method, path, token: cast.technician, json: row.body)
                    #expect(refused.status == .forbidden, "\(row.route) without \(permission.rawValue)")
                    _ = try await gw.request(.put, "/api/v1/admin/groups/\(cast.groupId)", token: cast.master, json: ["name": "All", "permissions": all])
                    #expect(Self.allowed(try await gw.request(method, path, token: cast.technician, json: row.body)), "\(row.route) permitted")
                case .administrator:
                    #expect(try await gw.request(method, path, token: cast.plainTechnician, json: row.body).status == .forbidden, "\(row.route) by a technician")
                    // Any administrator passes the role check (creating a top-level group is then
                    // outside an administrator of some groups' scope, which scopedAdministratorRows covers).
                    let scoped = try await gw.request(method, path, token: cast.scopedAdministrator, json: row.body)
                    #expect(scoped.status != .unauthorized && scoped.errorCode != "administrators_only", "\(row.route) by an administrator")
                    #expect(Self.allowed(try await gw.request(method, path, token: cast.master, json: row.body)), "\(row.route) by the master")
                case .organisationAdministrator:
                    #expect(try await gw.request(method, path, token: cast.plainTechnician, json: row.body).status == .forbidden, "\(row.route) by a technician")
                    let scoped = try await gw.request(method, path, token: cast.scopedAdministrator, json: row.body)
                    #expect(scoped.status == .forbidden && scoped.errorCode == "outside_scope", "\(row.route) by an administrator of some groups")
                    #expect(Self.allowed(try await gw.request(method, path, token: cast.master, json: row.body)), "\(row.route) by the master")
                case .administratorObject(let kind):
                    let foreign = try #require(cast.strangerObjects[kind])
                    let (_, foreignPath) = Self.path(row.route, id: foreign)
                    let stranger = try await gw.request(method, foreignPath, token: cast.master, json: row.body)
                    #expect(stranger.status == .notFound, "\(row.route) on another organisation's \(kind): \(stranger.status)")
                    #expect(try await gw.request(method, foreignPath, token: cast.plainTechnician, json: row.body).status == .forbidden,
                            "\(row.route) by a technician")
                }
            }
        }
    }

    @Test("out of scope: an administrator of some groups gets 403 on the other groups and their technicians")
    func scopedAdministratorRows() async throws {
        try await GatewayHarness.run { gw in
            let cast = try await Self.cast(gw)
            for row in Self.rows {
                guard case .administratorObject(let kind) = row.rule, kind != "channel" else { continue }
                let id = kind == "group" ? cast.groupId : cast.technicianId
                let (method, path) = Self.path(row.route, id: id)
                let reply = try await gw.request(method, path, token: cast.scopedAdministrator, json: row.body)
                #expect(reply.status == .forbidden && reply.errorCode == "outside_scope", "\(row.route) out of scope: \(reply.status)")
            }
            #expect(try await gw.request(.get, "/api/v1/admin/technicians", token: cast.scopedAdministrator).array()
                .allSatisfy { $0["email"] as? String != "t@lifeline.test" }, "technicians of other groups are not listed")
        }
    }
}

/// The same matrix for the console's WebSocket messages: each type has a row (read from the
/// protocol's own list of types, so a new message without a row fails), and each is tried by the
/// session's owner with and without the permission and by another organisation.
@Suite("Authorization matrix: every console WebSocket message")
struct SocketAuthorizationMatrixTests {
    /// What a message names: the session, and a script of the session's technician's library.
    struct Target: Sendable {
        let session: String
        let script: String
    }

    struct Row: Sendable {
        let type: String
        let permission: Permission?
        let message: @Sendable (Target) -> ConsoleToGateway
    }

    static let rows: [Row] = [
        Row(type: "chat", permission: .chat) { .chat(.init(sessionId: $0.session, text: "hello")) },
        Row(type: "command", permission: nil) { .command(.init(sessionId: $0.session, command: .start)) },
        Row(type: "command", permission: .holdSessions) { .command(.init(sessionId: $0.session, command: .hold)) },
        Row(type: "remote_request", permission: .remoteControl) { .remoteRequest(.init(sessionId: $0.session, mode: .control)) },
        Row(type: "remote_request", permission: .desktopView) { .remoteRequest(.init(sessionId: $0.session, mode: .view)) },
        Row(type: "remote_stop", permission: nil) { .remoteStop(.init(sessionId: $0.session)) },
        Row(type: "remote_input", permission: .remoteControl) { .remoteInput(.init(sessionId: $0.session, events: [.move(x: 1, y: 1)])) },
        Row(type: "frame_ack", permission: nil) { .frameAck(.init(sessionId: $0.session, sequence: 1)) },
        Row(type: "remote_settings", permission: nil) { .remoteSettings(.init(sessionId: $0.session, quality: .high)) },
        Row(type: "remote_tool", permission: .clipboardSync) { .remoteTool(.init(sessionId: $0.session, tool: .clipboard(text: "x"))) },
        Row(type: "remote_tool", permission: .remoteControl) { .remoteTool(.init(sessionId: $0.session, tool: .draw(points: [ScreenPoint(x: 1, y: 1)]))) },
        Row(type: "webrtc_signal", permission: .desktopView) {
            .webrtcSignal(.init(sessionId: $0.session, signal: WebRTCSignal(kind: .answer, sdp: "v=0")))
        },
        Row(type: "file_manager_open", permission: .fileManager) { .fileManagerOpen(.init(sessionId: $0.session)) },
        Row(type: "file_manager_close", permission: nil) { .fileManagerClose(.init(sessionId: $0.session)) },
        Row(type: "file_manager_request", permission: .fileManager) {
            .fileManagerRequest(.init(sessionId: $0.session, requestId: "r1", request: .list(path: WirePath(root: "home", names: []), hidden: false)))
        },
        Row(type: "file_manager_request", permission: .fileManagerUpload) {
            .fileManagerRequest(.init(sessionId: $0.session, requestId: "r2", request: .makeFolder(path: WirePath(root: "home", names: [WireFileName("new")]))))
        },
        Row(type: "file_manager_request", permission: .fileManagerDownload) {
            .fileManagerRequest(.init(sessionId: $0.session, requestId: "r4", request: .read(path: WirePath(root: "home", names: [WireFileName("a.txt")]))))
        },
        Row(type: "file_manager_request", permission: .fileManagerModify) {
            .fileManagerRequest(.init(sessionId: $0.session, requestId: "r3", request: .delete(path: WirePath(root: "home", names: [WireFileName("old")]))))
        },
        Row(type: "system_info_request", permission: .systemInfo) {
            .systemInfoRequest(.init(sessionId: $0.session, requestId: "s1", view: .processes))
        },
        Row(type: "system_action_request", permission: .systemActions) {
            .systemActionRequest(.init(sessionId: $0.session, requestId: "a1", action: .endProcess(pid: 4242, started: 1_700_000_000)))
        },
        Row(type: "system_action_request", permission: .uninstallApplications) {
            .systemActionRequest(.init(sessionId: $0.session, requestId: "a2", action: .uninstall(source: .flatpak, name: "org.example.App")))
        },
        Row(type: "script_run_request", permission: .deployScripts) { .scriptRunRequest(.init(sessionId: $0.session, requestId: "x1", scriptId: $0.script)) },
        Row(type: "script_cancel", permission: nil) { .scriptCancel(.init(sessionId: $0.session, runId: "no-such-run")) },
        Row(type: "reboot_request", permission: .reboot) { .rebootRequest(.init(sessionId: $0.session, kind: .normal)) },
        Row(type: "unattended_request", permission: .unattendedAccess) {
            .unattendedRequest(.init(sessionId: $0.session, rules: UnattendedRules(credentials: .atEachConnection, period: .days(3),
                                                                                  timeZone: "Europe/Paris", clock: .technician)))
        },
        Row(type: "elevate", permission: .elevateApplet) {
            .elevate(.init(sessionId: $0.session, credentials: ElevationCredentials(username: "root", password: "secret")))
        },
    ]
    /// Messages about no session: nothing to refuse here. `monitor_screen_answer` names a monitoring
    /// of the sender's: anyone else's is refused (MonitoredScreenGatewayTests).
    static let withoutObject: Set<String> = ["activity", "monitor_screen_answer"]

    @Test("every console message type has a row")
    func everyTypeHasARow() throws {
        let source = try String(contentsOfFile: FileManager.default.currentDirectoryPath + "/Sources/LifelineProtocol/ConsoleChannel.swift",
                                encoding: .utf8)
        let start = try #require(source.range(of: "public enum ConsoleToGateway"))
        let end = try #require(source.range(of: "public enum GatewayToConsole", range: start.upperBound..<source.endIndex))
        let body = source[start.upperBound..<end.lowerBound]
        let types = Set(body.matches(of: /case \.\w+: "([a-z_]+)"/).map { String($0.1) })
        #expect(!types.isEmpty)
        #expect(types.subtracting(Set(Self.rows.map(\.type))).subtracting(Self.withoutObject).sorted() == [], "message types without a row")
    }

    /// The errors the gateway answers to `message`, up to a fence message whose error marks the end.
    static func errors(after message: ConsoleToGateway, on probe: SocketProbe, fence: String) async throws -> [(code: String, sessionId: String?)] {
        probe.send(message)
        probe.send(ConsoleToGateway.chat(.init(sessionId: fence, text: "fence")))
        var seen: [(String, String?)] = []
        while true {
            let reply = try await probe.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
            guard case .error(let failure) = reply else { continue }
            let (code, sessionId) = (failure.code, failure.sessionId)
            if sessionId == fence { return seen }
            seen.append((code, sessionId))
        }
    }

    @Test("each message: another organisation gets not found, the owner without the permission is refused, with it passes")
    func messages() async throws {
        try await GatewayHarness.run { gw in
            let cast = try await AuthorizationMatrixTests.cast(gw)
            let all = Permission.allCases.map(\.rawValue)
            let owner = gw.console(token: cast.technician)
            let stranger = gw.console(token: cast.stranger)
            for probe in [owner, stranger] {
                _ = try await probe.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            }
            let script = try await gw.request(.post, "/api/v1/scripts", token: cast.technician,
                                              json: ["name": "Matrix", "fileName": "m.sh", "content": "#!/bin/sh\ntrue\n"]).json()
            let scriptId = try #require(script["id"] as? String)
            for (index, row) in Self.rows.enumerated() {
                let (id, pin) = try await gw.createSession(token: cast.technician, name: "Socket matrix")
                let (applet, _) = try await gw.connectApplet(pin: pin)
                _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: cast.technician)
                let label = "\(row.type) (\(row.permission?.rawValue ?? "no permission"))"
                let target = Target(session: id, script: scriptId)

                let foreign = try await Self.errors(after: row.message(target), on: stranger, fence: "fence-s\(index)")
                #expect(foreign.map(\.code) == ["session_not_found"], "\(label) by another organisation: \(foreign)")

                if let permission = row.permission {
                    _ = try await gw.request(.put, "/api/v1/admin/groups/\(cast.groupId)", token: cast.master,
                                             json: ["name": "All", "permissions": all.filter { $0 != permission.rawValue }])
                    let refused = try await Self.errors(after: row.message(target), on: owner, fence: "fence-r\(index)")
                    #expect(refused.map(\.code) == ["permission_denied"], "\(label) without the permission: \(refused)")
                    _ = try await gw.request(.put, "/api/v1/admin/groups/\(cast.groupId)", token: cast.master, json: ["name": "All", "permissions": all])
                }
                let permitted = try await Self.errors(after: row.message(target), on: owner, fence: "fence-p\(index)")
                #expect(!permitted.contains { ["permission_denied", "session_not_found", "unauthenticated"].contains($0.code) },
                        "\(label) by its owner: \(permitted)")
                _ = try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: cast.technician)
                await applet.close()
            }
        }
    }
}
