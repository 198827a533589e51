/// Schema changes in order. A migration once shipped is never edited; add a new one (at the end of
/// `sincePostgres`, with its PostgreSQL twin at the end of `PostgresSchema.all`).
enum Migrations {
    static let all = upToPostgres + sincePostgres

    /// Migrations 1–18: the SQLite file's schema as it stood when PostgreSQL came, which
    /// `PostgresSchema.initial` is in PostgreSQL's types.
    static let upToPostgres: [String] = [
        """
        CREATE TABLE organisations (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE TABLE technician_groups (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            name TEXT NOT NULL,
            permissions TEXT NOT NULL
        );
        CREATE TABLE technicians (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            group_id TEXT REFERENCES technician_groups(id),
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            language TEXT NOT NULL DEFAULT 'en',
            created_at REAL NOT NULL
        );
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            technician_id TEXT NOT NULL REFERENCES technicians(id),
            name TEXT NOT NULL,
            method TEXT NOT NULL,
            pin TEXT UNIQUE,
            link_token_hash TEXT UNIQUE,
            applet_token_hash TEXT UNIQUE,
            state TEXT NOT NULL,
            role TEXT NOT NULL,
            resume_state TEXT,
            created_at REAL NOT NULL,
            state_entered_at REAL NOT NULL,
            held_since REAL,
            last_activity_at REAL NOT NULL,
            customer TEXT,
            closed_at REAL
        );
        CREATE INDEX sessions_live ON sessions(closed_at, created_at);
        CREATE INDEX sessions_technician ON sessions(technician_id, closed_at);
        CREATE TABLE session_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            at REAL NOT NULL,
            kind TEXT NOT NULL,
            author_role TEXT NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            state TEXT
        );
        CREATE INDEX session_log_session ON session_log(session_id, id);
        CREATE TABLE auth_tokens (
            token_hash TEXT PRIMARY KEY,
            technician_id TEXT NOT NULL REFERENCES technicians(id),
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
        // Other technicians' views of a session (a transfer's recipient; later collaborators),
        // and the pending transfer itself.
        """
        CREATE TABLE session_views (
            session_id TEXT NOT NULL REFERENCES sessions(id),
            technician_id TEXT NOT NULL REFERENCES technicians(id),
            state TEXT NOT NULL,
            role TEXT NOT NULL,
            resume_state TEXT,
            created_at REAL NOT NULL,
            state_entered_at REAL NOT NULL,
            held_since REAL,
            last_activity_at REAL NOT NULL,
            PRIMARY KEY (session_id, technician_id)
        );
        CREATE INDEX session_views_technician ON session_views(technician_id);
        ALTER TABLE sessions ADD COLUMN transfer_from TEXT;
        ALTER TABLE sessions ADD COLUMN transfer_to TEXT;
        ALTER TABLE sessions ADD COLUMN transfer_comment TEXT;
        ALTER TABLE sessions ADD COLUMN transfer_at REAL;
        ALTER TABLE sessions ADD COLUMN transferred_by TEXT;
        """,
        // Console options (JSON), per technician.
        """
        ALTER TABLE technicians ADD COLUMN options TEXT;
        """,
        // Channels (F2): up to ten per organisation, each with a public token for its link and form.
        """
        CREATE TABLE channels (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            name TEXT NOT NULL,
            public_token TEXT NOT NULL UNIQUE,
            group_ids TEXT NOT NULL,
            unavailable_message TEXT NOT NULL,
            when_unavailable TEXT NOT NULL,
            working_hours TEXT,
            created_at REAL NOT NULL
        );
        CREATE INDEX channels_organisation ON channels(organisation_id);
        """,
        // Channel sessions (F2) wait in a channel queue with no technician yet, so technician_id
        // becomes nullable; SQLite rebuilds the table for that (foreign keys are off while
        // migrating and checked after). Custom field values (C3) are JSON.
        """
        CREATE TABLE sessions_rebuilt (
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
            created_at REAL NOT NULL,
            state_entered_at REAL NOT NULL,
            held_since REAL,
            last_activity_at REAL NOT NULL,
            customer TEXT,
            closed_at REAL,
            transfer_from TEXT,
            transfer_to TEXT,
            transfer_comment TEXT,
            transfer_at REAL,
            transferred_by TEXT,
            channel_id TEXT,
            fields TEXT
        );
        INSERT INTO sessions_rebuilt (id, organisation_id, technician_id, name, method, pin, link_token_hash,
            applet_token_hash, state, role, resume_state, created_at, state_entered_at, held_since, last_activity_at,
            customer, closed_at, transfer_from, transfer_to, transfer_comment, transfer_at, transferred_by)
        SELECT id, organisation_id, technician_id, name, method, pin, link_token_hash, applet_token_hash, state, role,
            resume_state, created_at, state_entered_at, held_since, last_activity_at, customer, closed_at, transfer_from,
            transfer_to, transfer_comment, transfer_at, transferred_by FROM sessions;
        DROP TABLE sessions;
        ALTER TABLE sessions_rebuilt RENAME TO sessions;
        CREATE INDEX sessions_live ON sessions(closed_at, created_at);
        CREATE INDEX sessions_technician ON sessions(technician_id, closed_at);
        """,
        """
        CREATE TABLE recordings (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            technician_id TEXT NOT NULL REFERENCES technicians(id),
            format TEXT NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            bytes INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX recordings_session ON recordings(session_id, started_at);
        """,
        """
        CREATE TABLE file_transfers (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            direction TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            phase TEXT NOT NULL,
            md5 TEXT,
            received_md5 TEXT,
            reason TEXT,
            created_at REAL NOT NULL
        );
        CREATE INDEX file_transfers_session ON file_transfers(session_id, created_at);
        """,
        """
        CREATE TABLE replies (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            content TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX replies_organisation ON replies(organisation_id, kind, name);
        """,
        """
        CREATE TABLE session_notes (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id),
            text TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX sessions_device ON sessions(organisation_id, json_extract(customer, '$.deviceId'));
        """,
        """
        CREATE TABLE survey_settings (
            scope TEXT NOT NULL,
            scope_id TEXT NOT NULL,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            enabled INTEGER NOT NULL,
            questions TEXT NOT NULL,
            updated_at REAL NOT NULL,
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
            sent_at REAL NOT NULL,
            answered_at REAL,
            answers TEXT
        );
        CREATE INDEX survey_responses_session ON survey_responses(session_id, sent_at);
        CREATE INDEX survey_responses_sent ON survey_responses(organisation_id, sent_at);
        """,
        """
        ALTER TABLE sessions ADD COLUMN chat_disabled INTEGER NOT NULL DEFAULT 0;
        """,
        """
        CREATE TABLE calling_cards (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            design TEXT NOT NULL,
            logo_base64 TEXT,
            created_at REAL NOT NULL
        );
        CREATE INDEX calling_cards_organisation ON calling_cards(organisation_id, created_at);
        """,
        """
        CREATE TABLE audit_log (
            sequence INTEGER PRIMARY KEY,
            at_ms INTEGER NOT NULL,
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
        CREATE INDEX audit_log_organisation ON audit_log(organisation_id, at_ms);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
        """
        CREATE TABLE two_step (
            technician_id TEXT PRIMARY KEY REFERENCES technicians(id) ON DELETE CASCADE,
            sealed_secret TEXT NOT NULL,
            confirmed INTEGER NOT NULL,
            last_used_counter INTEGER,
            recovery_code_hashes TEXT NOT NULL,
            sms_phone TEXT,
            created_at REAL NOT NULL
        );
        """,
        """
        ALTER TABLE technician_groups ADD COLUMN parent_id TEXT REFERENCES technician_groups(id);
        ALTER TABLE technicians ADD COLUMN managed_group_ids TEXT;
        ALTER TABLE technicians ADD COLUMN deleted_at REAL;
        """,
        """
        CREATE INDEX sessions_organisation_created ON sessions(organisation_id, created_at);
        """,
        """
        CREATE TABLE external_collaborators (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            invited_by TEXT NOT NULL REFERENCES technicians(id),
            name TEXT NOT NULL,
            email TEXT,
            language TEXT NOT NULL,
            approved INTEGER NOT NULL,
            link_token_hash TEXT UNIQUE,
            pin TEXT,
            token_hash TEXT UNIQUE,
            state TEXT NOT NULL,
            state_entered_at REAL NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX external_collaborators_session ON external_collaborators(session_id);
        """,
        """
        ALTER TABLE session_log ADD COLUMN event TEXT;
        """,
    ]
}
