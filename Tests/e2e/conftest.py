"""Fixtures for end-to-end tests: the real gateway binary, the real applet binary, headless Chromium."""
import json
import os
import queue
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("LIFELINE_BIN_DIR", ROOT / ".build" / "debug"))
ADMIN_EMAIL = "admin@e2e.test"
ADMIN_PASSWORD = "e2e admin password"

# A canvas's pixels as the user sees them, whether the page or a worker (OffscreenCanvas) draws it:
# the screen's canvas, once handed to a worker, has no 2d context on the page; it is copied first.
CANVAS_PIXELS = """
function canvasPixels(canvas, x, y, width, height) {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d');
  context.drawImage(canvas, 0, 0);
  return context.getImageData(x, y, width, height).data;
}
"""

# Fixtures kept in modules of their own.
pytest_plugins = ["power_bus_fixture"]


def pytest_configure(config):
    # Chromium aborts every request in flight when a network interface comes or goes
    # (net::ERR_NETWORK_CHANGED): modules that make interfaces run apart from other modules' browsers.
    config.addinivalue_line("markers", "changes_network: makes or removes network interfaces (run apart: scripts/test.sh)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test shows the end of its gateways' logs: what the gateway did says why more often
    than the browser or the applet can."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name in ("gateway", "gateway_for_module", "lan_gateway"):
        gateway = getattr(item, "funcargs", {}).get(name)
        log = getattr(gateway, "log", None)
        if isinstance(log, Path) and log.exists():
            lines = log.read_text(errors="replace").splitlines()[-40:]
            report.sections.append((f"{name} log (last {len(lines)} lines)", "\n".join(lines)))


def self_signed_certificate(folder, common_name, subject_alt_name):
    """A throw-away certificate and key in `folder`, made with openssl; returns their paths."""
    certificate, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={common_name}",
                    "-addext", f"subjectAltName={subject_alt_name}", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    return certificate, key


def click_when_ready(browser, selector):
    """Clicks the element once shown and enabled; False (try again) while it is not, or when the
    page drew it anew between finding and clicking (lists redrawn on pushes and timers)."""
    try:
        element = browser.find_element(By.CSS_SELECTOR, selector)
        if not element.is_displayed() or not element.is_enabled():
            return False
        element.click()
        return True
    except (StaleElementReferenceException, NoSuchElementException):
        return False


def text_of(browser, selector):
    """The element's text, or "" while it is missing or the page is drawing it anew (the queue's
    rows are redrawn on every push), for waits that read lists."""
    try:
        return browser.find_element(By.CSS_SELECTOR, selector).text
    except (StaleElementReferenceException, NoSuchElementException):
        return ""


def click_xpath(browser, xpath, timeout=10):
    """Clicks what `xpath` finds once it is there, again if the page redrew it meanwhile (the
    Admin Center redraws its tree and tabs whenever the view or the organisation changes)."""
    def clicked(b):
        try:
            b.find_element(By.XPATH, xpath).click()
            return True
        except (StaleElementReferenceException, NoSuchElementException):
            return False
    WebDriverWait(browser, timeout).until(clicked)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """One lifeline-server process on a loopback port with its own data directory."""

    def __init__(self, data_dir, port, tls=None, env=None, applet=None, host="127.0.0.1", prefix=()):
        self.data_dir = data_dir
        # The applet customers download: the one built beside the gateway unless a benchmark offers another.
        self.applet = applet or BIN / "lifeline-applet"
        self.port = port
        self.tls = tls  # (certificate path, key path) or None
        self.extra_env = env or {}
        self.host = host
        # A command it runs under, e.g. `ip netns exec NAME` for a gateway in a network namespace.
        self.prefix = list(prefix)
        self.url = f"{'https' if tls else 'http'}://{host}:{port}"
        self.process = None
        self.log = Path(data_dir) / "server.log"
        self.ssl_context = None
        if tls:
            self.ssl_context = ssl.create_default_context(cafile=tls[0])
            self.ssl_context.check_hostname = False

    def start(self):
        env = dict(os.environ, LIFELINE_ADMIN_EMAIL=ADMIN_EMAIL, LIFELINE_ADMIN_PASSWORD=ADMIN_PASSWORD, **self.extra_env)
        tls_flags = ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]] if self.tls else []
        self.process = subprocess.Popen(
            [*self.prefix, str(BIN / "lifeline-server"), "--host", self.host, "--port", str(self.port), "--data-dir", self.data_dir,
             "--web-root", str(ROOT / "Web"), "--applet-binary", str(self.applet), *tls_flags],
            env=env, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        return self.wait_until_up()

    def wait_until_up(self):
        """Returns once the gateway answers its health check (30 s at most)."""
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=1, context=self.ssl_context):
                    return self
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None:
                    raise RuntimeError(f"gateway exited: {self.log.read_text()}")
                time.sleep(0.1)
        raise RuntimeError("gateway did not start in 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def api(self, method, path, body=None, token=None, expect=None, raw=False, timeout=10):
        """Calls /api/v1/<path>; returns (status, decoded JSON or None, or the text when raw)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/api/v1/{path}", data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self.ssl_context) as response:
                status, body_bytes = response.status, response.read()
                self.last_headers = response.headers
        except urllib.error.HTTPError as error:
            status, body_bytes = error.code, error.read()
            self.last_headers = error.headers
        payload = body_bytes.decode() if raw else (json.loads(body_bytes) if body_bytes else None)
        if expect is not None:
            assert status == expect, f"{method} {path}: {status} {payload}"
        return status, payload

    def login(self, email=ADMIN_EMAIL, password=ADMIN_PASSWORD):
        return self.api("POST", "auth/login", {"email": email, "password": password}, expect=200)[1]["token"]

    def wait_for_state(self, session_id, state, token, timeout=10):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = self.api("GET", f"sessions/{session_id}", token=token)[1]["state"]
            if last == state:
                return
            time.sleep(0.1)
        raise AssertionError(f"session {session_id} is {last}, expected {state}")


    def wait_for_log_line(self, session_id, text, token, timeout=10):
        """Waits until the session's log has a line reading exactly `text`; returns the log's texts."""
        deadline = time.time() + timeout
        while True:
            texts = [entry["text"] for entry in self.api("GET", f"sessions/{session_id}/log", token=token)[1]]
            if text in texts or time.time() > deadline:
                assert text in texts, f"the log never said {text!r}: {texts}"
                return texts
            time.sleep(0.1)


class Applet:
    """A real lifeline-applet process, non-interactive unless asked (then it speaks to a person in `locale`)."""

    def __init__(self, gateway_url, *credential, max_backoff=1, display=None, remote_consent="ask", user=None, binary=None, path_first=None,
                 home=None, interactive=False, locale=None, extra_args=(), env_extra=None, cwd=None):
        env = dict(os.environ, **(env_extra or {}))
        if locale:
            for name in ["LC_ALL", "LC_MESSAGES", "LANGUAGE"]:
                env.pop(name, None)
            env["LANG"] = locale
        if home:
            env["HOME"] = home
        env.pop("DISPLAY", None)
        if path_first:
            env["PATH"] = f"{path_first}:{env.get('PATH', '')}"
        if display:
            env["DISPLAY"] = display
        # As another (unprivileged) user: runuser keeps the environment given here.
        prefix = ["runuser", "-u", user, "--"] if user else []
        self.process = subprocess.Popen(
            [*prefix, str(binary or BIN / "lifeline-applet"), "--gateway", gateway_url, *credential,
             *([] if interactive else ["--non-interactive"]), *extra_args,
             "--max-backoff", str(max_backoff), "--remote-consent", remote_consent],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, env=env, cwd=cwd)
        self.lines = queue.Queue()
        self.seen = []
        # Standard error is drained too: a full pipe would stop the applet; a failure shows its end.
        self.errors = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _read_errors(self):
        for line in self.process.stderr:
            self.errors.append(line.rstrip("\n"))

    def expect(self, prefix, contains="", timeout=10):
        """Waits for an output line starting with `prefix` (and containing `contains`)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if line.startswith(prefix) and contains in line:
                return line
        raise AssertionError(f"applet never printed {prefix!r} {contains!r}; saw {self.seen}; its standard error ends: {self.errors[-20:]}")

    def expect_each(self, prefixes, timeout=10):
        """Waits for a line starting with each of `prefixes`, in whatever order they come."""
        deadline = time.time() + timeout
        waiting = list(prefixes)
        while waiting:
            try:
                line = self.expect("", timeout=max(0.01, deadline - time.time()))
            except AssertionError:
                raise AssertionError(f"applet never printed {waiting!r}; saw {self.seen}; its standard error ends: {self.errors[-20:]}") from None
            waiting = [prefix for prefix in waiting if not line.startswith(prefix)]
        return True

    def say(self, text):
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def wait(self, timeout=10):
        return self.process.wait(timeout=timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _running_gateway():
    data_dir = tempfile.mkdtemp(prefix="lifeline-e2e-")
    gw = Gateway(data_dir, free_port()).start()
    yield gw
    gw.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def gateway():
    yield from _running_gateway()


@pytest.fixture(scope="module")
def gateway_for_module():
    """One gateway shared by a module's tests, for tests that do not need a fresh one."""
    yield from _running_gateway()


def start_active_session(gateway, applets, name, **applet_options):
    """A PIN session joined by a real applet and started by the administrator; returns the
    session, the applet and the administrator's token."""
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": name, "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], **applet_options)
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    return session, applet, token


def technician_with(gateway, permissions, email, name):
    """A technician in a group of their own with just `permissions`; returns their token."""
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": f"Only {name}", "permissions": permissions}, token=admin, expect=201)[1]
    password = f"{name} password 1"
    gateway.api("POST", "admin/technicians", {"email": email, "name": name, "password": password, "groupId": group["id"]},
                token=admin, expect=201)
    return gateway.login(email, password)


def start_active_session_as(token, gateway, applets, name):
    """A PIN session of the technician behind `token`, joined by a real applet and started."""
    session = gateway.api("POST", "sessions", {"name": name, "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    return session, applet


def _applet_starter():
    started = []

    def start(*args, **kwargs):
        applet = Applet(*args, **kwargs)
        started.append(applet)
        return applet

    return start, started


@pytest.fixture
def applets():
    start, started = _applet_starter()
    yield start
    for applet in started:
        applet.kill()


@pytest.fixture(scope="module")
def applets_for_module():
    start, started = _applet_starter()
    yield start
    for applet in started:
        applet.kill()


# Two browsers on one machine find each other directly (WebRTC) by their addresses: Chromium would
# hide them behind mDNS names, which need multicast between them, and leaves loopback out.
WEBRTC_ON_ONE_MACHINE = ["--disable-features=WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection"]


def near(pixel, rgb, tolerance=24):
    """Whether a pixel read from a screen or canvas (None: not drawn yet) is within `tolerance` of `rgb` (JPEG shifts colours)."""
    return pixel is not None and all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb))


def screen_sharing_browser(display):
    """Chromium with a window (800x600 at the top left) on `display`, not headless, which picks the
    entire screen itself when a page asks to share it (what one would choose in the browser's picker)."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--no-sandbox", "--disable-dev-shm-usage", "--window-size=800,600", "--window-position=0,0",
                     "--auto-select-desktop-capture-source=Entire screen", "--lang=en-US", "--no-first-run",
                     "--disable-gpu", *WEBRTC_ON_ONE_MACHINE]:
        options.add_argument(argument)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"), env={**os.environ, "DISPLAY": display})
    return webdriver.Chrome(service=service, options=options)


@pytest.fixture
def technician_screen():
    """The technician's own display (1280x800, a blue root: the marker), for a console that shares its screen."""
    server = XServer(1280, 800)
    server.run("xsetroot", "-solid", "#1060e0")
    yield server
    server.stop()


@pytest.fixture
def technician_browser(technician_screen):
    """A console browser on the technician's own display, which shares that screen when asked."""
    driver = screen_sharing_browser(technician_screen.display)
    yield driver
    driver.quit()


def open_browser(language="en-US", camera_file=None, fake_cameras=0, audio_file=None, fake_microphone=False):
    """Headless Chromium from Debian, driven by Debian's chromedriver, in the given language;
    `camera_file`: a .y4m clip its one camera shows; `fake_cameras`: that many cameras showing
    Chromium's moving test pattern (a phone's front and back) — either allowed without a question;
    `audio_file`: a .wav its microphone plays (looped); `fake_microphone`: Chromium's beeping one."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    camera = []
    if camera_file:
        camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={camera_file}"]
    elif fake_cameras:
        camera = [f"--use-fake-device-for-media-stream=device-count={fake_cameras}", "--use-fake-ui-for-media-stream"]
    elif fake_microphone:
        camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    if audio_file:
        camera.append(f"--use-file-for-fake-audio-capture={audio_file}")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900",
                     f"--lang={language}", *WEBRTC_ON_ONE_MACHINE, *camera]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.implicitly_wait(0)
    return driver


@pytest.fixture
def browser():
    driver = open_browser()
    yield driver
    driver.quit()


@pytest.fixture
def french_browser():
    driver = open_browser("fr-FR")
    yield driver
    driver.quit()


class XServer:
    """A private Xvfb display (the customer's screen), on a free display number."""

    def __init__(self, width=1024, height=768):
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp", "-noreset"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            self.display = f":{pipe.readline().strip()}"
        self.clients = []

    def run(self, *command):
        client = subprocess.Popen(command, env={**os.environ, "DISPLAY": self.display},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.clients.append(client)
        return client

    def output(self, *command, input=None):
        """Runs a command on this display to its end and returns what it printed."""
        return subprocess.run(command, env={**os.environ, "DISPLAY": self.display}, input=input, capture_output=True,
                              text=True, timeout=15, check=True).stdout

    def screen_pixels(self, points):
        """The (r, g, b) of points of the X screen itself, read with one xwd (ZPixmap, 32 bits, BGRX)."""
        dump = subprocess.run(["xwd", "-root", "-silent", "-display", self.display], capture_output=True, timeout=15,
                              check=True).stdout
        header = struct.unpack(">25I", dump[:100])
        header_size, bits_per_pixel, bytes_per_line, colours = header[0], header[11], header[12], header[19]
        assert bits_per_pixel == 32, "a 24-bit Xvfb screen"
        pixels = []
        for x, y in points:
            offset = header_size + colours * 12 + y * bytes_per_line + x * 4
            if header[7] == 1:  # MSBFirst byte order: XRGB
                pixels.append((dump[offset + 1], dump[offset + 2], dump[offset + 3]))
            else:
                pixels.append((dump[offset + 2], dump[offset + 1], dump[offset]))
        return pixels

    def screen_pixel(self, x, y):
        return self.screen_pixels([(x, y)])[0]

    def screenshot(self, path, window="root"):
        """Saves the screen (or one X window, by id) as a PNG; returns its pixels as rows of (r, g, b)."""
        target = ["-root"] if window == "root" else ["-id", str(window)]
        dump = subprocess.run(["xwd", *target, "-silent", "-display", self.display], capture_output=True, timeout=15,
                              check=True).stdout
        header = struct.unpack(">25I", dump[:100])
        header_size, width, height, byte_order, bits_per_pixel, bytes_per_line, colours = (
            header[0], header[4], header[5], header[7], header[11], header[12], header[19])
        # 32 bits per pixel; 24 (packed) when the screen shows windows of another visual (GTK's).
        stride = bits_per_pixel // 8
        assert stride in (3, 4), f"a 24-bit Xvfb screen: {header}"
        start = header_size + colours * 12
        rows = []
        for y in range(height):
            line = dump[start + y * bytes_per_line:start + y * bytes_per_line + width * stride]
            if byte_order == 1:  # MSBFirst: (X)RGB
                rows.append([tuple(line[i + stride - 3:i + stride]) for i in range(0, len(line), stride)])
            else:
                rows.append([(line[i + 2], line[i + 1], line[i]) for i in range(0, len(line), stride)])
        raw = b"".join(b"\0" + bytes(channel for pixel in row for channel in pixel) for row in rows)

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                               + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
        return rows

    def any_pixel_near(self, x, y, predicate, radius=3):
        """Whether a point within `radius` of (x, y) matches: the console's scaled view rounds the
        technician's pointer by a pixel or two."""
        points = [(x + dx, y + dy) for dx in range(-radius, radius + 1) for dy in range(-radius, radius + 1)]
        return any(predicate(*pixel) for pixel in self.screen_pixels(points))

    def stop(self):
        for client in self.clients + [self.process]:
            if client.poll() is None:
                client.terminate()
                try:
                    client.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    client.kill()


@pytest.fixture
def x_server():
    server = XServer()
    yield server
    server.stop()
