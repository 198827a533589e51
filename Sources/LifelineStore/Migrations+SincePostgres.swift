extension Migrations {
    /// Migrations 19 on: each has its twin in `PostgresSchema.all`, from its second script on.
    static let sincePostgres: [String] = [
        // 19: sessions carry a version; a write names the version it read (optimistic concurrency).
        """
        ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        """,
        // 20: the audit log's head, moved by a trigger with each entry (one statement, one
        // transaction): a log cut short or an entry lost shows.
        """
        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            sequence INTEGER NOT NULL,
            hash TEXT NOT NULL,
            lost INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO audit_head (id, sequence, hash) SELECT 1, sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1;
        CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log BEGIN
            INSERT OR REPLACE INTO audit_head (id, sequence, hash, lost)
                VALUES (1, NEW.sequence, NEW.hash, COALESCE((SELECT lost FROM audit_head WHERE id = 1), 0));
        END;
        """,
        // 21: how a session ended, for the history (issue 15): kept when it leaves the queue.
        """
        ALTER TABLE sessions ADD COLUMN end_reason TEXT;
        """,
        // 22: script libraries (N1): each technician's, and the ones embedded for a group (R4).
        """
        CREATE TABLE scripts (
            id TEXT PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations(id),
            owner_id TEXT REFERENCES technicians(id) ON DELETE CASCADE,
            group_id TEXT REFERENCES technician_groups(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            favourite INTEGER NOT NULL DEFAULT 0,
            definition TEXT NOT NULL,
            script_sha256 TEXT NOT NULL,
            resource_base64 TEXT,
            resource_sha256 TEXT,
            resource_size INTEGER,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX scripts_owner ON scripts(owner_id, position);
        CREATE INDEX scripts_group ON scripts(group_id, position);
        """,
        // 23: resume tickets (M1–M3): the applet of a restarting machine rejoins with one, once.
        """
        CREATE TABLE resume_tickets (
            ticket_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            expires_at REAL NOT NULL
        );
        CREATE INDEX resume_tickets_session ON resume_tickets(session_id);
        """,
        // 24: unattended computers (F5) and their one-time enrolments.
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
            approved_at REAL NOT NULL,
            last_seen_at REAL,
            created_at REAL NOT NULL
        );
        CREATE INDEX devices_technician ON devices(technician_id);
        CREATE INDEX devices_group ON devices(group_id);
        CREATE TABLE device_enrolments (
            token_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            technician_id TEXT NOT NULL,
            rules TEXT NOT NULL,
            expires_at REAL NOT NULL
        );
        """,
        // 25: LAN connectors (F4): the subnets an administrator lets a computer's agent check; NULL when it is none.
        "ALTER TABLE devices ADD COLUMN lan_subnets TEXT",
        // 26: gateway nodes and session leases (issue 20): which gateway holds each live session, on the database's clock.
        """
        CREATE TABLE gateway_nodes (
            id TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            started_at REAL NOT NULL,
            heartbeat_at REAL NOT NULL
        );
        CREATE TABLE session_leases (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            node_id TEXT NOT NULL,
            fencing INTEGER NOT NULL
        );
        CREATE INDEX session_leases_node ON session_leases(node_id);
        """,
        // 27: failures every node counts (issue 20): wrong PINs and links, failed and successful sign-ins, on the database's clock.
        """
        CREATE TABLE shared_failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            node_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX shared_failures_at ON shared_failures(at);
        """,
        // 28: each gateway node's part of a technician's presence (issue 20); times on the node's clock.
        """
        CREATE TABLE technician_presence (
            technician_id TEXT NOT NULL,
            node_id TEXT NOT NULL,
            organisation_id TEXT NOT NULL,
            open_consoles INTEGER NOT NULL,
            manually_away INTEGER NOT NULL,
            away_changed_at REAL,
            last_activity_at REAL NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (technician_id, node_id)
        );
        """,
        // 29: a colleague invited into a session (I1): who invited them, the permissions chosen (JSON; null: their group's), the comment.
        """
        ALTER TABLE session_views ADD COLUMN invited_by TEXT;
        ALTER TABLE session_views ADD COLUMN permissions TEXT;
        ALTER TABLE session_views ADD COLUMN comment TEXT;
        """,
        // 30: the lead offered this colleague the lead role (I3); it waits for them to accept.
        """
        ALTER TABLE session_views ADD COLUMN lead_offered INTEGER NOT NULL DEFAULT 0;
        """,
        // 31: the session's type (Q1: standard or Lens) and the customer's device picked by hand (P1; null: decided by the page).
        """
        ALTER TABLE sessions ADD COLUMN session_type TEXT NOT NULL DEFAULT 'standard';
        ALTER TABLE sessions ADD COLUMN platform TEXT;
        """,
    ]
}
