"""One click to start (issue 16, item 2): the PIN page offers a launcher (.desktop) that fetches
the applet, checks its SHA-256 and opens its window — started here as a desktop starts it (`gio
launch`) on an Xvfb desktop with openbox — and shows the SHA-256 the terminal command checks.
The gateway here offers the applet with its gzip copy beside it, as a release build does, so the
launcher and the page's command fetch it compressed."""
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import pytest

from conftest import BIN, Gateway, free_port
from test_applet_window import desktop, find_window, press  # noqa: F401 (the module's desktop fixture)


@pytest.fixture(scope="module")
def gateway_for_module():
    """A gateway offering a copy of the applet with a gzip copy beside it (scripts/build-release.sh
    makes it with -9; -1 here is quicker and the same format)."""
    data_dir = tempfile.mkdtemp(prefix="lifeline-e2e-launcher-")
    applet = os.path.join(data_dir, "lifeline-applet")
    shutil.copy2(BIN / "lifeline-applet", applet)
    subprocess.run(["gzip", "-1", "-n", "-k", applet], check=True)
    os.mkdir(os.path.join(data_dir, "data"))
    gateway = Gateway(os.path.join(data_dir, "data"), free_port(), applet=applet).start()
    yield gateway
    gateway.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def test_the_applet_goes_compressed_to_curl_and_browsers_and_whole_to_others(gateway_for_module, tmp_path):
    """The page's command (`curl --compressed`) gets the same bytes as the binary for far fewer on
    the wire; a client that does not take gzip gets the binary itself."""
    gateway = gateway_for_module
    binary = (BIN / "lifeline-applet").read_bytes()
    target = tmp_path / "lifeline-applet"
    wire = subprocess.run(["curl", "-fsSL", "--compressed", "-o", str(target), "-w", "%{size_download}",
                           f"{gateway.url}/download/lifeline-applet"], capture_output=True, text=True, check=True, timeout=60).stdout
    assert target.read_bytes() == binary
    assert int(wire) < len(binary) / 2, f"{wire} bytes on the wire for {len(binary)}"
    info = gateway.api("GET", "customer/applet")[1]
    assert info["downloadSize"] == int(wire)
    with urllib.request.urlopen(f"{gateway.url}/download/lifeline-applet", timeout=60) as response:
        assert response.headers.get("Content-Encoding") is None
        assert response.read() == binary


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


def test_the_browsers_download_is_the_binary_itself(gateway_for_module, browser, tmp_path):
    """The page's download link: Chromium takes the gzip copy and saves the unpacked binary."""
    gateway = gateway_for_module
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Noor", "method": "pin"}, token=token, expect=201)[1]
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(f"{gateway.url}/")
    wait = WebDriverWait(browser, 10)
    wait.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(session["pin"])
    browser.find_element(By.ID, "pin-submit").click()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "a.download"))).click()
    saved = tmp_path / "lifeline-applet"
    binary = (BIN / "lifeline-applet").read_bytes()
    deadline = time.time() + 60
    while not (saved.exists() and saved.stat().st_size == len(binary)) and time.time() < deadline:
        time.sleep(0.2)
    assert saved.read_bytes() == binary


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
