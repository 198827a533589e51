"""The event viewer (L8) with a real applet reading this machine's journal through sd-journal: a
journal file the test writes with systemd-journal-remote into /run/log/journal (where journald
keeps its volatile files, so the applet's live code path reads it) holds 750 entries across the
three logs, none a warning (the dashboard's warnings, checked by another module meanwhile, stay
as they are). The security log is searched, paged with its cursor, filtered by priority; the console's
Events view shows the tabs, sorts and loads older entries."""
import os
import subprocess
import time
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import start_active_session
from test_file_manager import Console
from test_system_info import view
from test_system_services import open_system_view

REMOTE = "/lib/systemd/systemd-journal-remote"
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="writing a journal file where journald keeps them needs root (CI runs as root)")


def this_machine():
    """/etc/machine-id, which sd-journal's local journals are kept under; a fresh container may have
    none yet (systemd's package makes one when it is installed as the system's)."""
    try:
        machine = open("/etc/machine-id").read().strip()
    except FileNotFoundError:
        machine = ""
    if not machine:
        machine = uuid.uuid4().hex
        with open("/etc/machine-id", "w") as out:
            out.write(machine + "\n")
    return machine


@pytest.fixture(scope="module")
def planted_journal():
    """750 entries, a third each for the system, security and application logs, all carrying a
    marker; returns the marker. The file is removed afterwards."""
    marker = f"lifeline{uuid.uuid4().hex[:10]}"
    machine = this_machine()
    folder = f"/run/log/journal/{machine}"
    os.makedirs(folder, exist_ok=True)
    path = f"{folder}/lifeline-e2e-{marker}.journal"
    now = int(time.time() * 1_000_000)
    lines = []
    for index in range(750):
        lines += [f"__REALTIME_TIMESTAMP={now - (750 - index) * 1_000_000}", f"__MONOTONIC_TIMESTAMP={1000 + index}",
                  "_BOOT_ID=0123456789abcdef0123456789abcdef", f"_MACHINE_ID={machine}", "_HOSTNAME=customer-pc"]
        kind = index % 3
        if kind == 0:
            lines += ["_TRANSPORT=kernel", "SYSLOG_IDENTIFIER=kernel", "PRIORITY=6", f"MESSAGE=usb 1-{index}: {marker} device reset"]
        elif kind == 1:
            priority = 5 if index % 10 == 1 else 6
            lines += ["SYSLOG_FACILITY=10", "SYSLOG_IDENTIFIER=sshd", "_UID=0", f"PRIORITY={priority}",
                      f"MESSAGE={'Failed password' if priority == 5 else 'Accepted publickey'} for user{index} {marker}"]
        else:
            lines += ["SYSLOG_IDENTIFIER=editor", f"_UID={os.getuid()}", "PRIORITY=6", f"MESSAGE=saved notes {index} {marker}"]
        lines.append("")
    export = f"/tmp/{marker}.export"
    with open(export, "w") as out:
        out.write("\n".join(lines) + "\n")
    subprocess.run([REMOTE, f"--output={path}", export], check=True, capture_output=True)
    os.unlink(export)
    try:
        yield marker
    finally:
        os.unlink(path)


def events(console, log, marker, **query):
    return view(console, "events", events={"log": log, "text": marker, **query})["events"]


def test_the_security_log_searched_paged_and_filtered(gateway_for_module, applets, planted_journal):
    gateway = gateway_for_module
    marker = planted_journal
    session, applet, token = start_active_session(gateway, applets, "Event viewer")
    console = Console(gateway, token, session["id"])
    try:
        first = events(console, "security", marker, maximumPriority=7, limit=100)
        assert len(first["entries"]) == 100 and first["next"] and first["source"] == "journal", first["next"]
        assert all(entry["source"] == "sshd" and entry["user"] == "root" for entry in first["entries"])
        times = [entry["time"] for entry in first["entries"]]
        assert times == sorted(times, reverse=True), "newest first"
        second = events(console, "security", marker, maximumPriority=7, limit=100, before=first["next"])
        third = events(console, "security", marker, maximumPriority=7, limit=100, before=second["next"])
        assert len(second["entries"]) == 100 and len(third["entries"]) == 50 and third.get("next") is None
        seen = [entry["message"] for page in (first, second, third) for entry in page["entries"]]
        assert len(set(seen)) == 250, "every security entry once across the pages"
        # Notices and worse: the failed passwords (one in ten of the security entries' indexes).
        failed = events(console, "security", marker, maximumPriority=5, limit=500)["entries"]
        assert len(failed) == 25 and all(entry["message"].startswith("Failed password") and entry["priority"] == 5 for entry in failed)
        assert len(events(console, "system", marker, maximumPriority=7, limit=500)["entries"]) == 250
        assert len(events(console, "application", marker, maximumPriority=7, limit=500)["entries"]) == 250
        assert events(console, "application", f"{marker} notes 749", limit=10)["entries"][0]["message"] == f"saved notes 749 {marker}"
        applet.expect("SYSTEM_INFO events")
    finally:
        console.close()


def test_the_console_shows_the_three_logs_and_older_entries(gateway_for_module, applets, planted_journal, browser):
    gateway = gateway_for_module
    marker = planted_journal
    session, applet, token = start_active_session(gateway, applets, "Events tab")
    wait = open_system_view(browser, gateway, session, "events")
    assert browser.find_element(By.ID, "system-event-controls").is_displayed()
    finder = browser.find_element(By.ID, "system-event-text")
    finder.send_keys(marker)
    browser.find_element(By.CSS_SELECTOR, "#system-event-controls [data-log='security']").click()
    wait.until(lambda b: "200 entries shown" in b.find_element(By.ID, "system-view").text)
    rows = browser.find_elements(By.CSS_SELECTOR, "#system-view tbody tr")
    assert len(rows) == 200 and all("sshd" in row.text for row in rows[:5])
    older = browser.find_element(By.ID, "system-event-older")
    assert older.is_displayed()
    older.click()
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#system-view tbody tr")) == 250)
    # Sorted by priority, the notices come first when the order is turned round.
    browser.find_element(By.CSS_SELECTOR, "#system-view [data-sort='priority']").click()
    browser.find_element(By.CSS_SELECTOR, "#system-view [data-sort='priority']").click()
    first = browser.find_element(By.CSS_SELECTOR, "#system-view tbody tr").text
    assert "Failed password" in first and "Notice" in first, first
    # The application log, searched again with Enter.
    browser.find_element(By.CSS_SELECTOR, "#system-event-controls [data-log='application']").click()
    wait.until(lambda b: "editor" in b.find_element(By.CSS_SELECTOR, "#system-view tbody tr").text)
    finder.send_keys(Keys.END, " 749", Keys.ENTER)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#system-view tbody tr")) == 1)
    assert f"saved notes 749 {marker}" in browser.find_element(By.CSS_SELECTOR, "#system-view tbody tr").text
