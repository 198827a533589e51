"""Restarting the customer's computer (M1, M3) with a real gateway and a real applet; logind and
systemd are played by python-dbusmock on a private system bus (CI has no systemd as PID 1), whose
call logs say what the applet asked. The customer refuses, then allows; the applet writes its
one-shot return (its copy, the ticket, an autostart entry), asks logind to restart, and the
session is Rebooting. The machine "goes down" (the applet is killed), then the test starts exactly
the command the autostart entry names: the applet removes the entry and the ticket, presents the
ticket once, and the session is back where it was. An emergency restart asks systemd instead; a
safe-mode restart arms a generator that the test runs as systemd would, then starts the applet's
service as that boot would."""
import json
import os
import shlex
import subprocess
import time
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import start_active_session, text_of
from test_console_session import select_row, sign_in
from test_file_manager import Console

def calls(log):
    return open(log).read() if os.path.exists(log) else ""


def bus_env(address):
    # Only the mocked bus: the real one (if any) is never reached.
    return {"DBUS_SYSTEM_BUS_ADDRESS": address, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}


def ask_restart(console, kind):
    request_id = uuid.uuid4().hex
    console.send({"type": "reboot_request", "sessionId": console.session_id, "kind": kind, "requestId": request_id})
    return request_id


def state(gateway, token, session_id):
    return gateway.api("GET", f"sessions/{session_id}", token=token, expect=200)[1]["state"]


def wait_for_state(gateway, token, session_id, wanted, seconds=20):
    deadline = time.monotonic() + seconds
    while (current := state(gateway, token, session_id)) != wanted:
        assert time.monotonic() < deadline, f"the session stayed {current}, never {wanted}"
        time.sleep(0.1)


def customer_home(tmp_path):
    """The customer's home, and where the one-shot return goes in it: (home, entry, ticket file)."""
    home = tmp_path / "home"
    home.mkdir()
    return home, home / ".config" / "autostart" / "lifeline-after-restart.desktop", home / ".local" / "share" / "lifeline" / "after-restart.json"


def start_after_boot(entry, home, address):
    """Starts exactly what the one-shot entry names, as the customer's desktop does after the boot;
    returns the command and the process."""
    command = shlex.split(next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))[len("Exec="):])
    env = dict(os.environ, HOME=str(home), **bus_env(address))
    env.pop("DISPLAY", None)
    return command, subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_refused_then_allowed_the_machine_restarts_and_the_applet_comes_back_by_itself(gateway, applets, power_bus, tmp_path):
    address, logs = power_bus
    home, entry, ticket_file = customer_home(tmp_path)
    session, applet, token = start_active_session(gateway, applets, "Reboot", home=str(home), env_extra=bus_env(address))
    console = Console(gateway, token, session["id"])
    try:
        # The customer says no: nothing is written, nothing is asked of logind.
        ask_restart(console, "normal")
        applet.expect("RESTART_REQUEST", "kind=normal")
        applet.say("/deny restart")
        refused = console.next(lambda m: m["type"] == "reboot_result")
        assert refused["outcome"] == "refused" and refused["sessionId"] == session["id"], refused
        assert not entry.exists() and not ticket_file.exists()
        assert "Reboot" not in calls(logs["logind"])

        # Yes: the return is written first, then logind restarts the machine; the session is Rebooting.
        ask_restart(console, "normal")
        applet.expect("RESTART_REQUEST", "kind=normal")
        applet.say("/allow restart")
        applet.expect("RESTARTING", "kind=normal", timeout=60)
        restarting = console.next(lambda m: m["type"] == "reboot_result", timeout=60)
        assert restarting["outcome"] == "restarting", restarting
        wait_for_state(gateway, token, session["id"], "rebooting")
        assert "Reboot False" in calls(logs["logind"]), calls(logs["logind"])
        assert "Reboot" not in calls(logs["systemd"])
        assert ticket_file.stat().st_mode & 0o777 == 0o600
        ticket = json.loads(ticket_file.read_text())["ticket"]
        text = entry.read_text()
        assert ticket not in text and "X-GNOME-Autostart-enabled=true" in text, text

        # The machine goes down, and the session waits for it.
        applet.kill()
        time.sleep(0.5)
        assert state(gateway, token, session["id"]) == "rebooting"

        # After the boot, the desktop starts exactly what the entry names.
        command, resumed = start_after_boot(entry, home, address)
        try:
            assert command[0] == str(home / ".local" / "share" / "lifeline" / "lifeline-applet") and os.access(command[0], os.X_OK)
            wait_for_state(gateway, token, session["id"], "active", seconds=60)
            assert not entry.exists() and not ticket_file.exists(), "the return runs once"
            gateway.wait_for_log_line(session["id"], "The customer's computer restarted and the applet reconnected.", token)
            # The ticket is spent.
            gateway.api("POST", "customer/resume", {"ticket": ticket}, expect=401)
        finally:
            resumed.kill()
            resumed.wait()
    finally:
        console.close()


def test_an_emergency_restart_asks_systemd_and_needs_administrator_rights(gateway, applets, power_bus, tmp_path):
    address, logs = power_bus
    home, _, _ = customer_home(tmp_path)
    session, applet, token = start_active_session(gateway, applets, "Emergency", home=str(home), env_extra=bus_env(address),
                                                  remote_consent="accept")
    console = Console(gateway, token, session["id"])
    try:
        request_id = ask_restart(console, "emergency")
        if os.geteuid() != 0:
            refused = console.next(lambda m: m["type"] == "error" and m.get("requestId") == request_id)
            assert refused["code"] == "bad_request" and "administrator rights" in refused["message"]
            return
        # As root (as in CI) the applet is elevated: systemd's manager is asked, not logind.
        applet.expect("RESTARTING", "kind=emergency", timeout=60)
        assert console.next(lambda m: m["type"] == "reboot_result", timeout=60)["outcome"] == "restarting"
        assert "Reboot" in calls(logs["systemd"]) and "Reboot" not in calls(logs["logind"])
        wait_for_state(gateway, token, session["id"], "rebooting")
    finally:
        console.close()


def test_the_console_reboot_tab_restarts_and_shows_what_happened(gateway, applets, power_bus, tmp_path, browser):
    address, logs = power_bus
    home, _, _ = customer_home(tmp_path)
    session, applet, token = start_active_session(gateway, applets, "Reboot tab", home=str(home), env_extra=bus_env(address))
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-reboot"))).click()
    panel = browser.find_element(By.ID, "panel-reboot")
    # Safe mode and the emergency restart change how the machine boots: the elevated applet only.
    elevated = os.geteuid() == 0
    assert panel.find_element(By.CSS_SELECTOR, "[data-reboot='safe_mode']").is_enabled() == elevated
    assert panel.find_element(By.CSS_SELECTOR, "[data-reboot='emergency']").is_enabled() == elevated
    panel.find_element(By.CSS_SELECTOR, "[data-reboot='normal']").click()
    wait.until(lambda b: "waiting for the customer" in b.find_element(By.ID, "reboot-status").text)
    applet.expect("RESTART_REQUEST", "kind=normal")
    applet.say("/deny restart")
    wait.until(lambda b: "did not allow the restart" in b.find_element(By.ID, "reboot-status").text)
    panel.find_element(By.CSS_SELECTOR, "[data-reboot='normal']").click()
    applet.expect("RESTART_REQUEST", "kind=normal")
    applet.say("/allow restart")
    applet.expect("RESTARTING", timeout=60)
    wait_for_state(gateway, token, session["id"], "rebooting")
    # The queue shows the state; the tab greys out while the customer's computer is away.
    wait.until(lambda b: "Rebooting" in text_of(b, f"#session-list tr[data-session-id='{session['id']}']"))
    assert "Reboot False" in calls(logs["logind"])


def test_signing_in_by_itself_needs_rights_and_a_known_sign_in_screen(gateway, applets, power_bus, tmp_path):
    address, logs = power_bus
    if os.path.exists("/etc/X11/default-display-manager") or os.path.lexists("/etc/systemd/system/display-manager.service"):
        pytest.skip("this machine has a sign-in screen: the test would change its settings")
    home, _, _ = customer_home(tmp_path)
    session, applet, token = start_active_session(gateway, applets, "Auto sign-in", home=str(home), env_extra=bus_env(address))
    console = Console(gateway, token, session["id"])
    try:
        request_id = uuid.uuid4().hex
        console.send({"type": "reboot_request", "sessionId": session["id"], "kind": "normal", "requestId": request_id, "autoLogin": True})
        if os.geteuid() != 0:
            refused = console.next(lambda m: m["type"] == "error" and m.get("requestId") == request_id)
            assert refused["code"] == "bad_request" and "administrator rights" in refused["message"]
            return
        # As root (CI): asked with the sign-in said, allowed, and refused by the applet — this
        # machine has no GDM or LightDM; nothing is left behind and the system is not asked.
        applet.expect("RESTART_REQUEST", "autoLogin=true")
        applet.say("/allow restart")
        applet.expect("RESTART_FAILED", "not GDM or LightDM")
        failed = console.next(lambda m: m["type"] == "reboot_result")
        assert failed["outcome"] == "failed" and "Nothing was changed" in failed["message"], failed
        assert not (home / ".config" / "autostart" / "lifeline-after-restart.desktop").exists()
        assert not os.path.exists("/etc/systemd/system/lifeline-autologin-restore.path")
        assert "Reboot" not in calls(logs["logind"])
        assert state(gateway, token, session["id"]) == "active"
    finally:
        console.close()


SAFE_MODE_FILES = ["/etc/lifeline/safe-mode.flag", "/etc/systemd/system-generators/lifeline-safe-mode",
                   "/etc/systemd/system/lifeline-safe-mode-resume.service", "/var/lib/lifeline/after-restart.json",
                   "/var/lib/lifeline/lifeline-applet"]


def test_a_safe_mode_restart_boots_minimal_and_the_applet_returns_as_a_service(gateway, applets, power_bus, tmp_path):
    if os.geteuid() != 0 or os.path.exists("/run/systemd/system"):
        pytest.skip("arms the machine's own next boot: only as root in a container without systemd running (as in CI)")
    address, logs = power_bus
    session, applet, token = start_active_session(gateway, applets, "Safe mode", home=str(tmp_path), env_extra=bus_env(address))
    console = Console(gateway, token, session["id"])
    resumed = None
    try:
        ask_restart(console, "safe_mode")
        applet.expect("RESTART_REQUEST", "kind=safe_mode")
        applet.say("/allow restart")
        applet.expect("RESTARTING", "kind=safe_mode", timeout=60)
        assert console.next(lambda m: m["type"] == "reboot_result", timeout=60)["outcome"] == "restarting"
        wait_for_state(gateway, token, session["id"], "rebooting")
        assert "Reboot False" in calls(logs["logind"])
        for path in SAFE_MODE_FILES:
            assert os.path.exists(path), path
        applet.kill()

        # The boot: systemd runs the generator, which makes it multi-user with the applet's service.
        out = tmp_path / "generated"
        for folder in ["normal", "early", "late"]:
            (out / folder).mkdir(parents=True)
        subprocess.run(["sh", "/etc/systemd/system-generators/lifeline-safe-mode", *(str(out / f) for f in ["normal", "early", "late"])], check=True)
        assert os.readlink(out / "early" / "default.target") == "/lib/systemd/system/multi-user.target"
        assert os.readlink(out / "early" / "multi-user.target.wants" / "lifeline-safe-mode-resume.service") == "/etc/systemd/system/lifeline-safe-mode-resume.service"

        # The service, as that boot starts it: its ExecStartPre, then its ExecStart.
        unit = open("/etc/systemd/system/lifeline-safe-mode-resume.service").read().splitlines()
        pre = next(line for line in unit if line.startswith("ExecStartPre="))[len("ExecStartPre="):]
        start = next(line for line in unit if line.startswith("ExecStart="))[len("ExecStart="):]
        subprocess.run(shlex.split(pre), check=True)
        assert not os.path.exists("/etc/lifeline/safe-mode.flag") and not os.path.exists("/etc/systemd/system-generators/lifeline-safe-mode")
        env = dict(os.environ, **bus_env(address))
        env.pop("DISPLAY", None)
        resumed = subprocess.Popen(shlex.split(start), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_state(gateway, token, session["id"], "active", seconds=60)
        gateway.wait_for_log_line(session["id"], "The customer's computer restarted and the applet reconnected.", token)
        # No one is at a desktop in safe mode: the customer's yes covers the technician's work.
        request_id = uuid.uuid4().hex
        console.send({"type": "system_info_request", "sessionId": session["id"], "requestId": request_id, "view": "user"})
        assert console.next(lambda m: m["type"] == "system_info_reply" and m["requestId"] == request_id)["reply"]["kind"] == "user"
    finally:
        if resumed:
            resumed.kill()
            resumed.wait()
        for path in SAFE_MODE_FILES:
            if os.path.exists(path):
                os.unlink(path)
        console.close()
