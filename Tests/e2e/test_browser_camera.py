"""A customer on a phone shows the device with its camera (issue 22, first step): a browser that
cannot share its screen (a phone's) offers "Show it with my camera" on the PIN page; when the
technician asks to see, the page offers the camera; the picture (a fake camera showing an orange
clip) reaches the technician's usual remote view, straight between the browsers where they find
each other; the customer switches to the other camera, turns the torch on and off, the page's going to the background pauses the
picture (both sides are told), and the customer stops it."""
import shutil
import tempfile
from pathlib import Path

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CANVAS_PIXELS, Gateway, free_port, near, open_browser
from test_console_session import select_row, sign_in
from test_remote_desktop import canvas_pixel, log_has

WIDTH, HEIGHT = 320, 240
ORANGE = (230, 120, 20)


def orange_clip(folder):
    """A few seconds of a plain orange picture as a .y4m file (YUV 4:2:0, BT.601)."""
    r, g, b = ORANGE
    y = round(0.257 * r + 0.504 * g + 0.098 * b + 16)
    u = round(-0.148 * r - 0.291 * g + 0.439 * b + 128)
    v = round(0.439 * r - 0.368 * g - 0.071 * b + 128)
    frame = b"FRAME\n" + bytes([y]) * (WIDTH * HEIGHT) + bytes([u]) * (WIDTH * HEIGHT // 4) + bytes([v]) * (WIDTH * HEIGHT // 4)
    path = Path(folder) / "orange.y4m"
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 30)
    return path


AS_A_PHONE = """
    delete MediaDevices.prototype.getDisplayMedia;
    MediaStreamTrack.prototype.getCapabilities = function () { return { torch: true }; };
    MediaStreamTrack.prototype.applyConstraints = function (asked) {
      (window.torchAsked ||= []).push(asked.advanced[0].torch);
      return Promise.resolve();
    };"""


def camera_shown(gateway, browser, phone, name):
    """As a phone's browser (no screen to share, a back camera with a torch whose requests are kept
    to be read): joins by PIN to show the device with the camera; the technician starts the session
    and asks to see; the customer shows the camera. Returns the session, the login and both waits."""
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": name, "method": "pin"}, token=token, expect=201)[1]
    phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": AS_A_PHONE})
    customer = WebDriverWait(phone, 15)
    phone.get(f"{gateway.url}/")
    customer.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(session["pin"])
    phone.find_element(By.ID, "pin-submit").click()
    assert not phone.find_elements(By.ID, "start-browser-screen")
    customer.until(EC.element_to_be_clickable((By.ID, "start-browser-camera"))).click()
    # The page goes to /chat; looking for an element while it navigates fails ("aborted by navigation").
    customer.until(EC.url_contains("/chat"))
    gateway.wait_for_state(session["id"], "waiting", token)

    console = sign_in(browser, gateway)
    select_row(browser, console, session["id"])
    browser.find_element(By.ID, "start-session").click()
    gateway.wait_for_state(session["id"], "active", token)
    console.until(EC.element_to_be_clickable((By.ID, "remote-view"))).click()

    request = customer.until(EC.visibility_of_element_located((By.ID, "screen-request")))
    assert "Administrator asks to see your screen." in request.text
    assert not phone.find_element(By.ID, "screen-share").is_displayed(), "a phone has no screen to share"
    phone.find_element(By.ID, "screen-camera").click()
    bar = customer.until(EC.visibility_of_element_located((By.ID, "screen-sharing")))
    assert "Administrator can see what your camera shows." in bar.text
    return session, token, customer, console


def test_a_phone_customer_shows_the_device_with_the_camera(gateway, browser):
    phone = open_browser(camera_file=orange_clip(tempfile.mkdtemp(prefix="lifeline-camera-")))
    try:
        session, token, customer, console = camera_shown(gateway, browser, phone, "Pia")

        # The console shows the camera's orange picture, at the camera's size.
        watch = WebDriverWait(browser, 20)
        watch.until(lambda b: near(canvas_pixel(b, WIDTH // 2, HEIGHT // 2), ORANGE, tolerance=40))
        assert browser.execute_script("return document.querySelector('#remote-screen canvas').width") == WIDTH
        assert int(phone.find_element(By.ID, "screen-sharing").get_attribute("data-updates")) > 0
        assert not phone.find_element(By.ID, "screen-switch").is_displayed(), "one camera: nothing to switch to"

        # The torch (Q4): on, then off, by the customer.
        torch = phone.find_element(By.ID, "screen-torch")
        assert torch.is_displayed() and torch.get_attribute("aria-pressed") == "false"
        torch.click()
        customer.until(lambda _: torch.get_attribute("aria-pressed") == "true")
        torch.click()
        customer.until(lambda _: torch.get_attribute("aria-pressed") == "false")
        assert phone.execute_script("return window.torchAsked") == [True, False]

        # The page goes to the background: the picture pauses and the console says so; it comes back.
        background = """
            Object.defineProperty(document, 'visibilityState', { value: arguments[0], configurable: true });
            document.dispatchEvent(new Event('visibilitychange'));"""
        phone.execute_script(background, "hidden")
        console.until(EC.text_to_be_present_in_element((By.ID, "remote-status"), "is paused"))
        phone.execute_script(background, "visible")
        console.until(lambda b: "is paused" not in b.find_element(By.ID, "remote-status").text)
        customer.until(EC.text_to_be_present_in_element((By.ID, "instant-log"), "The picture was paused"))

        phone.find_element(By.ID, "screen-stop").click()
        customer.until(EC.invisibility_of_element_located((By.ID, "screen-sharing")))
        console.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
        watch.until(lambda _: log_has(gateway, token, session, "remote_ended"))
    finally:
        phone.quit()


def canvas_fingerprint(browser):
    """A digest of what the console's canvas shows now (Chromium's fake cameras draw a moving pattern)."""
    return browser.execute_script(
        CANVAS_PIXELS + "const c = document.querySelector('#remote-screen canvas');"
        "if (!c || c.width === 0) return null;"
        "const data = canvasPixels(c, 0, 0, c.width, c.height);"
        "let sum = 0; for (let i = 0; i < data.length; i += 1) sum = (sum * 31 + data[i]) % 1000000007;"
        "return sum;")


@pytest.fixture
def frames_gateway():
    """A gateway whose operator turned the direct path off: the pictures come through it. (Chromium's
    second fake camera never feeds a WebRTC sender, whichever camera comes first, so the switch is
    proven on this path; a switch on the direct path offers a new one, as the first sharing does.)"""
    data_dir = tempfile.mkdtemp(prefix="lifeline-e2e-")
    gateway = Gateway(data_dir, free_port(), env={"LIFELINE_WEBRTC": "off"}).start()
    yield gateway
    gateway.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def test_a_phone_customer_switches_between_its_cameras(frames_gateway, browser):
    """Front and back (Q2): with two cameras the page offers Switch camera; the other one shows on
    the same sharing, and the technician's picture keeps moving."""
    gateway = frames_gateway
    phone = open_browser(fake_cameras=2)
    try:
        camera_shown(gateway, browser, phone, "Quinn")
        watch = WebDriverWait(browser, 20)
        watch.until(lambda b: canvas_fingerprint(b) is not None)
        bar = phone.find_element(By.ID, "screen-sharing")
        switch = phone.find_element(By.ID, "screen-switch")
        WebDriverWait(phone, 10).until(lambda _: switch.is_displayed())
        first_camera = bar.get_attribute("data-camera")
        assert first_camera
        switch.click()
        WebDriverWait(phone, 10).until(lambda _: bar.get_attribute("data-camera") not in ("", first_camera))
        # The new camera's pictures keep coming through the gateway.
        updates = int(bar.get_attribute("data-updates"))
        for _ in range(3):
            seen = canvas_fingerprint(browser)
            watch.until(lambda b: canvas_fingerprint(b) not in (None, seen))
        assert int(bar.get_attribute("data-updates")) > updates
    finally:
        phone.quit()
