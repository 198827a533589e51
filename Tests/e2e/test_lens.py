"""Lens sessions (issue 22, Q1–Q4): the technician creates a Lens session in New session, the
customer opens the PIN page in the phone's browser, accepts, allows the camera and microphone; the
technician starts it and sees the camera at once and they talk — voices both ways, checked with
WebRTC statistics — each muting their side; the customer pauses the picture. Then the same call
relayed by a real coturn with the credentials the gateway makes per session, and coturn refusing
forged and expired ones."""
import base64
import hashlib
import hmac
import math
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import wave
from pathlib import Path

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Gateway, free_port, near, open_browser
from test_browser_camera import HEIGHT, ORANGE, WIDTH, orange_clip
from test_console_session import select_row, sign_in
from test_remote_desktop import canvas_pixel, log_has

TURN_SECRET = "lens-test-secret"


def tone(folder, seconds=4, frequency=440):
    """A loud sine tone as a .wav, the phone's microphone (Chromium loops it)."""
    path = Path(folder) / "tone.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48000)
        out.writeframes(b"".join(struct.pack("<h", int(20000 * math.sin(2 * math.pi * frequency * n / 48000)))
                                 for n in range(48000 * seconds)))
    return path


# The streams the page was given, kept where the test can reach them (to play a phone call's
# taking the microphone away: the browser mutes its track).
KEEP_STREAMS = """
    const original = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = async function (constraints) {
      const stream = await original.call(this, constraints);
      (window.grantedStreams ||= []).push(stream);
      return stream;
    };"""


def phone_and_console(gateway):
    """A phone (an orange camera, a tone for a microphone) and a console with a microphone of its own."""
    folder = tempfile.mkdtemp(prefix="lifeline-lens-")
    phone = open_browser(camera_file=orange_clip(folder), audio_file=tone(folder))
    phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_STREAMS})
    console = open_browser(fake_microphone=True)
    return phone, console, folder


def numbers(browser, element_id, *names):
    """Data attributes of an element, as numbers."""
    return [float(browser.find_element(By.ID, element_id).get_attribute(f"data-{name}") or 0) for name in names]


def growing(browser, element_id, name, seconds=2.5):
    """Whether a counter the page keeps from WebRTC statistics grows over `seconds`."""
    before, = numbers(browser, element_id, name)
    time.sleep(seconds)
    after, = numbers(browser, element_id, name)
    return after > before


def lens_call(gateway, phone, console, colour=ORANGE, width=WIDTH):
    """Creates a Lens session from the console's New session dialog, joins it from the phone's PIN
    page, allows the camera and microphone, starts it: returns the session id, a login and both waits."""
    token = gateway.login()
    watch = sign_in(console, gateway)
    console.find_element(By.ID, "new-session").click()
    console.find_element(By.ID, "new-session-name").send_keys("Lena Lens")
    console.find_element(By.CSS_SELECTOR, "#new-session-types input[value=lens]").click()
    assert not console.find_element(By.ID, "new-session-platform").is_displayed(), "a Lens session is always a phone"
    console.find_element(By.ID, "new-session-create").click()
    pin = watch.until(EC.visibility_of_element_located((By.ID, "new-session-pin"))).text
    console.find_element(By.ID, "new-session-close").click()
    session_id = watch.until(lambda b: b.execute_script(
        "return document.querySelector('#session-list tbody tr .lens-badge')?.closest('tr').dataset.sessionId"))

    customer = WebDriverWait(phone, 20)
    phone.get(f"{gateway.url}/")
    customer.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(pin)
    phone.find_element(By.ID, "pin-submit").click()
    intro = customer.until(EC.visibility_of_element_located((By.ID, "instructions")))
    assert "will see what your phone's camera shows" in intro.text
    assert not phone.find_elements(By.ID, "start-launcher"), "no applet for a Lens session"
    customer.until(EC.element_to_be_clickable((By.ID, "start-lens"))).click()
    # The page goes to /chat; looking for an element while it navigates fails ("aborted by navigation").
    customer.until(EC.url_contains("/chat"))
    customer.until(EC.element_to_be_clickable((By.ID, "lens-allow"))).click()
    customer.until(lambda p: p.execute_script("return document.getElementById('lens-preview').videoWidth") == (width or 1280))
    gateway.wait_for_state(session_id, "waiting", token)
    assert not log_has(gateway, token, {"id": session_id}, "desktop_view_requested"), "nothing asked before Start"

    select_row(console, watch, session_id)
    console.find_element(By.ID, "start-session").click()
    gateway.wait_for_state(session_id, "active", token)
    # The camera shows at once: asked by the console, given by the page the customer allowed it on.
    if colour:
        WebDriverWait(console, 20).until(lambda b: near(canvas_pixel(b, WIDTH // 2, HEIGHT // 2), colour, tolerance=40))
    else:
        # At 720p the sender may scale its picture down for a busy machine's sake: any size then.
        shown = "return document.querySelector('#remote-screen canvas')?.width"
        WebDriverWait(console, 20).until(lambda b: b.execute_script(shown) == width if width else b.execute_script(shown))
    return session_id, token, customer, watch


def test_a_lens_session_shows_the_camera_and_carries_both_voices(gateway):
    phone, console, folder = phone_and_console(gateway)
    try:
        session_id, token, customer, watch = lens_call(gateway, phone, console)
        # Neither the remote control nor the applet's tools are offered in a Lens session.
        assert not console.find_element(By.ID, "remote-control").is_displayed()
        for tool in ["files", "system", "reboot", "scripts"]:
            tab = console.find_element(By.ID, f"tool-{tool}")
            assert tab.get_attribute("aria-disabled") == "true", tool
            assert "is not part of it" in tab.get_attribute("title"), tool

        # The call is up straight between the two browsers; each hears the other.
        watch.until(lambda b: b.find_element(By.ID, "lens-call").get_attribute("data-path") == "direct")
        assert "Call: direct" in console.find_element(By.ID, "lens-path").text
        customer.until(lambda p: p.find_element(By.ID, "lens-panel").get_attribute("data-path") == "direct")
        watch.until(lambda b: growing(b, "lens-call", "audio-energy"))
        customer.until(lambda p: growing(p, "lens-panel", "audio-energy"))
        assert console.find_element(By.CSS_SELECTOR, "#remote-screen canvas").get_attribute("data-transport") == "webrtc"
        # The customer's ways out are Pause and ✕ (the manual's), not a Stop the console would ask back.
        assert phone.find_element(By.ID, "screen-pause").is_displayed() and not phone.find_element(By.ID, "screen-stop").is_displayed()

        # The technician mutes their microphone: the phone hears nothing more; then back on.
        console.find_element(By.ID, "lens-mic").click()
        assert console.find_element(By.ID, "lens-mic").get_attribute("aria-pressed") == "true"
        customer.until(lambda p: not growing(p, "lens-panel", "audio-energy", seconds=2))
        console.find_element(By.ID, "lens-mic").click()
        customer.until(lambda p: growing(p, "lens-panel", "audio-energy"))

        # The technician mutes the customer's voice (the speaker): the console's audio element is muted.
        console.find_element(By.ID, "lens-speaker").click()
        assert console.execute_script(f"return document.querySelector('audio[data-session=\"{session_id}\"]').muted")
        console.find_element(By.ID, "lens-speaker").click()

        # The customer mutes: the console receives no voice and says so.
        phone.find_element(By.ID, "lens-mute").click()
        watch.until(EC.text_to_be_present_in_element((By.ID, "lens-path"), "The customer muted their microphone."))
        watch.until(lambda b: not growing(b, "lens-call", "audio-energy", seconds=2))
        customer.until(EC.text_to_be_present_in_element((By.ID, "instant-log"), "Your microphone is off"))
        phone.find_element(By.ID, "lens-mute").click()
        watch.until(lambda b: "muted" not in b.find_element(By.ID, "lens-path").text)
        watch.until(lambda b: growing(b, "lens-call", "audio-energy"))

        # A phone call takes the microphone (the browser mutes its track): the technician is told.
        call = "window.grantedStreams[0].getAudioTracks()[0].dispatchEvent(new Event(arguments[0]))"
        phone.execute_script(call, "mute")
        watch.until(EC.text_to_be_present_in_element((By.ID, "lens-path"), "The customer muted their microphone."))
        phone.execute_script(call, "unmute")
        watch.until(lambda b: "muted" not in b.find_element(By.ID, "lens-path").text)

        # The customer pauses the picture (Q4): the console says so, the voices go on; then resumes.
        phone.find_element(By.ID, "screen-pause").click()
        watch.until(EC.text_to_be_present_in_element((By.ID, "remote-status"), "is paused"))
        frames = "return Number(document.querySelector('#remote-screen canvas').dataset.frames)"
        time.sleep(0.5)  # what was on its way
        before = console.execute_script(frames)
        time.sleep(2)
        assert console.execute_script(frames) == before, "no picture while paused"
        watch.until(lambda b: growing(b, "lens-call", "audio-energy"))
        phone.find_element(By.ID, "screen-pause").click()
        watch.until(lambda b: "is paused" not in b.find_element(By.ID, "remote-status").text)
        watch.until(lambda b: b.execute_script(frames) > before)
        customer.until(EC.text_to_be_present_in_element((By.ID, "instant-log"), "sees your camera again"))

        # A photo to the technician (G4, Q4): it arrives whole, its MD5 in the session's files.
        photo = Path(folder) / "meter.jpg"
        photo.write_bytes(bytes(range(256)) * 2000)
        phone.find_element(By.ID, "send-file-input").send_keys(str(photo))
        customer.until(EC.text_to_be_present_in_element((By.ID, "instant-log"), "You sent meter.jpg"))
        files = gateway.api("GET", f"sessions/{session_id}/files", token=token)[1]
        sent = next(f for f in files if f["name"] == "meter.jpg")
        assert sent["phase"] == "done" and sent["md5"] == hashlib.md5(photo.read_bytes()).hexdigest()
        # A big one, cancelled by the customer while it goes: nothing is kept.
        video = Path(folder) / "long-video.mp4"
        with open(video, "wb") as out:
            out.truncate(600 * 1024 * 1024)
        phone.find_element(By.ID, "send-file-input").send_keys(str(video))
        customer.until(lambda p: float(p.find_element(By.ID, "send-file-progress").get_attribute("value") or 0) > 0)
        phone.find_element(By.ID, "send-file-cancel").click()
        customer.until(EC.text_to_be_present_in_element((By.ID, "instant-log"), "You cancelled sending long-video.mp4"))
        WebDriverWait(phone, 10).until(lambda _: all(f["phase"] != "done" for f in gateway.api(
            "GET", f"sessions/{session_id}/files", token=token)[1] if f["name"] == "long-video.mp4"))

        # Disconnect (the customer's ✕): the session ends.
        phone.find_element(By.ID, "end-chat").click()
        phone.switch_to.alert.accept()
        gateway.wait_for_state(session_id, "closed_by_customer", token)
    finally:
        phone.quit()
        console.quit()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_pin_and_link_pages_follow_the_session_type_and_the_device_picked(gateway, browser):
    token = gateway.login()
    wait = WebDriverWait(browser, 15)
    lens = gateway.api("POST", "sessions", {"name": "Lena", "method": "link", "type": "lens"}, token=token, expect=201)[1]
    browser.get(lens["link"])
    intro = wait.until(EC.visibility_of_element_located((By.ID, "start-lens")))
    assert "will see what your phone's camera shows" in browser.find_element(By.ID, "instructions").text
    assert not browser.find_elements(By.ID, "start-launcher") and not browser.find_elements(By.ID, "start-instant-chat")
    assert intro.is_enabled()

    # A standard session for "another computer": Instant Chat and the screen from the browser, no applet.
    other = gateway.api("POST", "sessions", {"name": "Otto", "method": "link", "platform": "computer"}, token=token, expect=201)[1]
    browser.get(other["link"])
    wait.until(EC.visibility_of_element_located((By.ID, "start-instant-chat")))
    assert not browser.find_elements(By.ID, "start-launcher")
    assert browser.find_element(By.ID, "start-browser-screen").is_displayed()
    # "A phone or tablet": no applet either.
    phone = gateway.api("POST", "sessions", {"name": "Pia", "method": "link", "platform": "mobile"}, token=token, expect=201)[1]
    browser.get(phone["link"])
    wait.until(EC.visibility_of_element_located((By.ID, "start-instant-chat")))
    assert not browser.find_elements(By.ID, "start-launcher")
    # Picked by their browser (no platform): the applet first, as before.
    plain = gateway.api("POST", "sessions", {"name": "Paul", "method": "link"}, token=token, expect=201)[1]
    browser.get(plain["link"])
    wait.until(EC.visibility_of_element_located((By.ID, "start-launcher")))


class Coturn:
    """coturn from Debian on a loopback port, checking TURN REST credentials with a shared secret."""

    def __init__(self, folder):
        self.port = free_port()
        relay = 50000 + self.port % 10000
        self.log = Path(folder) / "turnserver.log"
        self.process = subprocess.Popen(
            ["turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", f"--listening-port={self.port}",
             "--use-auth-secret", f"--static-auth-secret={TURN_SECRET}", "--realm=lifeline.test", "--no-tls", "--no-dtls",
             "--allow-loopback-peers", "--no-cli", "--fingerprint", f"--min-port={relay}", f"--max-port={relay + 200}",
             f"--log-file={self.log}", "--simple-log", "--pidfile=" + str(Path(folder) / "turnserver.pid")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"turnserver exited: {self.log.read_text() if self.log.exists() else ''}")
                time.sleep(0.1)
        raise RuntimeError("turnserver did not listen within 15 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def coturn():
    folder = tempfile.mkdtemp(prefix="lifeline-coturn-")
    server = Coturn(folder)
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def relay_gateway(coturn):
    """A gateway whose browsers may meet only through coturn, with credentials made per session."""
    data_dir = tempfile.mkdtemp(prefix="lifeline-e2e-")
    gw = Gateway(data_dir, free_port(), env={"LIFELINE_WEBRTC": "relay", "LIFELINE_TURN_URLS": f"turn:127.0.0.1:{coturn.port}",
                                             "LIFELINE_TURN_SECRET": TURN_SECRET}).start()
    yield gw
    gw.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def test_a_lens_call_relayed_by_coturn_with_the_sessions_own_credentials(relay_gateway):
    phone, console, folder = phone_and_console(relay_gateway)
    try:
        session_id, token, customer, watch = lens_call(relay_gateway, phone, console)
        watch.until(lambda b: b.find_element(By.ID, "lens-call").get_attribute("data-path") == "relayed")
        assert "relayed by the TURN server" in console.find_element(By.ID, "lens-path").text
        customer.until(lambda p: p.find_element(By.ID, "lens-panel").get_attribute("data-path") == "relayed")
        assert console.find_element(By.CSS_SELECTOR, "#remote-screen canvas").get_attribute("data-transport") == "webrtc"
        watch.until(lambda b: growing(b, "lens-call", "audio-energy"))
        customer.until(lambda p: growing(p, "lens-panel", "audio-energy"))
        assert log_has(relay_gateway, token, {"id": session_id}, "browser_screen_webrtc")
    finally:
        phone.quit()
        console.quit()
        shutil.rmtree(folder, ignore_errors=True)


GATHER = """
const [urls, username, credential, done] = arguments;
const connection = new RTCPeerConnection({ iceServers: [{ urls, username, credential }], iceTransportPolicy: 'relay' });
const found = { relay: 0, errors: [] };
connection.addEventListener('icecandidate', ({ candidate }) => { if (candidate?.type === 'relay') found.relay += 1; });
connection.addEventListener('icecandidateerror', (event) => found.errors.push(event.errorCode));
connection.addEventListener('icegatheringstatechange', () => {
  if (connection.iceGatheringState === 'complete') { connection.close(); done(found); }
});
connection.createDataChannel('probe');
connection.createOffer().then((offer) => connection.setLocalDescription(offer));
setTimeout(() => { connection.close(); done(found); }, 10000);
"""


def credentials(label, expiry, secret=TURN_SECRET):
    username = f"{expiry}:{label}"
    return username, base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()


def test_coturn_takes_the_gateways_credentials_and_refuses_forged_or_expired_ones(coturn, browser, gateway):
    browser.set_script_timeout(15)
    browser.get(f"{gateway.url}/")
    url = f"turn:127.0.0.1:{coturn.port}"
    now = int(time.time())
    valid = browser.execute_async_script(GATHER, url, *credentials("123456789", now + 600))
    assert valid["relay"] > 0, valid
    forged = browser.execute_async_script(GATHER, url, *credentials("123456789", now + 600, secret="not the secret"))
    assert forged["relay"] == 0 and 401 in forged["errors"], forged
    expired = browser.execute_async_script(GATHER, url, *credentials("123456789", now - 60))
    assert expired["relay"] == 0 and 401 in expired["errors"], expired
