"""History and notes (D6) end to end: technician A writes notes in a session with a real applet;
the next session from the same computer, taken by technician B in another browser, shows A's
notes and the earlier session's log under History and notes."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import open_browser
from test_console_session import select_row, sign_in

PERMISSIONS = ["start_private_sessions", "connect_by_pin", "chat"]


def test_notes_by_a_are_seen_by_b_next_time_with_the_same_device(gateway, browser, applets):
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Desk", "permissions": PERMISSIONS}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "ben@e2e.test", "name": "Ben", "password": "ben password 12",
                                                "groupId": group["id"]}, token=admin, expect=201)
    first = gateway.api("POST", "sessions", {"name": "Hana", "method": "pin"}, token=admin, expect=201)[1]
    applet = applets(gateway.url, "--pin", first["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{first['id']}/start", token=admin, expect=200)
    applet.say("The printer jams on page 2")

    wait = sign_in(browser, gateway)
    select_row(browser, wait, first["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-notes"))).click()
    notes = wait.until(EC.visibility_of_element_located((By.ID, "session-notes")))
    notes.send_keys("Reinstalled driver 4.2 <b>then</b> the jam stopped.")
    browser.find_element(By.ID, "save-notes").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "notes-status"), "Saved by Administrator"))
    applet.say("/quit")
    applet.expect("ENDED")

    ben = gateway.login("ben@e2e.test", "ben password 12")
    second = gateway.api("POST", "sessions", {"name": "Hana", "method": "pin"}, token=ben, expect=201)[1]
    again = applets(gateway.url, "--pin", second["pin"])
    again.expect("WELCOME")
    gateway.api("POST", f"sessions/{second['id']}/start", token=ben, expect=200)
    other = open_browser()
    try:
        wait_b = sign_in(other, gateway, email="ben@e2e.test", password="ben password 12")
        select_row(other, wait_b, second["id"])
        wait_b.until(EC.element_to_be_clickable((By.ID, "tool-notes"))).click()
        entry = wait_b.until(EC.visibility_of_element_located((By.CSS_SELECTOR, f"#device-sessions li[data-session-id='{first['id']}']")))
        assert entry.find_element(By.CLASS_NAME, "device-notes").text == "Reinstalled driver 4.2 <b>then</b> the jam stopped."
        assert "Administrator" in entry.text
        entry.find_element(By.TAG_NAME, "button").click()
        wait_b.until(lambda b: "The printer jams on page 2" in entry.find_element(By.CLASS_NAME, "device-log").text)
    finally:
        other.quit()


def test_history_appears_when_the_applet_connects_to_a_session_already_selected(gateway, browser, applets):
    """Issue 14, item 18: a session selected while Connecting has no device yet; once the applet
    joins, History and notes lists the device's earlier session without reloading the page."""
    token = gateway.login()
    first = gateway.api("POST", "sessions", {"name": "Ida", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", first["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{first['id']}/start", token=token, expect=200)
    gateway.api("PUT", f"sessions/{first['id']}/notes", {"text": "Router reset fixed it."}, token=token, expect=200)
    applet.say("/quit")
    applet.expect("ENDED")

    second = gateway.api("POST", "sessions", {"name": "Ida again", "method": "pin"}, token=token, expect=201)[1]
    wait = sign_in(browser, gateway)
    select_row(browser, wait, second["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-notes"))).click()
    wait.until(EC.visibility_of_element_located((By.ID, "device-none")))
    again = applets(gateway.url, "--pin", second["pin"])
    again.expect("WELCOME")
    entry = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, f"#device-sessions li[data-session-id='{first['id']}']")))
    assert entry.find_element(By.CLASS_NAME, "device-notes").text == "Router reset fixed it."
    assert not browser.find_element(By.ID, "device-none").is_displayed()
