import Foundation

/// The PostgreSQL schema, one script per migration like `Migrations.all` for SQLite. The first
/// script is the SQLite file's schema at its migration 18, in PostgreSQL's types: times are
/// TIMESTAMPTZ, counters BIGINT, flags BIGINT 0/1 (the repositories bind the same values to both).
enum PostgresSchema {
    static let all: [String] = [
        initial,
        // 2: sessions carry a version; a write names the version it read (optimistic concurrency).
        "ALTER TABLE sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 0",
        // 3: the audit log's head, moved by a trigger with each entry: a log cut short or an entry lost shows.
        """
        CREATE TABLE audit_head (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            sequence BIGINT NOT NULL,
            hash TEXT NOT NULL,
            lost BIGINT NOT NULL DEFAULT 0
        );
        INSERT INTO audit_head (id, sequence, hash) SELECT 1, sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1;
        CREATE FUNCTION audit_log_moves_head() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO audit_head (id, sequence, hash) VALUES (1, NEW.sequence, NEW.hash)
                ON CONFLICT (id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash;
            RETURN NEW;
        END;
        $$;
        CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_moves_head();
        """,
        // 4: how a session ended, for the history (issue 15): kept when it leaves the queue.
        "ALTER TABLE sessions ADD COLUMN end_reason TEXT",
        // 5: script libraries (N1): each technician's, and the ones embedded for a group (R4).
        """
        CREATE TABLE scripts (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            owner_id TEXT REFERENCES technicians(id) ON DELETE CASCADE,
            group_id TEXT REFERENCES technician_groups(id) ON DELETE CASCADE,
            position BIGINT NOT NULL,
            favourite BIGINT NOT NULL DEFAULT 0,
            definition TEXT NOT NULL,
            script_sha256 TEXT NOT NULL,
            resource_base64 TEXT,
            resource_sha256 TEXT,
            resource_size BIGINT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX scripts_owner ON scripts (owner_id, position);
        CREATE INDEX scripts_group ON scripts (group_id, position)
        """,
        // 6: resume tickets (M1–M3): the applet of a restarting machine rejoins with one, once.
        """
        CREATE TABLE resume_tickets (
            ticket_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            expires_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX resume_tickets_session ON resume_tickets (session_id)
        """,
        // 7: unattended computers (F5) and their one-time enrolments.
        """
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            technician_id TEXT REFERENCES technicians(id) ON DELETE SET NULL,
            group_id TEXT REFERENCES technician_groups(id) ON DELETE SET NULL,
            name TEXT NOT NULL,
            hostname TEXT NOT NULL,
            public_key TEXT NOT NULL,
            rules TEXT NOT NULL,
            approved_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX devices_technician ON devices (technician_id);
        CREATE INDEX devices_group ON devices (group_id);
        CREATE TABLE device_enrolments (
            token_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            technician_id TEXT NOT NULL,
            rules TEXT NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
        // 8: LAN connectors (F4): the subnets an administrator lets a computer's agent check; NULL when it is none.
        "ALTER TABLE devices ADD COLUMN lan_subnets TEXT",
        // 9: gateway nodes and session leases (issue 20): which gateway holds each live session, on the database's clock.
        """
        CREATE TABLE gateway_nodes (
            id TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            heartbeat_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE session_leases (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            node_id TEXT NOT NULL,
            fencing BIGINT NOT NULL
        );
        CREATE INDEX session_leases_node ON session_leases(node_id);
        """,
        // 10: failures every node counts (issue 20): wrong PINs and links, failed and successful sign-ins, on the database's clock.
        """
        CREATE TABLE shared_failures (
            id BIGSERIAL PRIMARY KEY,
            node_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX shared_failures_at ON shared_failures(at);
        """,
        // 11: each gateway node's part of a technician's presence (issue 20); times on the node's clock.
        """
        CREATE TABLE technician_presence (
            technician_id TEXT NOT NULL,
            node_id TEXT NOT NULL,
            organisation_id TEXT NOT NULL,
            open_consoles BIGINT NOT NULL,
            manually_away BIGINT NOT NULL,
            away_changed_at DOUBLE PRECISION,
            last_activity_at DOUBLE PRECISION NOT NULL,
            version BIGINT NOT NULL,
            PRIMARY KEY (technician_id, node_id)
        );
        """,
        // 12: a colleague invited into a session (I1): who invited them, the permissions chosen (JSON; null: their group's), the comment.
        """
        ALTER TABLE session_views ADD COLUMN invited_by TEXT, ADD COLUMN permissions TEXT, ADD COLUMN comment TEXT;
        """,
        // 13: the lead offered this colleague the lead role (I3); it waits for them to accept.
        """
        ALTER TABLE session_views ADD COLUMN lead_offered BIGINT NOT NULL DEFAULT 0;
        """,
        // 14: the session's type (Q1: standard or Lens) and the customer's device picked by hand (P1; null: decided by the page).
        """
        ALTER TABLE sessions ADD COLUMN session_type TEXT NOT NULL DEFAULT 'standard', ADD COLUMN platform TEXT;
        """,
    ]

    /// A script cut into statements on `;`, except inside a `$$` function body.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inBody = false
        var rest = Substring(script)
        while let character = rest.first {
            if rest.hasPrefix("$$") {
                inBody.toggle()
                current += "$$"
                rest = rest.dropFirst(2)
                continue
            }
            rest = rest.dropFirst()
            if character == ";" && !inBody {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            } else {
                current.append(character)
            }
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }

    static let initial = """
        CREATE TABLE organisations (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE technician_groups (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            name TEXT NOT NULL,
            permissions TEXT NOT NULL,
            parent_id TEXT REFERENCES technician_groups(id)
        );
        CREATE TABLE technicians (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            group_id TEXT REFERENCES technician_groups(id),
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            disabled BIGINT NOT NULL DEFAULT 0,
            language TEXT NOT NULL DEFAULT 'en',
            created_at TIMESTAMPTZ NOT NULL,
            options TEXT,
            managed_group_ids TEXT,
            deleted_at TIMESTAMPTZ
        );
        CREATE UNIQUE INDEX technicians_email ON technicians (lower(email));
        CREATE TABLE auth_tokens (
            token_hash TEXT PRIMARY KEY,
            technician_id TEXT NOT NULL REFERENCES technicians(id),
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE channels (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            name TEXT NOT NULL,
            public_token TEXT NOT NULL UNIQUE,
            group_ids TEXT NOT NULL,
            unavailable_message TEXT NOT NULL,
            when_unavailable TEXT NOT NULL,
            working_hours TEXT,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX channels_organisation ON channels (organisation_id);
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            technician_id TEXT REFERENCES technicians(id),
            name TEXT NOT NULL,
            method TEXT NOT NULL,
            pin TEXT UNIQUE,
            link_token_hash TEXT UNIQUE,
            applet_token_hash TEXT UNIQUE,
            state TEXT NOT NULL,
            role TEXT NOT NULL,
            resume_state TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            state_entered_at TIMESTAMPTZ NOT NULL,
            held_since TIMESTAMPTZ,
            last_activity_at TIMESTAMPTZ NOT NULL,
            customer TEXT,
            closed_at TIMESTAMPTZ,
            transfer_from TEXT,
            transfer_to TEXT,
            transfer_comment TEXT,
            transfer_at TIMESTAMPTZ,
            transferred_by TEXT,
            channel_id TEXT,
            fields TEXT,
            chat_disabled BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX sessions_device ON sessions (organisation_id, ((customer::jsonb) ->> 'deviceId'));
        CREATE INDEX sessions_live ON sessions (closed_at, created_at);
        CREATE INDEX sessions_organisation_created ON sessions (organisation_id, created_at);
        CREATE INDEX sessions_technician ON sessions (technician_id, closed_at);
        CREATE TABLE session_views (
            session_id TEXT NOT NULL REFERENCES sessions(id),
            technician_id TEXT NOT NULL REFERENCES technicians(id),
            state TEXT NOT NULL,
            role TEXT NOT NULL,
            resume_state TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            state_entered_at TIMESTAMPTZ NOT NULL,
            held_since TIMESTAMPTZ,
            last_activity_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (session_id, technician_id)
        );
        CREATE INDEX session_views_technician ON session_views (technician_id);
        CREATE TABLE session_log (
            id BIGSERIAL PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            at TIMESTAMPTZ NOT NULL,
            kind TEXT NOT NULL,
            author_role TEXT NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            state TEXT,
            event TEXT
        );
        CREATE INDEX session_log_session ON session_log (session_id, id);
        CREATE TABLE session_notes (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id),
            text TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE file_transfers (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            direction TEXT NOT NULL,
            name TEXT NOT NULL,
            size BIGINT NOT NULL,
            phase TEXT NOT NULL,
            md5 TEXT,
            received_md5 TEXT,
            reason TEXT,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX file_transfers_session ON file_transfers (session_id, created_at);
        CREATE TABLE recordings (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            technician_id TEXT NOT NULL REFERENCES technicians(id),
            format TEXT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            ended_at TIMESTAMPTZ,
            bytes BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX recordings_session ON recordings (session_id, started_at);
        CREATE TABLE replies (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            content TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX replies_organisation ON replies (organisation_id, kind, name);
        CREATE TABLE survey_settings (
            scope TEXT NOT NULL,
            scope_id TEXT NOT NULL,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            enabled BIGINT NOT NULL,
            questions TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (scope, scope_id)
        );
        CREATE TABLE survey_responses (
            id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            technician_id TEXT,
            channel_id TEXT,
            questions TEXT NOT NULL,
            sent_at TIMESTAMPTZ NOT NULL,
            answered_at TIMESTAMPTZ,
            answers TEXT
        );
        CREATE INDEX survey_responses_sent ON survey_responses (organisation_id, sent_at);
        CREATE INDEX survey_responses_session ON survey_responses (session_id, sent_at);
        CREATE TABLE calling_cards (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            design TEXT NOT NULL,
            logo_base64 TEXT,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX calling_cards_organisation ON calling_cards (organisation_id, created_at);
        CREATE TABLE two_step (
            technician_id TEXT PRIMARY KEY REFERENCES technicians(id) ON DELETE CASCADE,
            sealed_secret TEXT NOT NULL,
            confirmed BIGINT NOT NULL,
            last_used_counter BIGINT,
            recovery_code_hashes TEXT NOT NULL,
            sms_phone TEXT,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE external_collaborators (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            invited_by TEXT NOT NULL REFERENCES technicians(id),
            name TEXT NOT NULL,
            email TEXT,
            language TEXT NOT NULL,
            approved BIGINT NOT NULL,
            link_token_hash TEXT UNIQUE,
            pin TEXT,
            token_hash TEXT UNIQUE,
            state TEXT NOT NULL,
            state_entered_at TIMESTAMPTZ NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX external_collaborators_session ON external_collaborators (session_id);
        CREATE TABLE audit_log (
            sequence BIGINT PRIMARY KEY,
            at_ms BIGINT NOT NULL,
            organisation_id TEXT,
            actor_id TEXT,
            actor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            object_type TEXT,
            object_id TEXT,
            before TEXT,
            after TEXT,
            source TEXT,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_organisation ON audit_log (organisation_id, at_ms);
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only';
        END;
        $$;
        CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
        """
}
