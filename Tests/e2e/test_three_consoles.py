"""Three technicians in one session, each in their own browser, with a real applet on Xvfb (issue 21):
Una leads and invites Bea with the customer's screen and her own hold only; the administrator
monitors Una and joins her session from there (E2). All three draw the one customer screen; Bea's
chat with the customer is refused, the administrator's private line reaches both colleagues and
never the applet; Una gives the mouse and keyboard to the administrator and takes them back; Bea's
hold is hers alone; Una's End ends the session for all three and the customer."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import open_browser, technician_with
from test_console_session import row_status, select_row, sign_in
from test_remote_desktop import XTERM, typed_into_xterm, wait_for_colour
from test_shared_screen import green, red

def viewers(applet, names, control):
    """Waits until the customer is told exactly `names` watch and `control` has the mouse and keyboard."""
    while True:
        line = applet.expect("REMOTE_VIEWERS", f'control="{control}"')
        if set(line.split('names="')[1].split('"')[0].split(", ")) == names:
            return


BASE = ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions", "desktop_view", "remote_control"]


def test_lead_colleague_and_administrator_work_one_session(gateway, browser, applets, x_server):
    admin = gateway.login()
    x_server.run("xsetroot", "-solid", "#00a000")
    x_server.run(*XTERM)
    una = technician_with(gateway, BASE + ["invite_internal_technicians"], "una@e2e.test", "Una")
    technician_with(gateway, BASE, "bea@e2e.test", "Bea")
    session = gateway.api("POST", "sessions", {"name": "Wanda", "method": "pin"}, token=una, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], display=x_server.display, remote_consent="accept")
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=una, expect=200)
    admin_id = gateway.api("GET", "me", token=admin)[1]["id"]

    una_browser, bea_browser = open_browser(), open_browser()
    try:
        una_wait = sign_in(una_browser, gateway, email="una@e2e.test", password="Una password 1")
        bea_wait = sign_in(bea_browser, gateway, email="bea@e2e.test", password="Bea password 1")
        wait = sign_in(browser, gateway)
        select_row(una_browser, una_wait, session["id"])

        # Una invites Bea with the screen and her own hold: not the chat, not the mouse.
        una_wait.until(EC.element_to_be_clickable((By.ID, "invite-technician"))).click()
        una_wait.until(lambda b: any(o.text == "Bea" for o in Select(b.find_element(By.ID, "colleague-pick")).options))
        Select(una_browser.find_element(By.ID, "colleague-pick")).select_by_visible_text("Bea")
        una_browser.find_element(By.ID, "colleague-all").click()
        for name in ("chat", "remote_control"):
            una_wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#colleague-permission-list input[value={name}]"))).click()
        una_browser.find_element(By.ID, "colleague-submit").click()
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Invitation")
        select_row(bea_browser, bea_wait, session["id"])
        bea_wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Collaboration")
        applet.expect("COLLABORATOR", 'joined name="Bea"')

        # The administrator monitors Una and joins her session from the monitoring tab (E2).
        wait.until(EC.element_to_be_clickable((By.ID, "monitor-technician"))).click()
        wait.until(EC.visibility_of_element_located((By.ID, "monitor-filter"))).send_keys("una")
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#monitor-list input[type=radio]"))).click()
        browser.find_element(By.ID, "monitor-start").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-sessions"), "Wanda"))
        wait.until(EC.element_to_be_clickable((By.ID, "monitoring-join"))).click()
        wait.until(lambda b: row_status(b, session["id"]) == "Collaboration")
        applet.expect("COLLABORATOR", 'joined name="Administrator"')
        una_wait.until(EC.text_to_be_present_in_element((By.ID, "colleague-list"), "Administrator · Collaboration"))

        # Una's remote desktop: one stream, three consoles drawing the red xterm on the green desktop.
        una_wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
        applet.expect("REMOTE_STARTED", "mode=control")
        # Joining from the monitoring tab brought the administrator back to their own sessions, Wanda's selected.
        for each, each_wait in ((bea_browser, bea_wait), (browser, wait)):
            each_wait.until(EC.element_to_be_clickable((By.ID, "tool-remote"))).click()
        viewers(applet, {"Una", "Bea", "Administrator"}, control="Una")
        for each, each_wait in ((una_browser, una_wait), (bea_browser, bea_wait), (browser, wait)):
            each_wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
            wait_for_colour(each_wait, each, 100, 100, red)
            wait_for_colour(each_wait, each, 900, 700, green)

        # Bea was not granted the chat with the customer: refused, and said so.
        bea_browser.find_element(By.ID, "chat-input").send_keys("Hello Wanda\n")
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "console-error"), "did not allow chat"))
        # The administrator's private line reaches Una and Bea, never the customer.
        wait.until(EC.visibility_of_element_located((By.ID, "private-chat-input"))).send_keys("Check the spooler first\n")
        for each_wait in (una_wait, bea_wait):
            each_wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#chat-log li.private_chat"), "Check the spooler first"))

        # Una gives the mouse and keyboard to the administrator (Bea may not be chosen), then takes them back.
        controller = Select(una_wait.until(EC.visibility_of_element_located((By.ID, "remote-controller"))))
        assert [o.get_attribute("value") for o in controller.options if "Bea" in o.text] == [], "Bea was not granted control"
        controller.select_by_value(admin_id)
        applet.expect("REMOTE_VIEWERS", 'control="Administrator"')
        wait.until(EC.text_to_be_present_in_element((By.ID, "remote-viewers"), "Administrator has the mouse and keyboard"))
        assert typed_into_xterm(browser), "the administrator's keystrokes reached the customer's xterm"
        assert not typed_into_xterm(bea_browser), "Bea typed without control"
        Select(una_browser.find_element(By.ID, "remote-controller")).select_by_visible_text("Mouse and keyboard: Una")
        applet.expect("REMOTE_VIEWERS", 'control="Una"')
        assert typed_into_xterm(una_browser), "Una's keystrokes reach the xterm again"

        # Bea holds for herself: her view is on hold, the session and the others' screens go on.
        bea_wait.until(EC.element_to_be_clickable((By.ID, "hold-session"))).click()
        bea_wait.until(lambda b: row_status(b, session["id"]) == "On hold")
        viewers(applet, {"Una", "Administrator"}, control="Una")
        assert row_status(una_browser, session["id"]) == "Active"
        wait_for_colour(wait, browser, 100, 100, red)
        assert gateway.api("GET", f"sessions/{session['id']}", token=una)[1]["state"] == "active"

        # Una ends the session: it ends for all three consoles and the customer.
        una_wait.until(EC.element_to_be_clickable((By.ID, "end-session"))).click()
        una_wait.until(EC.alert_is_present()).accept()  # "End the session with Wanda?" (the default option)
        applet.expect("ENDED")
        for each, each_wait in ((una_browser, una_wait), (bea_browser, bea_wait), (browser, wait)):
            each_wait.until(lambda b: row_status(b, session["id"]) is None)
        assert not any("spooler" in line for line in applet.seen), "the private line reached the customer"
    finally:
        una_browser.quit()
        bea_browser.quit()
