"""Channel sessions (F2): the customer fills the channel's form, two technicians of the channel's
group see the request in their Channel tab, the first Start takes it, it leaves the other's queue."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import open_browser
from test_console_session import row_status, select_row, sign_in

PERMISSIONS = ["channel_sessions", "chat", "edit_custom_fields"]


def make_channel(gateway, admin, **extra):
    group = gateway.api("POST", "admin/groups", {"name": "Level 1", "permissions": PERMISSIONS}, token=admin, expect=201)[1]
    for name in ("Ann", "Bob"):
        gateway.api("POST", "admin/technicians", {"email": f"{name.lower()}@e2e.test", "name": name,
                                                    "password": f"{name} password 1", "groupId": group["id"]},
                    token=admin, expect=201)
    gateway.api("PUT", "admin/settings", {"autoStartDefault": False, "urgentAfterSeconds": 120,
                                          "customFieldNames": ["Ticket"]}, token=admin, expect=200)
    body = {"name": "Website help", "groupIds": [group["id"]], **extra}
    return gateway.api("POST", "admin/channels", body, token=admin, expect=201)[1]


def channel_tab(browser, wait):
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".queue-tabs button[data-tab=channel]"))).click()


def test_channel_request_taken_by_the_first_technician(gateway, browser, applets):
    admin = gateway.login()
    channel = make_channel(gateway, admin)
    ann_browser, bob_browser = open_browser(), open_browser()
    try:
        ann_wait = sign_in(ann_browser, gateway, email="ann@e2e.test", password="Ann password 1")
        bob_wait = sign_in(bob_browser, gateway, email="bob@e2e.test", password="Bob password 1")
        for b, w in ((ann_browser, ann_wait), (bob_browser, bob_wait)):
            channel_tab(b, w)

        # The customer opens the channel page, types a name and the ticket, and sends it.
        browser.get(channel["link"])
        wait = WebDriverWait(browser, 10)
        wait.until(EC.visibility_of_element_located((By.ID, "channel-name"))).send_keys("Dora")
        browser.find_element(By.CSS_SELECTOR, "#channel-fields input[data-field=Ticket]").send_keys("T-100")
        browser.find_element(By.CSS_SELECTOR, "#channel-form button[type=submit]").click()
        instructions = wait.until(EC.visibility_of_element_located((By.ID, "instructions")))
        assert "Website help queue of Lifeline" in instructions.text
        command = browser.find_element(By.CSS_SELECTOR, "#instructions pre.command").text
        link = command.split("--link ")[1].split()[0]
        assert command.rstrip().endswith("--remove-when-done"), "the downloaded applet removes itself at the end"
        applet = applets(gateway.url, "--link", link)
        applet.expect("INVITATION", 'technician=""')
        applet.expect("WELCOME", "state=waiting")

        session_id = gateway.api("GET", "sessions?queue=channel", token=gateway.login("ann@e2e.test", "Ann password 1"))[1][0]["id"]
        for b, w in ((ann_browser, ann_wait), (bob_browser, bob_wait)):
            w.until(lambda d: row_status(d, session_id) == "Waiting")
        row = bob_browser.find_element(By.CSS_SELECTOR, f"#session-list tr[data-session-id='{session_id}']").text
        assert "Dora" in row and "Website help" in row and "T-100" in row

        select_row(ann_browser, ann_wait, session_id)
        ann_wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
        ann_wait.until(lambda d: row_status(d, session_id) == "Active")
        bob_wait.until(lambda d: row_status(d, session_id) is None)
        applet.expect("TECHNICIAN", 'technician="Ann"')

        # Ann corrects the ticket number inline (C3).
        cell = ann_browser.find_element(By.CSS_SELECTOR, f"#session-list tr[data-session-id='{session_id}'] td[data-field=Ticket]")
        ann_browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('dblclick', {bubbles: true}))", cell)
        editor = ann_wait.until(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, f"#session-list tr[data-session-id='{session_id}'] td[data-field=Ticket] input")))
        editor.send_keys(Keys.CONTROL, "a")
        editor.send_keys("T-101", Keys.ENTER)
        ann_token = gateway.login("ann@e2e.test", "Ann password 1")
        for _ in range(50):
            fields = gateway.api("GET", f"sessions/{session_id}", token=ann_token)[1]["fields"]
            if fields.get("Ticket") == "T-101":
                break
            time.sleep(0.1)
        assert fields == {"Ticket": "T-101"}
        applet.say("/quit")
        applet.expect("ENDED")
    finally:
        ann_browser.quit()
        bob_browser.quit()


def test_channel_page_says_no_technician_is_available(gateway, browser):
    admin = gateway.login()
    channel = make_channel(gateway, admin, whenUnavailable="refuse", unavailableMessage="We open at 9. Call 555-0100.")
    browser.get(channel["link"])
    wait = WebDriverWait(browser, 10)
    notice = wait.until(EC.visibility_of_element_located((By.ID, "channel-unavailable")))
    assert notice.text == "We open at 9. Call 555-0100."
    assert not browser.find_element(By.ID, "channel-form").is_displayed(), "a refusing channel offers no form"


def test_the_embeddable_form_opens_the_channel_page_and_sends(gateway, browser, applets):
    admin = gateway.login()
    channel = make_channel(gateway, admin)
    token = channel["link"].split("/ch/")[1]
    ann_browser = open_browser()
    try:
        sign_in(ann_browser, gateway, email="ann@e2e.test", password="Ann password 1")
        status, snippet = gateway.api("GET", f"channels/{token}/form", raw=True)
        assert status == 200 and 'name="field.Ticket"' in snippet and f'action="{channel["link"]}"' in snippet
        # The organisation's own page with the snippet pasted in it.
        browser.get(f"{gateway.url}/")
        browser.execute_script("document.body.innerHTML = arguments[0];", snippet)
        browser.find_element(By.NAME, "name").send_keys("Eve")
        browser.find_element(By.NAME, "field.Ticket").send_keys("T-7")
        browser.find_element(By.CSS_SELECTOR, "form.lifeline-channel-form button").click()
        wait = WebDriverWait(browser, 10)
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#instructions pre.command")))
        queue = gateway.api("GET", "sessions?queue=channel", token=gateway.login("ann@e2e.test", "Ann password 1"))[1]
        assert [(s["name"], s["fields"]) for s in queue] == [("Eve", {"Ticket": "T-7"})]
    finally:
        ann_browser.quit()
