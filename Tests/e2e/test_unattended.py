"""Unattended access (F5) with real parts: the technician's request over the console's socket, the
customer's yes in a real applet run by an unprivileged account, the agent it installs and starts
(its own key pair, the gateway's key pinned), the computer online in the Computers list, and the
agent gone again — removed from the list by the technician, or uninstalled by the customer."""
import json
import os
import sqlite3
import pwd
import shutil
import stat
import subprocess
import tempfile
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import BIN, start_active_session, text_of
from test_applet_window import desktop, find_window, open_window, press  # noqa: F401 (desktop is a fixture)
from test_console_session import select_row, sign_in
from test_file_manager import Console

USER = "lifeline-unattended"
# The account's password: the rules below ask the technician for it at each connection (checked by PAM).
PASSWORD = "Unattended-Pass-4821"
CREDENTIALS = {"username": USER, "password": PASSWORD}

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"),
                                reason="needs root and useradd to run the applet in a customer's own account")

RULES = {"credentials": "at_each_connection", "period": {"days": {"_0": 7}}, "dailyStart": 540, "dailyEnd": 1020,
         "timeZone": "Europe/Paris", "clock": "customer"}


def stop_everything_of(user):
    """Ends the account's processes (left by an earlier, interrupted run too): its home can move."""
    subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
    wait_until(lambda: subprocess.run(["pgrep", "-u", user], capture_output=True).returncode != 0, what=f"{user}'s processes end")


def customer_account(user):
    """An unprivileged account, a home of its own, and a copy of the applet it may run."""
    if subprocess.run(["id", user], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--no-create-home", user], check=True)
    stop_everything_of(user)
    subprocess.run(["chpasswd"], input=f"{user}:{PASSWORD}\n", text=True, check=True)
    home = tempfile.mkdtemp(prefix=f"{user}-home-")
    # runuser gives the program the account's own HOME: this test's folder.
    subprocess.run(["usermod", "--home", home, user], check=True)
    account = pwd.getpwnam(user)
    os.chown(home, account.pw_uid, account.pw_gid)
    folder = tempfile.mkdtemp(prefix=f"{user}-bin-")
    os.chmod(folder, 0o755)
    binary = os.path.join(folder, "lifeline-applet")
    shutil.copy(BIN / "lifeline-applet", binary)
    os.chmod(binary, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    yield home, binary
    subprocess.run(["pkill", "-u", user], capture_output=True)
    if os.environ.get("KEEPDBG"):
        return
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def customer():
    yield from customer_account(USER)


def agents(user=USER):
    """The agent processes the customer's account runs."""
    lines = subprocess.run(["ps", "-ww", "-u", user, "-o", "pid=,args="], capture_output=True, text=True).stdout.splitlines()
    return [line for line in lines if "--agent" in line]


def computers(gateway, token):
    return gateway.api("GET", "computers", token=token, expect=200)[1]


def wait_until(condition, timeout=15, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} never held")


def approve(gateway, applets, home, binary, name, rules=RULES, user=USER):
    session, applet, token = start_active_session(gateway, applets, name, user=user, binary=binary, home=home, cwd=home)
    console = Console(gateway, token, session["id"])
    console.send({"type": "unattended_request", "sessionId": session["id"], "rules": rules})
    applet.expect("UNATTENDED_REQUEST", 'technician="Administrator"')
    if rules is RULES:
        line = applet.seen[-1]
        assert "days=7" in line and "hours=09:00-17:00" in line and 'zone="Europe/Paris"' in line and "credentials=at_each_connection" in line
    applet.say("/allow unattended")
    computer_id = applet.expect("UNATTENDED_APPROVED", timeout=20).split("computer=")[1].strip()
    result = console.next(lambda m: m["type"] == "unattended_result")
    assert result["outcome"] == "enrolled" and result["computerId"] == computer_id
    return computer_id, applet, token


def test_an_approved_computer_gets_an_agent_that_shows_online_and_leaves_when_uninstalled(gateway, applets, customer):
    home, binary = customer
    computer_id, applet, token = approve(gateway, applets, home, binary, "Unattended")

    # What stays on the computer: the agent's settings for the customer only, its copy, its autostart entry.
    settings = os.path.join(home, ".local/share/lifeline/agent.json")
    entry = os.path.join(home, ".config/autostart/lifeline-agent.desktop")
    status = os.stat(settings)
    assert stat.S_IMODE(status.st_mode) == 0o600 and status.st_uid == pwd.getpwnam(USER).pw_uid
    saved = json.load(open(settings))
    assert saved["deviceId"] == computer_id and saved["rules"]["timeZone"] == "Europe/Paris"
    assert saved["gatewayKey"] and saved["privateKey"], "its own key, and the gateway's pinned"
    copy = os.path.join(home, ".local/share/lifeline/lifeline-applet")
    assert f'Exec="{copy}" "--agent" "{settings}"' in open(entry).read()

    # The agent runs in a session of its own and proves its key: the computer is online.
    log = os.path.join(home, ".local/share/lifeline/agent.log")
    wait_until(lambda: agents(), what="the agent runs")
    wait_until(lambda: "Online for unattended access" in open(log).read(), what="the agent's log says it is online")
    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")
    # The session ends; the agent stays.
    applet.kill()
    time.sleep(1)
    assert agents() and computers(gateway, token)[0]["online"]

    # The customer uninstalls it: the computer leaves the list, the agent stops, its files go.
    removed = subprocess.run(["runuser", "-u", USER, "--", binary, "--uninstall-agent"], env={**os.environ, "HOME": home},
                             cwd=home, capture_output=True, text=True, timeout=30)
    assert removed.returncode == 0 and "and from the technician's list" in removed.stdout, removed
    assert computers(gateway, token) == []
    wait_until(lambda: not agents(), what="the agent stops")
    assert not os.path.exists(settings) and not os.path.exists(entry)
    audit = gateway.api("GET", "admin/audit", token=token, expect=200)[1]
    assert any(e["action"] == "unattended_removed" and e["objectId"] == computer_id and e["actor"] == "customer" for e in audit)


def test_a_computer_removed_from_the_list_uninstalls_its_agent(gateway, applets, customer):
    home, binary = customer
    computer_id, applet, token = approve(gateway, applets, home, binary, "Removed")
    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")
    gateway.api("DELETE", f"computers/{computer_id}", token=token, expect=204)
    wait_until(lambda: not agents(), what="the agent stops")
    assert not os.path.exists(os.path.join(home, ".local/share/lifeline/agent.json"))
    assert not os.path.exists(os.path.join(home, ".config/autostart/lifeline-agent.desktop"))
    applet.kill()


def ask_for_access(gateway, applets, customer, name, rules):
    """A session with a real applet in the customer's account, and the technician's request for
    unattended access with `rules`, as the applet printed it; returns the session, applet, token and console."""
    home, binary = customer
    session, applet, token = start_active_session(gateway, applets, name, user=USER, binary=binary, home=home, cwd=home)
    console = Console(gateway, token, session["id"])
    console.send({"type": "unattended_request", "sessionId": session["id"], "rules": rules})
    applet.expect("UNATTENDED_REQUEST")
    return session, applet, token, console


def test_the_customer_who_says_no_gets_no_agent(gateway, applets, customer):
    home, _ = customer
    session, applet, token, console = ask_for_access(gateway, applets, customer, "No agent", RULES)
    applet.say("/deny unattended")
    applet.expect("UNATTENDED_REFUSED")
    assert console.next(lambda m: m["type"] == "unattended_result")["outcome"] == "refused"
    assert computers(gateway, token) == [] and not agents()
    assert not os.path.exists(os.path.join(home, ".local/share/lifeline/agent.json"))
    applet.kill()


ANY_HOUR = {"credentials": "at_each_connection", "period": {"days": {"_0": 7}}, "timeZone": "UTC", "clock": "customer"}
OWN_CREDENTIALS = dict(ANY_HOUR, credentials="customer_at_setup")


def test_the_technician_connects_while_the_customer_is_away(gateway, applets, customer):
    home, binary = customer
    computer_id, applet, token = approve(gateway, applets, home, binary, "Away", rules=ANY_HOUR)
    applet.kill()
    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")
    # The customer chose credentials at each connection: the computer's PAM checks them.
    status, body = gateway.api("POST", f"computers/{computer_id}/connect", {"username": USER, "password": "not it"}, token=token)
    assert status == 403 and body["error"]["code"] == "credentials_refused", body
    status, body = gateway.api("POST", f"computers/{computer_id}/connect", token=token)
    assert status == 400 and "user name and password" in body["error"]["message"], body
    connection = gateway.api("POST", f"computers/{computer_id}/connect", CREDENTIALS, token=token, expect=201)[1]
    # The agent started the applet with the session's link: the customer's side joins by itself.
    session_id = connection["sessionId"]
    deadline = time.time() + 20
    while time.time() < deadline and gateway.api("GET", f"sessions/{session_id}", token=token)[1]["state"] != "waiting":
        time.sleep(0.2)
    gateway.api("POST", f"sessions/{session_id}/start", token=token, expect=200)
    assert gateway.api("GET", f"sessions/{session_id}", token=token)[1]["state"] == "active"
    texts = [e["text"] for e in gateway.api("GET", f"sessions/{session_id}/log", token=token)[1]]
    assert any("connected to" in t and "with unattended access" in t for t in texts), texts
    log = open(os.path.join(home, ".local/share/lifeline/agent.log")).read()
    assert "A technician connected with unattended access" in log and f"session={session_id}" in log


def test_the_agent_keeps_to_the_approved_hours_even_when_the_gateway_would_not(gateway, applets, customer):
    """The customer approved an hour that is not now; a database edited to drop the hours (a
    compromised gateway) makes the gateway ask, and the agent, with its own copy, says no."""
    home, binary = customer
    now = time.gmtime()
    start = ((now.tm_hour + 2) % 24) * 60
    later = dict(ANY_HOUR, dailyStart=start, dailyEnd=(start + 60) % 1440)
    computer_id, applet, token = approve(gateway, applets, home, binary, "Hours", rules=later)
    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")
    status, body = gateway.api("POST", f"computers/{computer_id}/connect", CREDENTIALS, token=token)
    assert status == 409 and body["error"]["code"] == "outside_approved_hours" and body["error"]["message"].startswith("Not now")

    database = sqlite3.connect(os.path.join(gateway.data_dir, "lifeline.sqlite"))
    rules = json.loads(database.execute("SELECT rules FROM devices WHERE id = ?", (computer_id,)).fetchone()[0])
    rules.pop("dailyStart"), rules.pop("dailyEnd")
    database.execute("UPDATE devices SET rules = ? WHERE id = ?", (json.dumps(rules), computer_id))
    database.commit()
    database.close()
    status, body = gateway.api("POST", f"computers/{computer_id}/connect", CREDENTIALS, token=token)
    assert status == 409 and body["error"]["code"] == "outside_approved_hours", body
    assert body["error"]["message"].startswith("The computer's agent refused"), body
    assert "refused" in open(os.path.join(home, ".local/share/lifeline/agent.log")).read()
    applet.kill()


def test_in_the_console_ask_for_access_then_connect_from_the_computers_list(gateway, applets, customer, browser):
    """The technician's side in the browser: the Unattended tab asks, the applet's yes shows there;
    the Computers dialog lists the computer online, filters it, connects (the new session is
    selected in the queue) and removes it."""
    home, binary = customer
    session, applet, token = start_active_session(gateway, applets, "Console", user=USER, binary=binary, home=home, cwd=home)
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-unattended"))).click()
    panel = browser.find_element(By.ID, "panel-unattended")
    days = panel.find_element(By.ID, "unattended-days")
    days.clear()
    days.send_keys("3")
    panel.find_element(By.ID, "unattended-ask").click()
    line = applet.expect("UNATTENDED_REQUEST", 'technician="Administrator"')
    assert "days=3" in line and "credentials=at_each_connection" in line and "hours=" not in line
    applet.say("/allow unattended")
    computer_id = applet.expect("UNATTENDED_APPROVED", timeout=20).split("computer=")[1].strip()
    wait.until(lambda b: "the computer is in your Computers list" in b.find_element(By.ID, "unattended-status").text)
    applet.kill()
    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")

    browser.find_element(By.ID, "computers").click()
    dialog = browser.find_element(By.ID, "computers-dialog")
    row = f"#computers-rows tr[data-computer-id='{computer_id}']"
    wait.until(lambda b: "Online" in text_of(b, row))
    assert "3 days" in text_of(browser, row) and "any time of day" in text_of(browser, row)
    dialog.find_element(By.ID, "computers-filter").send_keys("no such name")
    wait.until(lambda b: not b.find_elements(By.CSS_SELECTOR, row))
    dialog.find_element(By.ID, "computers-filter").clear()
    dialog.find_element(By.ID, "computers-refresh").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, f"#computers-rows:not([aria-busy]) tr[data-computer-id='{computer_id}']"))
    browser.find_element(By.CSS_SELECTOR, f"{row} button[data-action='connect']").click()
    # The customer chose credentials at each connection: the dialog asks for the computer's account.
    wait.until(lambda b: b.find_element(By.ID, "computer-credentials").is_displayed())
    assert "asks for one of its accounts" in browser.find_element(By.ID, "computer-credentials-for").text
    browser.find_element(By.ID, "computer-username").send_keys(USER)
    browser.find_element(By.ID, "computer-password").send_keys(PASSWORD)
    browser.find_element(By.ID, "computer-connect").click()
    wait.until(lambda b: "the session is in your queue" in b.find_element(By.ID, "computers-line").text)
    dialog.find_element(By.ID, "computers-close").click()
    # The new session is the technician's and selected; its customer's side joins by itself.
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#session-list tr[aria-selected=\"true\"]")
               and "Waiting" in text_of(b, "#session-list tr[aria-selected=\"true\"]"))

    browser.find_element(By.ID, "computers").click()
    # Reopened, the dialog shows its last list until the new one comes: act on the new one.
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, f"#computers-rows:not([aria-busy]) tr[data-computer-id='{computer_id}']"))
    browser.find_element(By.CSS_SELECTOR, f"{row} button[data-action='remove']").click()
    browser.switch_to.alert.accept()
    wait.until(lambda b: "was removed" in b.find_element(By.ID, "computers-line").text)
    assert computers(gateway, token) == []
    wait_until(lambda: not agents(), what="the agent stops")


def files_holding(folder, secret):
    """Every file under `folder` whose bytes hold `secret`."""
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as handle:
                    if secret.encode() in handle.read():
                        found.append(path)
            except OSError:
                pass
    return found


def test_with_the_customers_own_credentials_the_yes_takes_their_password_and_nothing_keeps_it(gateway, applets, customer):
    """The customer's own credentials entered at setup: after the yes the applet asks the password of
    the customer's account, which the computer's PAM checks (a wrong one is asked again); the agent
    is installed only then, the technician connects without typing any, and no file keeps it."""
    home, _ = customer
    session, applet, token, console = ask_for_access(gateway, applets, customer, "Own credentials", OWN_CREDENTIALS)
    assert "credentials=customer_at_setup" in applet.seen[-1]
    applet.say("/allow unattended")
    assert "attempts=3" in applet.expect("UNATTENDED_PASSWORD", f'account="{USER}"')
    applet.say("not the password")
    assert "attempts=2" in applet.expect("UNATTENDED_PASSWORD_REFUSED", f'account="{USER}"', timeout=20)
    assert not os.path.exists(os.path.join(home, ".local/share/lifeline/agent.json")), "nothing before the right password"
    applet.say(PASSWORD)
    computer_id = applet.expect("UNATTENDED_APPROVED", timeout=20).split("computer=")[1].strip()
    assert console.next(lambda m: m["type"] == "unattended_result")["outcome"] == "enrolled"
    # The password was not chat: the session's log never saw it.
    texts = [e["text"] for e in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
    assert not any(PASSWORD in t or "not the password" in t for t in texts), texts
    applet.kill()

    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")
    connection = gateway.api("POST", f"computers/{computer_id}/connect", token=token, expect=201)[1]
    wait_until(lambda: gateway.api("GET", f"sessions/{connection['sessionId']}", token=token)[1]["state"] == "waiting",
               timeout=20, what="the unattended session waits")
    assert files_holding(home, PASSWORD) == [] and files_holding(gateway.data_dir, PASSWORD) == []


def test_three_wrong_passwords_refuse_the_access(gateway, applets, customer):
    session, applet, token, console = ask_for_access(gateway, applets, customer, "Wrong thrice", OWN_CREDENTIALS)
    applet.say("/allow unattended")
    applet.expect("UNATTENDED_PASSWORD")
    for attempt in range(3):
        applet.say(f"wrong {attempt}")
        if attempt < 2:
            applet.expect("UNATTENDED_PASSWORD_REFUSED", f"attempts={2 - attempt}", timeout=20)
    applet.expect("UNATTENDED_REFUSED", timeout=20)
    assert console.next(lambda m: m["type"] == "unattended_result")["outcome"] == "refused"
    assert computers(gateway, token) == [] and not agents()
    applet.kill()


def test_in_the_window_the_password_goes_in_a_hidden_field(gateway, applets, customer, desktop):
    """The customer's own credentials in the applet's window: after *Allow unattended access* the
    window asks the account's password in a hidden field; Enter gives it to the computer's PAM."""
    home, binary = customer
    session, applet, token, window = open_window(gateway, applets, desktop, "Window password", home=home, user=USER, binary=binary, cwd=home)
    press(desktop, window, "alt+a")
    gateway.wait_for_state(session["id"], "waiting", token)
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    console = Console(gateway, token, session["id"])
    console.send({"type": "unattended_request", "sessionId": session["id"], "rules": OWN_CREDENTIALS})
    question = find_window(desktop, "a request from your technician")
    press(desktop, question, "alt+u")
    wait_until(lambda: subprocess.run(["xdotool", "getwindowname", question], capture_output=True, env={**os.environ, "DISPLAY": desktop.display}).returncode != 0,
               what="the question closes")
    asked = find_window(desktop, "a request from your technician")
    desktop.output("xdotool", "windowactivate", "--sync", asked)
    desktop.output("xdotool", "type", "--delay", "15", PASSWORD)
    shot = os.path.join(tempfile.mkdtemp(prefix="lifeline-password-"), "dialog.png")
    desktop.screenshot(shot)
    desktop.output("xdotool", "key", "Return")
    result = console.next(lambda m: m["type"] == "unattended_result", timeout=30)
    assert result["outcome"] == "enrolled", result
    wait_until(lambda: any(c["id"] == result["computerId"] for c in computers(gateway, token)), what="the computer listed")

    # The window lists the access with the other rights given (a moment after the gateway hears the
    # yes); its Revoke (Alt+R, the only right listed) takes it back.
    def revoked():
        press(desktop, window, "alt+r")
        deadline = time.time() + 2
        while time.time() < deadline and computers(gateway, token):
            time.sleep(0.1)
        return computers(gateway, token) == []
    wait_until(revoked, timeout=30, what="the computer leaves the list")
    wait_until(lambda: not agents(), what="the agent stops")
    assert not os.path.exists(os.path.join(home, ".local/share/lifeline/agent.json"))
    applet.kill()


def test_the_customer_takes_access_back_from_a_later_session(gateway, applets, customer):
    """A later session's applet says the computer gives unattended access; `/revoke unattended` takes
    it back (the computer leaves the list, the agent goes); again, there is nothing to take back."""
    home, binary = customer
    computer_id, applet, token = approve(gateway, applets, home, binary, "First", rules=ANY_HOUR)
    applet.kill()
    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")
    session, later, token = start_active_session(gateway, applets, "Later", user=USER, binary=binary, home=home, cwd=home)
    # Said as the applet starts, before the welcome the session's start waited for.
    assert f'UNATTENDED_IN_PLACE technician="Administrator" computer={computer_id}' in later.seen, later.seen
    later.say("/revoke unattended")
    later.expect("UNATTENDED_REVOKED", "told=true", timeout=30)
    assert computers(gateway, token) == []
    wait_until(lambda: not agents(), what="the agent stops")
    later.say("/revoke unattended")
    later.expect("UNATTENDED_REVOKED", "told=nothing")
    later.kill()
