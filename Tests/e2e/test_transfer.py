"""Two technicians in two browsers: a transfer with a comment, taken over by the recipient."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import click_when_ready, open_browser
from test_console_session import row_status, select_row, sign_in

PERMISSIONS = ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions", "transfer_sessions"]



def bea_in_level_2_and_an_active_session(gateway, applets, permissions=PERMISSIONS):
    """Bea in "Level 2"; the administrator's session with Carl is active. Returns (group, session, applet)."""
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Level 2", "permissions": permissions}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "bea@e2e.test", "name": "Bea", "password": "bea password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    session = gateway.api("POST", "sessions", {"name": "Carl", "method": "pin"}, token=admin, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=admin, expect=200)
    return group, session, applet


def open_transfer_dialog(gateway, browser, bea_browser, session):
    """Bea's console and the administrator's, with the Transfer dialog open on the session."""
    bea_wait = sign_in(bea_browser, gateway, email="bea@e2e.test", password="bea password 1")
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "transfer-session"))).click()
    return wait, bea_wait


def test_transfer_with_comment_then_take_over(gateway, browser, applets):
    group, session, applet = bea_in_level_2_and_an_active_session(gateway, applets)

    bea_browser = open_browser()
    try:
        wait, bea_wait = open_transfer_dialog(gateway, browser, bea_browser, session)
        option = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#transfer-list input[type=radio]:not([disabled])")))
        assert "Bea" in browser.find_element(By.ID, "transfer-list").text
        option.click()
        browser.find_element(By.ID, "transfer-comment").send_keys("Printer driver; Carl is patient")
        browser.find_element(By.ID, "transfer-submit").click()
        wait.until(lambda b: row_status(b, session["id"]) == "Outgoing")
        applet.expect("STATUS", "outgoing")

        bea_wait.until(lambda b: row_status(b, session["id"]) == "Incoming")
        select_row(bea_browser, bea_wait, session["id"])
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "chat-invite"), "Transferred by Administrator: Printer driver; Carl is patient"))
        bea_wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Active")
        wait.until(lambda b: row_status(b, session["id"]) is None)
        row_text = bea_browser.execute_script(
            "return document.querySelector(`#session-list tr[data-session-id='${arguments[0]}']`).textContent;", session["id"])
        assert "Administrator" in row_text, "the Transferred by column names the sender"
        applet.expect("TECHNICIAN", 'technician="Bea"')
        applet.expect("STATUS", "active")
    finally:
        bea_browser.quit()


def test_transfer_into_a_group_queue_from_the_dialog(gateway, browser, applets):
    group, session, applet = bea_in_level_2_and_an_active_session(gateway, applets)

    bea_browser = open_browser()
    try:
        wait, bea_wait = open_transfer_dialog(gateway, browser, bea_browser, session)
        queue = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#transfer-list input[value='group:{group['id']}']")))
        assert "Group queue: Level 2" in browser.find_element(By.ID, "transfer-list").text
        queue.click()
        browser.find_element(By.ID, "transfer-submit").click()
        wait.until(lambda b: row_status(b, session["id"]) == "Outgoing")
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Incoming")
        select_row(bea_browser, bea_wait, session["id"])
        bea_wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Active")
        wait.until(lambda b: row_status(b, session["id"]) is None)
        applet.expect("TECHNICIAN", 'technician="Bea"')
    finally:
        bea_browser.quit()


def test_hold_and_resume_then_an_away_colleague_is_not_offered_and_a_transfer_is_cancelled(gateway, browser, applets):
    group, session, applet = bea_in_level_2_and_an_active_session(gateway, applets)
    bea_browser = open_browser()
    try:
        bea_wait = sign_in(bea_browser, gateway, email="bea@e2e.test", password="bea password 1")
        bea_wait.until(EC.element_to_be_clickable((By.ID, "toggle-away"))).click()
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "my-status"), "Away"))

        wait = sign_in(browser, gateway)
        select_row(browser, wait, session["id"])
        # Hold, then Start resumes (C5).
        wait.until(EC.element_to_be_clickable((By.ID, "hold-session"))).click()
        wait.until(lambda b: row_status(b, session["id"]) == "On hold")
        applet.expect("STATUS", "on_hold")
        wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
        wait.until(lambda b: row_status(b, session["id"]) == "Active")
        applet.expect("STATUS", "active")

        # Bea is Away: listed, not selectable; she comes back Online while the dialog is open.
        wait.until(EC.element_to_be_clickable((By.ID, "transfer-session"))).click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "transfer-list"), "Bea"))
        bea_choice = "#transfer-list input[type=radio][value]:not([value^='group:']):not([value^='channel:'])"
        assert browser.find_element(By.CSS_SELECTOR, bea_choice).get_attribute("disabled") is not None
        bea_browser.find_element(By.ID, "toggle-away").click()
        # The list is drawn again on each status push: find and click in one go, again if it was redrawn.
        wait.until(lambda b: click_when_ready(b, bea_choice))
        browser.find_element(By.ID, "transfer-comment").send_keys("Back to you if needed")
        browser.find_element(By.ID, "transfer-submit").click()
        wait.until(lambda b: row_status(b, session["id"]) == "Outgoing")
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Incoming")

        # The sender's Start on Outgoing cancels: it leaves Bea's queue (C6).
        select_row(browser, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
        wait.until(lambda b: row_status(b, session["id"]) == "Active")
        bea_wait.until(lambda b: row_status(b, session["id"]) is None)
    finally:
        bea_browser.quit()
