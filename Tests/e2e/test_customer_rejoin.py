"""Issue 16, items 4 and 5: an applet started again rejoins its session by itself; a dead PIN
says why (expired, already used) instead of "not valid"; the technician hears at once that the
customer declined or closed the applet before joining."""
import os
import signal
import stat
import subprocess
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import BIN
from test_console_session import select_row, sign_in


def log_codes(gateway, session_id, token):
    return [(entry.get("event") or {}).get("code") for entry in gateway.api("GET", f"sessions/{session_id}/log", token=token)[1]]


def test_a_killed_applet_started_again_rejoins_its_session(gateway_for_module, applets):
    gateway = gateway_for_module
    runtime = tempfile.mkdtemp(prefix="lifeline-runtime-")
    os.chmod(runtime, 0o700)
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Rita", "method": "pin"}, token=token, expect=201)[1]
    first = applets(gateway.url, "--pin", session["pin"], env_extra={"XDG_RUNTIME_DIR": runtime})
    first.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    # The token is the user's alone: a private folder, a private file.
    [saved] = os.listdir(os.path.join(runtime, "lifeline"))
    assert stat.S_IMODE(os.stat(os.path.join(runtime, "lifeline")).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(runtime, "lifeline", saved)).st_mode) == 0o600

    # A second copy with the same PIN while the first runs cannot steal the session.
    second = subprocess.run([str(BIN / "lifeline-applet"), "--gateway", gateway.url, "--pin", session["pin"], "--non-interactive"],
                            capture_output=True, text=True, timeout=30, env={**os.environ, "XDG_RUNTIME_DIR": runtime})
    assert second.returncode == 1 and "already running" in second.stderr

    first.process.send_signal(signal.SIGKILL)
    first.wait()
    again = applets(gateway.url, "--pin", session["pin"], env_extra={"XDG_RUNTIME_DIR": runtime})
    again.expect("REJOINING", 'technician="Administrator"')
    again.expect("WELCOME", "state=active")
    again.say("Sorry, I closed it by mistake")
    gateway.wait_for_log_line(session["id"], "Sorry, I closed it by mistake", token)
    assert "applet_rejoined" in log_codes(gateway, session["id"], token)
    assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "active"
    again.say("/quit")
    assert again.wait(timeout=15) == 0
    assert os.listdir(os.path.join(runtime, "lifeline")) == [], "nothing kept once the session is over"


def run_applet(gateway, pin):
    runtime = tempfile.mkdtemp(prefix="lifeline-runtime-")
    os.chmod(runtime, 0o700)
    result = subprocess.run([str(BIN / "lifeline-applet"), "--gateway", gateway.url, "--pin", pin, "--non-interactive"],
                            capture_output=True, text=True, timeout=30,
                            env={**os.environ, "LANG": "en_US.UTF-8", "XDG_RUNTIME_DIR": runtime})
    assert os.listdir(os.path.join(runtime, "lifeline")) == [], "nothing is kept when nothing was joined"
    return result


def test_a_dead_pin_says_why(gateway_for_module):
    gateway = gateway_for_module
    token = gateway.login()
    ended = gateway.api("POST", "sessions", {"name": "Old", "method": "pin"}, token=token, expect=201)[1]
    gateway.api("POST", f"sessions/{ended['id']}/end", token=token, expect=200)
    expired = run_applet(gateway, ended["pin"])
    assert expired.returncode == 1 and "This PIN has expired. Ask your technician for a new one." in expired.stderr

    used = gateway.api("POST", "sessions", {"name": "Used", "method": "pin"}, token=token, expect=201)[1]
    gateway.api("POST", "customer/join", {"pin": used["pin"]}, expect=200)
    again = run_applet(gateway, used["pin"])
    assert again.returncode == 1 and "This PIN was already used to join a session." in again.stderr

    live = {s["pin"] for s in gateway.api("GET", "sessions", token=token)[1] if s.get("pin")}
    typo = next(pin for pin in ("314159", "271828", "161803") if pin not in live)
    wrong = run_applet(gateway, typo)
    assert wrong.returncode == 1 and "This PIN is not valid." in wrong.stderr

    # A Lens session (issue 22) is for the phone's browser: the applet says so and joins nothing.
    lens = gateway.api("POST", "sessions", {"name": "Lena", "method": "pin", "type": "lens"}, token=token, expect=201)[1]
    refused = run_applet(gateway, lens["pin"])
    assert refused.returncode == 1 and "This session is for your phone's camera" in refused.stderr
    assert gateway.api("GET", f"sessions/{lens['id']}", token=token)[1]["state"] == "connecting"
    gateway.api("POST", "customer/pin-check", {"pin": lens["pin"]}, expect=200)


def test_the_technician_sees_a_decline_and_a_closed_applet_within_a_second(gateway_for_module, applets, browser):
    gateway = gateway_for_module
    token = gateway.login()
    declined = gateway.api("POST", "sessions", {"name": "Dora", "method": "pin"}, token=token, expect=201)[1]
    closed = gateway.api("POST", "sessions", {"name": "Carl", "method": "pin"}, token=token, expect=201)[1]
    wait = sign_in(browser, gateway)

    select_row(browser, wait, declined["id"])
    person = applets(gateway.url, "--pin", declined["pin"], interactive=True, locale="en_US.UTF-8")
    person.expect("", "is asking to connect")
    started = time.time()
    person.say("n")
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "The customer declined the invitation"))
    assert time.time() - started < 1.5

    select_row(browser, wait, closed["id"])
    other = applets(gateway.url, "--pin", closed["pin"], interactive=True, locale="en_US.UTF-8")
    other.expect("", "is asking to connect")
    time.sleep(0.3)  # the question is on screen
    started = time.time()
    other.process.send_signal(signal.SIGINT)
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "The customer closed the applet before answering"))
    assert time.time() - started < 1.5
    assert other.wait(timeout=10) == 0
    assert gateway.api("GET", f"sessions/{closed['id']}", token=token)[1]["state"] == "connecting", "the PIN keeps working"
