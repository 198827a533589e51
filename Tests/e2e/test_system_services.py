"""Services (L3) with a real applet talking sd-bus to a real D-Bus daemon, where python-dbusmock
plays systemd (CI has no systemd as PID 1): the list as systemd reports it, start / stop /
restart with the job's result, enable / disable, a failing start, an unknown service; each change
logged, audited and told to the customer; names checked by the gateway; a machine without
systemd says so; the console's Services view does it in the browser."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import start_active_session
from test_console_session import select_row, sign_in
from test_file_manager import Console
from test_system_info import act, view

MOCK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "systemd_mock.py")
UNITS = {
    "units": [["ssh.service", "OpenBSD Secure Shell server", "active", "running", "enabled"],
              ["cron.service", "Regular background program processing daemon", "active", "running", "enabled"],
              ["broken.service", "A service whose start fails", "inactive", "dead", "disabled"],
              ["dev-sda.device", "A device, not a service", "active", "plugged", ""]],
    "files": [["/lib/systemd/system/cups.service", "disabled"], ["/lib/systemd/system/getty@.service", "enabled"]],
    "failing": ["broken.service"],
    "timers": [["apt-daily.timer", "apt-daily.service", 1_764_800_000_000_000, 1_764_843_200_000_000],
               ["logrotate.timer", "logrotate.service", 1_764_790_000_000_000, 1_764_876_400_000_000],
               ["never.timer", "never.service", 0, 1_764_900_000_000_000]],
}


@pytest.fixture(scope="module")
def systemd_bus():
    """A private bus with the systemd mock on it; its address, for the applet's DBUS_SYSTEM_BUS_ADDRESS."""
    folder = tempfile.mkdtemp(prefix="lifeline-bus-")
    address = f"unix:path={folder}/bus"
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", f"--address={address}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mock = subprocess.Popen(["/usr/bin/python3", "-m", "dbusmock", "--system", "--template", MOCK, "-p", json.dumps(UNITS)],
                            env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address), cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            probe = subprocess.run(["dbus-send", f"--bus={address}", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                                    "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.systemd1"],
                                   capture_output=True, text=True)
            if "boolean true" in probe.stdout:
                break
            assert time.monotonic() < deadline and mock.poll() is None, f"the systemd mock did not start: {probe.stderr}"
            time.sleep(0.1)
        yield address
    finally:
        mock.kill()
        daemon.kill()
        mock.wait()
        daemon.wait()


def open_system_view(browser, gateway, session, name):
    """The console signed in, the session chosen, its System info tab on view `name`; the wait."""
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-system"))).click()
    browser.find_element(By.CSS_SELECTOR, f"#panel-system [data-view='{name}']").click()
    return wait


def bus_env(address):
    # The customer's own manager is left out (no session bus), so the list is the machine's alone.
    return {"DBUS_SYSTEM_BUS_ADDRESS": address, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}


def service(console, name, operation):
    return act(console, {"kind": "service", "name": name, "scope": "system", "operation": operation})


def test_services_listed_changed_logged_and_audited(gateway_for_module, applets, systemd_bus):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Services", env_extra=bus_env(systemd_bus))
    console = Console(gateway, token, session["id"])
    try:
        listed = view(console, "services")
        assert listed["kind"] == "services", listed
        rows = {row["name"]: row for row in listed["services"]}
        # Services only (no device units), loaded ones with their file's state, installed ones not
        # loaded, no template.
        assert sorted(rows) == ["broken.service", "cron.service", "cups.service", "ssh.service"], sorted(rows)
        assert rows["ssh.service"] == {"name": "ssh.service", "scope": "system", "description": "OpenBSD Secure Shell server",
                                       "loadState": "loaded", "activeState": "active", "subState": "running", "enablement": "enabled"}
        assert rows["cups.service"]["loadState"] == "not-loaded" and rows["cups.service"]["enablement"] == "disabled"
        applet.expect("SYSTEM_INFO services")

        # Restart and stop: systemd's job result and the state after it.
        restarted = service(console, "ssh.service", "restart")
        assert restarted["kind"] == "service_changed" and restarted["job"] == "done", restarted
        assert restarted["unit"]["activeState"] == "active"
        applet.expect("SERVICE restart ssh.service done")
        stopped = service(console, "cron.service", "stop")
        assert stopped["job"] == "done" and stopped["unit"]["activeState"] == "inactive" and stopped["unit"]["subState"] == "dead"

        # Enable and disable a service systemd had not loaded.
        enabled = service(console, "cups.service", "enable")
        assert enabled["kind"] == "service_changed" and "job" not in enabled and enabled["unit"]["enablement"] == "enabled", enabled
        assert service(console, "cups.service", "disable")["unit"]["enablement"] == "disabled"

        # A start that fails says so; an unknown service is named as such.
        failed = service(console, "broken.service", "start")
        assert failed["job"] == "failed" and failed["unit"]["activeState"] == "failed", failed
        assert service(console, "nothere.service", "start")["code"] == "no_such_unit"

        # The gateway refuses names that are no service before the applet hears of them.
        for bad in ["../../etc/passwd.service", "ssh", "ssh.service; reboot", "getty@.service", ".service"]:
            assert service(console, bad, "stop") == {"kind": "refused", "code": "bad_request"}, bad

        log = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
        assert "Administrator ran “restart” on the service ssh.service on the customer's computer (done)." in log, log
        assert "Administrator ran “enable” on the service cups.service on the customer's computer (enabled)." in log
        assert "Administrator ran “start” on the service broken.service on the customer's computer (failed)." in log
        audit = [json.loads(entry.get("after") or "{}") for entry in gateway.api("GET", "admin/audit", token=token)[1]
                 if entry["action"] == "customer_system_changed"]
        assert {"operation": "service_stop", "name": "cron.service", "scope": "system", "result": "done", "activeState": "inactive"} in audit, audit
        assert not any(line.startswith("SERVICE") and "nothere" in line for line in applet.seen)
    finally:
        console.close()


def test_the_dashboard_shows_the_timers_run_last(gateway_for_module, applets, systemd_bus):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Timers", env_extra=bus_env(systemd_bus))
    console = Console(gateway, token, session["id"])
    try:
        board = view(console, "dashboard")["dashboard"]
        # Timers that ran, newest first, with what they start and when next; one never run left out.
        assert board["scheduledJobs"] == [
            {"name": "apt-daily.timer", "runs": "apt-daily.service", "lastRun": 1_764_800_000, "nextRun": 1_764_843_200},
            {"name": "logrotate.timer", "runs": "logrotate.service", "lastRun": 1_764_790_000, "nextRun": 1_764_876_400}], board["scheduledJobs"]
        # The latest warnings are this machine's journal's, as journalctl reads it.
        expected = subprocess.run(["journalctl", "--no-pager", "-q", "-p", "warning", "-n", "5", "-o", "json"],
                                  capture_output=True, text=True).stdout.splitlines() if shutil.which("journalctl") else []
        assert len(board["events"]) == len(expected) and all(event["priority"] <= 4 for event in board["events"]), board["events"]
    finally:
        console.close()


@pytest.fixture
def autostart(tmp_path):
    """A system autostart folder with two entries and an empty home, for the applet's
    XDG_CONFIG_DIRS, HOME and XDG_CURRENT_DESKTOP."""
    system = tmp_path / "xdg" / "autostart"
    system.mkdir(parents=True)
    (system / "notes-sync.desktop").write_text("[Desktop Entry]\nType=Application\nName=Notes sync\nExec=/usr/bin/notes-sync\n")
    (system / "kde-only.desktop").write_text("[Desktop Entry]\nName=KDE helper\nExec=kdehelper\nOnlyShowIn=KDE;\n")
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(tmp_path, 0o755)
    return {"XDG_CONFIG_DIRS": str(tmp_path / "xdg"), "HOME": str(home), "XDG_CURRENT_DESKTOP": "GNOME",
            "XDG_CONFIG_HOME": str(home / ".config")}, home


def test_startup_programs_listed_and_turned_off_and_on(gateway_for_module, applets, systemd_bus, autostart):
    gateway = gateway_for_module
    environment, home = autostart
    session, applet, token = start_active_session(gateway, applets, "Startup", env_extra={**bus_env(systemd_bus), **environment})
    console = Console(gateway, token, session["id"])
    try:
        entries = {entry["name"]: entry for entry in view(console, "startup")["startup"]}
        assert entries["notes-sync.desktop"] == {"kind": "autostart", "name": "notes-sync.desktop", "title": "Notes sync",
                                                 "command": "/usr/bin/notes-sync", "scope": "system", "enabled": True}
        assert entries["kde-only.desktop"]["enabled"] is False and entries["kde-only.desktop"]["reason"] == "only_show_in"
        # Services enabled at boot come from systemd (ssh.service is enabled in the mock).
        assert entries["ssh.service"]["kind"] == "service" and entries["ssh.service"]["enabled"] is True
        applet.expect("SYSTEM_INFO startup")

        off = act(console, {"kind": "startup", "entry": "autostart", "name": "notes-sync.desktop", "scope": "system", "enabled": False})
        assert off["kind"] == "startup_changed" and off["entry"]["enabled"] is False and off["entry"]["scope"] == "user", off
        copy = (home / ".config" / "autostart" / "notes-sync.desktop").read_text()
        assert copy.endswith("Exec=/usr/bin/notes-sync\nHidden=true\n"), copy
        applet.expect("STARTUP off notes-sync.desktop")
        on = act(console, {"kind": "startup", "entry": "autostart", "name": "notes-sync.desktop", "scope": "user", "enabled": True})
        assert on["entry"]["enabled"] is True and "Hidden=false" in (home / ".config" / "autostart" / "notes-sync.desktop").read_text()
        refused = act(console, {"kind": "startup", "entry": "autostart", "name": "kde-only.desktop", "scope": "system", "enabled": True})
        assert refused["kind"] == "failed" and refused["code"] == "not_for_this_desktop"
        # A service at startup: disabled through systemd.
        service_off = act(console, {"kind": "startup", "entry": "service", "name": "ssh.service", "scope": "system", "enabled": False})
        assert service_off["kind"] == "startup_changed" and service_off["entry"]["enabled"] is False, service_off
        assert act(console, {"kind": "startup", "entry": "autostart", "name": "../x.desktop", "scope": "user", "enabled": False}) == \
            {"kind": "refused", "code": "bad_request"}
        log = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
        assert "Administrator turned off notes-sync.desktop at startup on the customer's computer." in log, log
        assert "Administrator turned on notes-sync.desktop at startup on the customer's computer." in log
        assert "Administrator turned off ssh.service at startup on the customer's computer." in log
        # Put ssh.service back for the other tests of this module.
        assert service(console, "ssh.service", "enable")["unit"]["enablement"] == "enabled"
    finally:
        console.close()


def test_a_machine_without_systemd_says_so(gateway_for_module, applets):
    gateway = gateway_for_module
    nowhere = f"unix:path=/tmp/lifeline-no-bus-{uuid.uuid4().hex[:8]}"
    session, applet, token = start_active_session(gateway, applets, "No systemd",
                                                  env_extra={"DBUS_SYSTEM_BUS_ADDRESS": nowhere, "DBUS_SESSION_BUS_ADDRESS": nowhere})
    console = Console(gateway, token, session["id"])
    try:
        reply = view(console, "services")
        assert reply["kind"] == "failed" and reply["code"] == "no_systemd", reply
        assert service(console, "ssh.service", "restart")["code"] == "no_systemd"
    finally:
        console.close()


def test_the_console_restarts_a_service(gateway_for_module, applets, systemd_bus, browser):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Services tab", env_extra=bus_env(systemd_bus))
    wait = open_system_view(browser, gateway, session, "services")
    browser.find_element(By.ID, "system-request").click()
    row = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#system-view tr[data-unit='ssh.service']"))
    assert "OpenBSD Secure Shell server" in row.text and "enabled" in row.text
    buttons = browser.find_elements(By.CSS_SELECTOR, "#system-service-actions button")
    assert [button.text for button in buttons] == ["Start", "Stop", "Restart", "Enable", "Disable"]
    assert not any(button.is_enabled() for button in buttons)
    row.click()
    browser.find_element(By.CSS_SELECTOR, "#system-service-actions [data-operation='restart']").click()
    alert = wait.until(EC.alert_is_present())
    assert "ssh.service" in alert.text
    alert.accept()
    wait.until(lambda b: "ssh.service: Restart — done" in b.find_element(By.ID, "system-status").text)
    applet.expect("SERVICE restart ssh.service done")
    # The dashboard lists the timers run last, and the journal's warnings or says there are none.
    browser.find_element(By.CSS_SELECTOR, "#panel-system [data-view='dashboard']").click()
    browser.find_element(By.ID, "system-request").click()
    wait.until(lambda b: "Scheduled jobs run last" in b.find_element(By.ID, "system-view").text)
    text = browser.find_element(By.ID, "system-view").text
    assert "apt-daily.timer" in text and "logrotate.service" in text and "never.timer" not in text, text
    assert "Latest warnings and errors" in text


def test_the_console_turns_a_startup_program_off(gateway_for_module, applets, systemd_bus, autostart, browser):
    gateway = gateway_for_module
    environment, home = autostart
    session, applet, token = start_active_session(gateway, applets, "Startup tab", env_extra={**bus_env(systemd_bus), **environment})
    wait = open_system_view(browser, gateway, session, "startup")
    browser.find_element(By.ID, "system-request").click()
    row = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#system-view tr[data-entry='notes-sync.desktop']"))
    assert "Notes sync" in row.text and "Yes" in row.text
    assert "not for this desktop" in browser.find_element(By.CSS_SELECTOR, "#system-view tr[data-entry='kde-only.desktop']").text
    turn_off = browser.find_element(By.CSS_SELECTOR, "#system-startup-actions [data-enabled='false']")
    assert not turn_off.is_enabled()
    row.click()
    turn_off.click()
    wait.until(lambda b: "Notes sync no longer starts at startup." in b.find_element(By.ID, "system-status").text)
    assert "No (turned off)" in browser.find_element(By.CSS_SELECTOR, "#system-view tr[data-entry='notes-sync.desktop']").text
    assert (home / ".config" / "autostart" / "notes-sync.desktop").read_text().endswith("Hidden=true\n")
    applet.expect("STARTUP off notes-sync.desktop")
