"""Elevated restart of the applet (J3) end to end: the customer's applet runs as an ordinary user
allowed to use sudo; the technician enters that user's password in the console; the customer is
asked and may refuse (issue 16); once allowed, the applet restarts as root through sudo, reconnects into the same session, and its root copy ends with the
session. Needs root to create the user (as in CI); skipped elsewhere."""
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import BIN
from test_applet_window import SHOTS, allow_and_open_in_console, desktop, find_window, open_window, press  # noqa: F401 (fixture)
from test_console_session import select_row, sign_in
from test_file_manager import Console
from test_scripts import add_script, outcome, run

USER = "lifeline-customer"

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("sudo") or not shutil.which("useradd"),
                                reason="needs root, sudo and useradd to make a customer account that may use sudo")


@pytest.fixture
def sudo_user():
    password = secrets.token_urlsafe(12)
    if subprocess.run(["id", USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--create-home", "--groups", "sudo", USER], check=True)
    subprocess.run(["usermod", "-aG", "sudo", USER], check=True)
    subprocess.run(["chpasswd"], input=f"{USER}:{password}", text=True, check=True)
    # A copy of the applet the user may run (the build tree may not be readable to them).
    folder = tempfile.mkdtemp(prefix="lifeline-elevation-")
    os.chmod(folder, 0o755)
    binary = os.path.join(folder, "lifeline-applet")
    shutil.copy(BIN / "lifeline-applet", binary)
    os.chmod(binary, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    yield password, binary


def root_applets():
    lines = subprocess.run(["ps", "-ww", "-eo", "user=,args="], capture_output=True, text=True).stdout.splitlines()
    return [line for line in lines if line.startswith("root") and "lifeline-applet" in line and "--resume-file" in line
            and os.path.basename(line.split()[1]) != "sudo"]


def log_texts(gateway, session_id):
    return [e["text"] for e in gateway.api("GET", f"sessions/{session_id}/log", token=gateway.login())[1]]


def test_applet_restarts_as_root_and_drops_it_with_the_session(gateway, browser, applets, x_server, sudo_user):
    password, binary = sudo_user
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Elena", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], display=x_server.display, user=USER, binary=binary)
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)

    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    form = wait.until(EC.visibility_of_element_located((By.ID, "elevate-form")))
    # The customer is asked first, and may say no: nothing restarts, the technician reads why.
    browser.find_element(By.ID, "elevate-user").send_keys(USER)
    browser.find_element(By.ID, "elevate-password").send_keys(password)
    browser.find_element(By.ID, "elevate-restart").click()
    applet.expect("ELEVATION_REQUEST", 'technician="Administrator"')
    applet.say("/deny")
    applet.expect("ELEVATION_REFUSED")
    wait.until(lambda b: any("The customer refused administrator rights." in t for t in log_texts(gateway, session["id"])))
    assert not root_applets()

    # A wrong password, allowed by the customer: refused by sudo, said in the applet and in the log.
    browser.find_element(By.ID, "elevate-password").send_keys("not the password")
    browser.find_element(By.ID, "elevate-restart").click()
    applet.expect("ELEVATION_REQUEST")
    applet.say("/allow")
    applet.expect("ELEVATION_FAILED", "sudo refused", timeout=20)
    wait.until(lambda b: any("could not restart with administrator rights" in t for t in log_texts(gateway, session["id"])))
    assert not root_applets()

    browser.find_element(By.ID, "elevate-password").send_keys(password)
    browser.find_element(By.ID, "elevate-restart").click()
    applet.expect("ELEVATION_REQUEST")
    applet.say("/allow")
    applet.expect("ELEVATED", timeout=20)
    wait.until(lambda b: any("restarted with administrator rights (root) and reconnected" in t
                             for t in log_texts(gateway, session["id"])))
    assert len(root_applets()) == 1, "one applet copy runs as root"
    assert password not in " ".join(log_texts(gateway, session["id"])), "the password is never logged"
    wait.until(EC.invisibility_of_element_located((By.ID, "elevate-form")))
    assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "active"

    # The customer keeps typing in the same terminal; the root copy carries it.
    applet.say("now as root")
    wait.until(lambda b: "now as root" in log_texts(gateway, session["id"]))

    # Scripts run by the root copy run as the customer's account, as root only when the technician asks (N2).
    script = add_script(gateway, token, "#!/bin/sh\nid -un\n")
    console = Console(gateway, token, session["id"])
    try:
        said = []
        for as_root in (False, True):
            started = run(console, script["id"], as_root=as_root)
            chunks, result = outcome(console, started["runId"])
            assert result["outcome"] == "exited" and result["exitCode"] == 0, result
            said.append("".join(chunk["text"] for chunk in chunks))
        assert said == [f"{USER}\n", "root\n"], said
    finally:
        console.close()

    # The session ends: the root copy exits, and with it the rights.
    gateway.api("POST", f"sessions/{session['id']}/end", token=token, expect=200)
    deadline = time.time() + 15
    while time.time() < deadline and root_applets():
        time.sleep(0.2)
    assert not root_applets(), "no root applet is left after the session"
    assert applet.wait(timeout=15) == 0


def test_the_window_asks_for_administrator_rights_and_a_no_restarts_nothing(gateway, browser, applets, desktop, sudo_user):
    _, binary = sudo_user
    session, applet, token, window = open_window(gateway, applets, desktop, "Zelda", home=f"/home/{USER}", user=USER, binary=binary)
    wait = allow_and_open_in_console(gateway, desktop, browser, session, token, window)
    wait.until(EC.visibility_of_element_located((By.ID, "elevate-form")))
    browser.find_element(By.ID, "elevate-user").send_keys(USER)
    browser.find_element(By.ID, "elevate-password").send_keys("a password")
    browser.find_element(By.ID, "elevate-restart").click()
    # Nothing restarts before the customer answers the dialog, which names who asks and for what.
    request = find_window(desktop, "a request from your technician")
    applet.expect("Administrator asks to restart Lifeline with administrator rights.")
    desktop.screenshot(SHOTS / "applet-window-administrator.png", window=request)
    press(desktop, request, "alt+d")
    applet.expect("You refused administrator rights.")
    wait.until(lambda _: any("The customer refused administrator rights." in text for text in log_texts(gateway, session["id"])))
    assert not any("is restarting Lifeline" in line for line in applet.seen)
    assert not root_applets()
