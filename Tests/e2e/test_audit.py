"""Audit log (A5): append-only in the database, hash-chained; `lifeline-server audit verify` finds a
tampered row even when the tamperer removed the database's guard first."""
import sqlite3
import subprocess

import pytest

from conftest import BIN


def verify(data_dir):
    return subprocess.run([str(BIN / "lifeline-server"), "audit", "verify", "--data-dir", data_dir],
                          capture_output=True, text=True, timeout=60)


def test_verify_passes_then_finds_the_tampered_entry(gateway):
    admin = gateway.login()
    gateway.api("POST", "admin/groups", {"name": "Level 1", "permissions": ["chat"]}, token=admin, expect=201)
    gateway.api("POST", "sessions", {"name": "Ola", "method": "pin"}, token=admin, expect=201)
    gateway.stop()

    result = verify(gateway.data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Audit log intact: 3 entries")

    database = sqlite3.connect(f"{gateway.data_dir}/lifeline.sqlite")
    # The database itself refuses changes to the log…
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        database.execute("UPDATE audit_log SET actor_name = 'nobody' WHERE sequence = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        database.execute("DELETE FROM audit_log WHERE sequence = 3")
    # …and someone who removes that guard is found by the chain.
    database.execute("DROP TRIGGER audit_log_no_update")
    database.execute("UPDATE audit_log SET after = replace(after, 'Level 1', 'Level 9') WHERE action = 'group_created'")
    database.commit()
    database.close()
    result = verify(gateway.data_dir)
    assert result.returncode == 1
    assert "Audit log TAMPERED at entry 2: its content was changed after it was written." in result.stderr


def test_verify_says_when_there_is_no_database(tmp_path):
    result = verify(str(tmp_path))
    assert result.returncode != 0
    assert "There is no Lifeline database" in result.stderr
