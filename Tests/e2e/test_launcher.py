"""One click to start (issue 16, item 2): the PIN page offers a launcher (.desktop) that fetches
the applet, checks its SHA-256 and opens its window — started here as a desktop starts it (`gio
launch`) on an Xvfb desktop with openbox — and shows the SHA-256 the terminal command checks."""
import hashlib
import os
import subprocess
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BIN
from test_applet_window import desktop, find_window, press  # noqa: F401 (the module's desktop fixture)


def test_the_gateway_gives_the_applets_sha256_and_a_launcher_only_for_plain_pins(gateway_for_module):
    gateway = gateway_for_module
    status, info = gateway.api("GET", "customer/applet")
    assert status == 200
    assert info["sha256"] == hashlib.sha256((BIN / "lifeline-applet").read_bytes()).hexdigest()
    assert info["size"] == (BIN / "lifeline-applet").stat().st_size
    for bad in ["12345", "12345a", "123456%0AExec=id"]:
        try:
            urllib.request.urlopen(f"{gateway.url}/download/lifeline-support.desktop?pin={bad}", timeout=10)
            raise AssertionError(f"{bad} got a launcher")
        except urllib.error.HTTPError as error:
            assert error.code == 400


def test_the_pin_page_offers_the_launcher_and_the_checksum(gateway_for_module, browser):
    gateway = gateway_for_module
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Lena", "method": "pin"}, token=token, expect=201)[1]
    sha = gateway.api("GET", "customer/applet")[1]["sha256"]
    browser.get(f"{gateway.url}/")
    wait = WebDriverWait(browser, 10)
    wait.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(session["pin"])
    browser.find_element(By.ID, "pin-submit").click()
    launcher = wait.until(EC.visibility_of_element_located((By.ID, "start-launcher")))
    assert launcher.get_attribute("href").endswith(f"/download/lifeline-support.desktop?pin={session['pin']}")
    wait.until(EC.text_to_be_present_in_element((By.ID, "applet-checksum"), sha))
    assert f'echo "{sha}  lifeline-applet" | sha256sum -c' in browser.find_element(By.CSS_SELECTOR, "pre.command").text


def test_the_launcher_opens_the_window_and_the_customer_is_waiting_after_one_allow(gateway_for_module, desktop):  # noqa: F811
    gateway = gateway_for_module
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Mia", "method": "pin"}, token=token, expect=201)[1]
    home = tempfile.mkdtemp(prefix="lifeline-launcher-")
    launcher = os.path.join(home, "lifeline-support.desktop")
    with urllib.request.urlopen(f"{gateway.url}/download/lifeline-support.desktop?pin={session['pin']}", timeout=10) as response:
        assert response.headers["Content-Disposition"] == 'attachment; filename="lifeline-support.desktop"'
        open(launcher, "wb").write(response.read())
    env = {**os.environ, "DISPLAY": desktop.display, "HOME": home, "XDG_CACHE_HOME": os.path.join(home, ".cache"),
           "LANG": "en_US.UTF-8"}
    env.pop("XDG_RUNTIME_DIR", None)
    started = time.time()
    # Not captured: the launched applet keeps what it inherits, and a pipe would stay open with it.
    subprocess.run(["gio", "launch", launcher], env=env, check=True, timeout=30, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    window = find_window(desktop, "Administrator — Lifeline support", timeout=30)
    press(desktop, window, "alt+a")
    gateway.wait_for_state(session["id"], "waiting", token)
    print(f"launcher to Waiting: {time.time() - started:.1f} s")
    cache = os.path.join(home, ".cache", "lifeline")
    [applet] = os.listdir(cache)
    assert hashlib.sha256(open(os.path.join(cache, applet), "rb").read()).digest() == hashlib.sha256((BIN / "lifeline-applet").read_bytes()).digest()
    # Ended by the technician: the window says so; closed, the applet removes itself.
    gateway.api("POST", f"sessions/{session['id']}/end", token=token, expect=200)
    time.sleep(1)
    press(desktop, window, "alt+c")
    deadline = time.time() + 10
    while os.listdir(cache) and time.time() < deadline:
        time.sleep(0.1)
    assert os.listdir(cache) == [], "the applet removed itself"


def test_a_tampered_download_is_not_run(gateway_for_module, tmp_path):
    """The launcher's check refuses an applet whose SHA-256 is not the one the gateway gave."""
    gateway = gateway_for_module
    with urllib.request.urlopen(f"{gateway.url}/download/lifeline-support.desktop?pin=123456", timeout=10) as response:
        entry = response.read().decode()
    wrong = "0" * 64
    sha = gateway.api("GET", "customer/applet")[1]["sha256"]
    launcher = tmp_path / "tampered.desktop"
    launcher.write_text(entry.replace(sha, wrong))
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CACHE_HOME", None)
    subprocess.run(["gio", "launch", str(launcher)], env=env, check=True, timeout=30, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # gio returns once the launcher's shell is started: wait for every process of this HOME to end.
    deadline = time.time() + 20
    while processes_with_home(str(home)) and time.time() < deadline:
        time.sleep(0.1)
    assert processes_with_home(str(home)) == []
    cache = home / ".cache" / "lifeline"
    assert cache.exists() and list(cache.iterdir()) == [], "the download was removed, not run"


def processes_with_home(home):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
        except OSError:
            continue
        if f"HOME={home}".encode() in environ:
            found.append(pid)
    return found
