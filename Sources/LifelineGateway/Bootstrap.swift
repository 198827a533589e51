import Foundation
import LifelineCore
import LifelineStore
import Logging

/// First start on an empty store: the organisation and its master administrator come from the
/// environment, from `--demo`, or from a one-time setup page. There are no default credentials.
actor Bootstrap {
    static let setupTokenKey = "setup_token_hash"

    let accounts: Accounts
    let configuration: GatewayConfiguration
    let logger: Logger

    init(accounts: Accounts, configuration: GatewayConfiguration, logger: Logger) {
        self.accounts = accounts
        self.configuration = configuration
        self.logger = logger
    }

    var store: any Store { accounts.store }

    func run() async throws {
        guard try await store.organisationCount() == 0 else {
            if configuration.demo {
                logger.notice("The demo accounts already exist; their passwords were shown at the first start. Delete the data directory to start over.",
                              metadata: ["console.url": "\(configuration.publicURL)/console/"])
            }
            return
        }
        if configuration.demo {
            try await createDemo()
        } else if let email = configuration.initialAdminEmail, let password = configuration.initialAdminPassword {
            try Accounts.validatePassword(password, context: [email, "Administrator", "Lifeline"])
            let org = try await createOrganisation(name: "Lifeline")
            _ = try await createAccount(org: org, groupId: nil, email: email, name: "Administrator", password: password,
                                        role: .masterAdministrator)
            logger.notice("Created the master administrator from LIFELINE_ADMIN_EMAIL", metadata: ["account.email": "\(email)"])
        } else {
            let token = Secrets.token()
            try await store.setSetting(Self.setupTokenKey, Secrets.hash(token))
            logger.notice("No administrator yet. Open the one-time setup page to create one",
                          metadata: ["setup.url": "\(configuration.publicURL)/setup/?token=\(token)"])
        }
    }

    /// Whether the setup page may still be used.
    func setupNeeded() async throws -> Bool {
        guard try await store.organisationCount() == 0 else { return false }
        return try await store.setting(Self.setupTokenKey) != nil
    }

    /// Completes setup once; the token stops working as soon as it is used.
    func completeSetup(token: String, organisation: String, name: String, email: String, password: String) async throws {
        let closed = GatewayError(.setupClosed, "This setup link is not valid or has already been used.")
        guard try await store.organisationCount() == 0, let expected = try await store.setting(Self.setupTokenKey),
              Secrets.hash(token) == expected
        else { throw closed }
        let orgName = organisation.trimmingCharacters(in: .whitespacesAndNewlines)
        let personName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try Accounts.validatePassword(password, context: [email, personName, orgName])
        guard !orgName.isEmpty, !personName.isEmpty, email.contains("@") else {
            throw GatewayError.badRequest("Fill in the organisation, your name and a valid email.")
        }
        // The token is used up by one statement in the store: of concurrent set-ups exactly one goes on.
        guard try await store.takeSetting(Self.setupTokenKey, ifEquals: expected) else { throw closed }
        do {
            let org = try await createOrganisation(name: orgName)
            _ = try await createAccount(org: org, groupId: nil, email: email, name: personName, password: password,
                                        role: .masterAdministrator)
        } catch {
            // Nothing was set up: the link works again for a second try.
            logger.error("Setup failed; the setup link stays valid", metadata: ["error": "\(error)"])
            try await store.setSetting(Self.setupTokenKey, expected)
            throw error
        }
        logger.notice("Setup completed", metadata: ["account.email": "\(email)"])
    }

    private func createDemo() async throws {
        let org = try await createOrganisation(name: "Demo Help Desk")
        let group = TechnicianGroup(id: UUID().uuidString.lowercased(), organisationId: org.id, name: "Help desk",
                                    permissions: .all)
        try await store.insertGroup(group)
        let adminPassword = configuration.initialAdminPassword ?? Secrets.token(bytes: 9)
        let adminEmail = configuration.initialAdminEmail ?? "admin@demo.lifeline"
        _ = try await createAccount(org: org, groupId: nil, email: adminEmail, name: "Demo Administrator",
                                    password: adminPassword, role: .masterAdministrator)
        let techPassword = Secrets.token(bytes: 9)
        _ = try await createAccount(org: org, groupId: group.id, email: "tech@demo.lifeline", name: "Tess Tech",
                                    password: techPassword, role: .technician)
        logger.notice("Demo accounts created", metadata: [
            "console.url": "\(configuration.publicURL)/console/",
            "demo.technician": "tech@demo.lifeline / \(techPassword)",
            "demo.administrator": "\(adminEmail) / \(adminPassword)",
        ])
    }

    private func createOrganisation(name: String) async throws -> Organisation {
        let org = Organisation(id: UUID().uuidString.lowercased(), name: name, createdAt: accounts.environment.now())
        try await store.insertOrganisation(org)
        return org
    }

    private func createAccount(org: Organisation, groupId: String?, email: String, name: String, password: String,
                               role: AccountRole) async throws -> Technician {
        let technician = Technician(
            id: UUID().uuidString.lowercased(), organisationId: org.id, groupId: groupId, email: email.lowercased(),
            name: name, passwordHash: try await accounts.hashPassword(password), role: role, disabled: false,
            language: "en", createdAt: accounts.environment.now())
        try await store.insertTechnician(technician)
        return technician
    }
}
