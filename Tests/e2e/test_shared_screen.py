"""One customer's screen, two technicians (issue 21): a real applet on Xvfb streams once, the lead's
and the colleague's consoles (two headless Chromiums) both draw it, only the one with the mouse and
keyboard types into the customer's xterm, the lead gives control and takes it back, and the
customer is told who watches and who has control."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import open_browser
from test_console_session import select_row, sign_in
from test_remote_desktop import XTERM, typed_into_xterm, wait_for_colour
from test_transfer import PERMISSIONS as TRANSFER_PERMISSIONS

PERMISSIONS = TRANSFER_PERMISSIONS + ["invite_internal_technicians", "desktop_view", "remote_control"]


def red(r, g, b):
    return r > 150 and g < 60 and b < 60


def green(r, g, b):
    return g > 120 and r < 60 and b < 60


def test_lead_and_colleague_see_one_screen_and_pass_the_mouse(gateway, browser, applets, x_server):
    admin = gateway.login()
    x_server.run("xsetroot", "-solid", "#00a000")
    x_server.run(*XTERM)
    group = gateway.api("POST", "admin/groups", {"name": "Level 2", "permissions": PERMISSIONS}, token=admin, expect=201)[1]
    bea_id = gateway.api("POST", "admin/technicians", {"email": "bea@e2e.test", "name": "Bea", "password": "bea password 1",
                                                       "groupId": group["id"]}, token=admin, expect=201)[1]["id"]
    session = gateway.api("POST", "sessions", {"name": "Dana", "method": "pin"}, token=admin, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], display=x_server.display, remote_consent="accept")
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=admin, expect=200)

    bea_browser = open_browser()
    try:
        bea_wait = sign_in(bea_browser, gateway, email="bea@e2e.test", password="bea password 1")
        bea = gateway.login("bea@e2e.test", "bea password 1")
        # Bea joins for this session with the screen and the mouse, not the chat.
        gateway.api("POST", f"sessions/{session['id']}/colleagues",
                    {"technicianId": bea_id, "permissions": ["desktop_view", "remote_control", "hold_sessions"]}, token=admin, expect=201)
        gateway.api("POST", f"sessions/{session['id']}/start", token=bea, expect=200)

        wait = sign_in(browser, gateway)
        select_row(browser, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
        applet.expect("REMOTE_STARTED", "mode=control")
        applet.expect("REMOTE_VIEWERS", 'names="Administrator, Bea" control="Administrator"')

        # One stream, two consoles: both draw the red xterm and the green desktop.
        select_row(bea_browser, bea_wait, session["id"])
        bea_wait.until(EC.element_to_be_clickable((By.ID, "tool-remote"))).click()
        for each, each_wait in ((browser, wait), (bea_browser, bea_wait)):
            each_wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
            wait_for_colour(each_wait, each, 100, 100, red)
            wait_for_colour(each_wait, each, 900, 700, green)
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "remote-viewers"), "Administrator has the mouse and keyboard"))
        assert bea_browser.find_element(By.ID, "remote-control").get_attribute("disabled"), "asking is the lead's"
        assert not bea_browser.find_element(By.ID, "remote-controller").is_displayed(), "giving control is the lead's"

        # Without control Bea's keys go nowhere; the lead gives her control and they reach the xterm.
        assert not typed_into_xterm(bea_browser), "Bea typed without control"
        Select(wait.until(EC.visibility_of_element_located((By.ID, "remote-controller")))).select_by_value(bea_id)
        applet.expect("REMOTE_VIEWERS", 'control="Bea"')
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "remote-viewers"), "Bea has the mouse and keyboard"))
        assert typed_into_xterm(bea_browser), "Bea's keystrokes reached the customer's xterm"
        gateway.wait_for_log_line(session["id"], "Administrator gave the mouse and keyboard to Bea.", admin, timeout=5)

        # Taken back: the lead types again, Bea no longer does.
        Select(browser.find_element(By.ID, "remote-controller")).select_by_visible_text("Mouse and keyboard: Administrator")
        applet.expect("REMOTE_VIEWERS", 'control="Administrator"')
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "remote-viewers"), "Administrator has the mouse and keyboard"))
        assert typed_into_xterm(browser), "the lead's keystrokes reach the xterm again"

        # Bea holds for herself: her screen ends, the lead's goes on, the customer is told.
        gateway.api("POST", f"sessions/{session['id']}/hold", token=bea, expect=200)
        applet.expect("REMOTE_VIEWERS", 'names="Administrator"')
        bea_wait.until(EC.invisibility_of_element_located((By.ID, "remote-screen")))
        wait.until(EC.invisibility_of_element_located((By.ID, "remote-viewers")))
        wait_for_colour(wait, browser, 100, 100, red)
    finally:
        bea_browser.quit()
