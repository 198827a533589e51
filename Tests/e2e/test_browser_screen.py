"""Any OS through the browser (issue 16, item 3): a customer without the applet picks "Show my
screen from this browser" on the PIN page; a second, real (not headless) Chromium on its own Xvfb
display shares its screen with getDisplayMedia; the technician's console shows those pixels in its
usual remote view, view only; the customer stops sharing. The log says how the customer joined.
The pictures come straight from the customer's browser (WebRTC) when the two browsers find each
other, through the gateway otherwise (the operator's --webrtc off here)."""
import shutil
import tempfile

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Gateway, XServer, free_port, near, screen_sharing_browser
from test_console_session import select_row, sign_in
from test_remote_desktop import canvas_pixel, log_has

SCREEN = (1280, 800)
# The customer's browser covers the top left; this point shows the X root's colour, the marker.
MARKER = (1100, 700)


@pytest.fixture
def customer_screen():
    server = XServer(*SCREEN)
    server.run("xsetroot", "-solid", "#1060e0")
    yield server
    server.stop()


@pytest.fixture(params=["webrtc", "frames"])
def screen_gateway(request):
    """A gateway that lets the two browsers connect directly, and one that does not."""
    data_dir = tempfile.mkdtemp(prefix="lifeline-e2e-")
    gw = Gateway(data_dir, free_port(), env={} if request.param == "webrtc" else {"LIFELINE_WEBRTC": "off"}).start()
    gw.transport = request.param
    yield gw
    gw.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def sharing_browser(customer_screen):
    """Chromium with a window on the customer's display, which picks the entire screen itself
    when a page asks to share it (what the customer would choose in the browser's picker)."""
    driver = screen_sharing_browser(customer_screen.display)
    yield driver
    driver.quit()


def test_a_browser_customer_shows_their_screen_view_only(screen_gateway, browser, sharing_browser, customer_screen):
    gateway = screen_gateway
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Wanda", "method": "pin"}, token=token, expect=201)[1]

    # The customer types the PIN and picks the screen from the browser.
    customer = WebDriverWait(sharing_browser, 15)
    sharing_browser.get(f"{gateway.url}/")
    customer.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(session["pin"])
    sharing_browser.find_element(By.ID, "pin-submit").click()
    customer.until(EC.element_to_be_clickable((By.ID, "start-browser-screen"))).click()
    # The page goes to /chat; looking for an element while it navigates fails ("aborted by navigation").
    customer.until(EC.url_contains("/chat"))
    customer.until(EC.text_to_be_present_in_element((By.ID, "instant-log"), "you choose what to show"))
    gateway.wait_for_state(session["id"], "waiting", token)
    assert log_has(gateway, token, session, "joined_to_show_screen")

    console = sign_in(browser, gateway)
    select_row(browser, console, session["id"])
    browser.find_element(By.ID, "start-session").click()
    gateway.wait_for_state(session["id"], "active", token)

    # View only: remote control is greyed with the reason (the gateway refuses it too:
    # BrowserScreenGatewayTests, per message).
    control = console.until(EC.presence_of_element_located((By.ID, "remote-control")))
    assert not control.is_enabled()
    assert "desktop view only" in control.get_attribute("title")

    console.until(EC.element_to_be_clickable((By.ID, "remote-view"))).click()
    request = customer.until(EC.visibility_of_element_located((By.ID, "screen-request")))
    assert "Administrator asks to see your screen." in request.text
    sharing_browser.find_element(By.ID, "screen-share").click()
    bar = customer.until(EC.visibility_of_element_located((By.ID, "screen-sharing")))
    assert "Administrator can see your screen." in bar.text

    # The console shows the customer's pixels: the marker, then its new colour when it changes.
    watch = WebDriverWait(browser, 20)
    watch.until(lambda b: near(canvas_pixel(b, *MARKER), (0x10, 0x60, 0xe0)))
    assert browser.execute_script("return document.querySelector('#remote-screen canvas').width") == SCREEN[0]
    assert log_has(gateway, token, session, "browser_screen_frames")
    if gateway.transport == "webrtc":
        # The direct path comes up: the customer's page stops sending pictures through the gateway,
        # the console says where the screen comes from, the log too.
        transport = "return document.querySelector('#remote-screen canvas').dataset.transport"
        watch.until(lambda b: b.execute_script(transport) == "webrtc")
        customer.until(lambda b: b.find_element(By.ID, "screen-sharing").get_attribute("data-transport") == "webrtc")
        watch.until(lambda _: log_has(gateway, token, session, "browser_screen_webrtc"))
        assert "straight from their browser" in browser.find_element(By.ID, "remote-status").text
    through_gateway = int(sharing_browser.find_element(By.ID, "screen-sharing").get_attribute("data-updates"))
    assert through_gateway > 0, "the first pictures always come through the gateway"
    customer_screen.run("xsetroot", "-solid", "#e07010")
    watch.until(lambda b: near(canvas_pixel(b, *MARKER), (0xe0, 0x70, 0x10)))
    now_through_gateway = int(sharing_browser.find_element(By.ID, "screen-sharing").get_attribute("data-updates"))
    if gateway.transport == "webrtc":
        assert now_through_gateway == through_gateway, "the change came over the direct path only"
    else:
        assert now_through_gateway > through_gateway
        assert not log_has(gateway, token, session, "browser_screen_webrtc")
        assert browser.execute_script("return document.querySelector('#remote-screen canvas').dataset.transport") is None

    # The laser is shown but not available, with the reason; tools played by an applet are refused.
    laser = browser.find_element(By.ID, "remote-laser")
    assert laser.is_displayed() and not laser.is_enabled()
    assert "not available" in laser.get_attribute("title")
    assert browser.find_element(By.ID, "remote-whiteboard").is_displayed()

    # The customer stops sharing: the console's view ends, the customer reads that it did.
    sharing_browser.find_element(By.ID, "screen-stop").click()
    customer.until(EC.invisibility_of_element_located((By.ID, "screen-sharing")))
    assert "You stopped sharing your screen." in sharing_browser.find_element(By.ID, "instant-log").text
    console.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
    watch.until(lambda _: log_has(gateway, token, session, "remote_ended"))
