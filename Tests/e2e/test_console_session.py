"""The first support session, as a technician and a customer live it: browser console + real applet."""
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD


def sign_in(browser, gateway, language="en", email=ADMIN_EMAIL, password=ADMIN_PASSWORD):
    browser.get(f"{gateway.url}/console/")
    # A busy machine (three e2e modules at once, each with browsers, one of them three gateways and
    # PostgreSQL) can take more than 20 s to draw the console.
    wait = WebDriverWait(browser, 30)
    try:
        wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(email)
    except TimeoutException:
        # What the page had come to, for whoever reads the failure (it has happened only on a loaded machine).
        state = browser.execute_script(
            "return {ready: document.readyState, login: document.getElementById('login-view')?.hidden,"
            " body: document.body?.innerText.slice(0, 300)};")
        errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        raise AssertionError(f"the sign-in form did not show within 30 s: {state}; browser errors: {errors}") from None
    browser.find_element(By.ID, "login-password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, f"#login-language option[value={language}]").click()
    browser.find_element(By.ID, "login-submit").click()
    wait.until(EC.visibility_of_element_located((By.ID, "console-view")))
    # Connected, in whichever language: the status is drawn and not marked offline.
    wait.until(lambda b: b.execute_script(
        "const s = document.getElementById('connection-status'); return s.textContent !== '' && !s.classList.contains('offline');"))
    return wait


def row_status(browser, session_id):
    """The Status column of a session's row (None when it is not listed). Rows are redrawn on
    every push, so a row found a moment ago may be gone: read it in one go."""
    return browser.execute_script(
        "const cell = document.querySelector(`#session-list tr[data-session-id='${arguments[0]}'] td.status`);"
        "return cell ? cell.textContent : null;", session_id)


def select_row(browser, wait, session_id):
    def selected(b):
        try:
            b.find_element(By.CSS_SELECTOR, f'#session-list tr[data-session-id="{session_id}"]').click()
        except StaleElementReferenceException:
            return False
        return b.execute_script(
            "return document.querySelector(`#session-list tr[data-session-id='${arguments[0]}']`)"
            "?.getAttribute('aria-selected') === 'true';", session_id)
    wait.until(selected)


def start_and_say(browser, wait, session_id, applet, text):
    """The technician starts a waiting session from its row and types a chat line the applet shows."""
    select_row(browser, wait, session_id)
    wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
    wait.until(lambda b: row_status(b, session_id) == "Active")
    applet.expect("STATUS", "active")
    chat_input = wait.until(EC.visibility_of_element_located((By.ID, "chat-input")))
    chat_input.send_keys(text, Keys.ENTER)
    return applet.expect("CHAT", text)


def test_first_session_pin_chat_and_history(gateway, browser, applets):
    wait = sign_in(browser, gateway)

    browser.find_element(By.ID, "new-session").click()
    browser.find_element(By.ID, "new-session-name").send_keys("Ann Example")
    browser.find_element(By.ID, "new-session-create").click()
    pin = wait.until(EC.visibility_of_element_located((By.ID, "new-session-pin"))).text
    assert len(pin) == 6 and pin.isdigit()
    browser.find_element(By.ID, "new-session-close").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#session-list tbody tr")))
    session_id, row_class = browser.execute_script(
        "const row = document.querySelector('#session-list tbody tr'); return [row.dataset.sessionId, row.className];")
    assert row_status(browser, session_id) == "Connecting"
    assert "state-connecting" in row_class, "connecting sessions are grey"
    select_row(browser, wait, session_id)
    assert browser.find_element(By.ID, "chat-invite").text == f"PIN for the customer: {pin}", "the PIN stays at hand"

    applet = applets(gateway.url, "--pin", pin)
    assert applet.expect("INVITATION").startswith('INVITATION technician="Administrator" organisation="Lifeline"')
    applet.expect("WELCOME", "state=waiting")
    wait.until(lambda b: row_status(b, session_id) == "Waiting")

    assert "technician Administrator: Hello Ann, how can I help?" in start_and_say(browser, wait, session_id, applet, "Hello Ann, how can I help?")
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Hello Ann, how can I help?"))

    applet.say("My printer <b>is</b> broken")
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "My printer <b>is</b> broken"))
    assert browser.find_elements(By.CSS_SELECTOR, "#chat-log b") == [], "customer text is never rendered as HTML"

    applet.say("/quit")
    applet.expect("ENDED")
    assert applet.wait() == 0
    wait.until(lambda b: row_status(b, session_id) == "Closed by customer")

    browser.find_element(By.ID, "end-session").click()
    WebDriverWait(browser, 5).until(EC.alert_is_present()).accept()
    wait.until(lambda b: row_status(b, session_id) is None)

    browser.find_element(By.ID, "toggle-history").click()
    history_row = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f'#history-list tr[data-session-id="{session_id}"]')))
    assert "Ann Example" in history_row.text
    assert "Closed by the customer" in history_row.text, "the real end, not just Closed"
    token = gateway.login()
    log = gateway.api("GET", f"sessions/{session_id}/log", token=token, expect=200)[1]
    texts = [(entry["kind"], entry["authorRole"], entry["text"]) for entry in log]
    assert ("chat", "technician", "Hello Ann, how can I help?") in texts
    assert ("chat", "customer", "My printer <b>is</b> broken") in texts
    assert [entry["state"] for entry in log if entry["kind"] == "status" and entry.get("state")] == [
        "connecting", "waiting", "active", "closed_by_customer", "closed"]


def test_console_in_french(gateway, browser):
    sign_in(browser, gateway, language="fr")
    assert browser.find_element(By.ID, "new-session").text == "Nouvelle session"
    assert browser.find_element(By.CSS_SELECTOR, '.queue-tabs button[data-tab="active"]').text == "Actives"
    token = gateway.login()
    assert gateway.api("GET", "me", token=token)[1]["language"] == "fr", "the language choice is remembered"


def test_sign_in_with_wrong_password_shows_the_reason(gateway, browser):
    browser.get(f"{gateway.url}/console/")
    # A busy machine (three e2e modules at once, each with browsers, one of them three gateways and
    # PostgreSQL) can take more than 20 s to draw the console.
    wait = WebDriverWait(browser, 30)
    wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(ADMIN_EMAIL)
    browser.find_element(By.ID, "login-password").send_keys("wrong password")
    browser.find_element(By.ID, "login-submit").click()
    error = wait.until(EC.visibility_of_element_located((By.ID, "login-error")))
    assert "email or password is wrong" in error.text


def test_queue_logic_module(gateway, browser):
    """The console's pure queue rules, run in the browser that uses them."""
    browser.get(f"{gateway.url}/console/")
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/lib/session-logic.js').then((m) => done({
          short: m.formatDuration(65000), long: m.formatDuration(3723000),
          activeTab: ['active', 'on_hold', 'waiting', 'closed'].map((s) => m.inTab('active', s)),
          allTab: ['connecting', 'closed_by_customer', 'closed', 'closed_by_customer_waiting'].map((s) => m.inTab('all', s)),
          dropped: m.upsert([{id: '1', state: 'active', createdAt: 'a'}], {id: '1', state: 'closed', createdAt: 'a'}).length,
          startOnHold: m.availableCommands({state: 'on_hold'}).start,
          colleague: [m.availableCommands({state: 'invitation'}), m.availableCommands({state: 'collaboration'})],
          colleagueEnded: [m.colleagueViewEnded({technicianId: 'lead', state: 'closed_by_customer'}, 'bea'),
                           m.colleagueViewEnded({technicianId: 'bea', state: 'closed_by_customer'}, 'bea'),
                           m.colleagueViewEnded({technicianId: 'lead', state: 'closed_by_customer',
                                                 colleagues: [{technicianId: 'bea'}]}, 'bea'),
                           m.colleagueViewEnded({technicianId: null, state: 'waiting'}, 'bea')],
          urgent: [m.isUrgent({state: 'waiting', stateSince: '2026-01-01T00:00:00Z'}, Date.parse('2026-01-01T00:02:00Z'), 120000),
                   m.isUrgent({state: 'waiting', stateSince: '2026-01-01T00:00:00Z'}, Date.parse('2026-01-01T00:01:59Z'), 120000),
                   m.isUrgent({state: 'active', stateSince: '2026-01-01T00:00:00Z'}, Date.parse('2026-01-01T01:00:00Z'), 120000)],
          held: m.timeText({state: 'on_hold', createdAt: '2026-01-01T00:00:00Z', stateSince: '2026-01-01T00:10:00Z',
                            heldSince: '2026-01-01T00:10:00Z'}, Date.parse('2026-01-01T00:12:05Z')),
          details: m.sessionDetails({name: 'Ann', id: '123', createdAt: '2026-01-01T00:00:00Z',
                                     customer: {user: 'ann', hostname: 'pc', platform: 'Linux x86_64'}}, 'Waiting'),
        }));
    """)
    assert result == {"short": "1:05", "long": "1:02:03", "activeTab": [True, True, False, False],
                      "allTab": [True, True, False, False], "dropped": 0, "startOnHold": True,
                      "colleague": [{"start": True, "hold": False, "end": True, "transfer": False},
                                    {"start": False, "hold": True, "end": True, "transfer": True}],
                      "colleagueEnded": [True, False, False, False],
                      "urgent": [True, False, False], "held": "2:05 / 12:05",
                      "details": "Ann · 123\nWaiting\nann@pc (Linux x86_64)\n2026-01-01T00:00:00Z"}


def test_away_toggle_shows_the_status_and_tells_the_gateway(gateway, browser):
    wait = sign_in(browser, gateway)
    wait.until(EC.text_to_be_present_in_element((By.ID, "my-status"), "Online"))
    browser.find_element(By.ID, "toggle-away").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "my-status"), "Away"))
    token = gateway.login()
    colleagues = gateway.api("GET", "technicians", token=token, expect=200)[1]
    assert [c["status"] for c in colleagues if c["name"] == "Administrator"] == ["away"]
    browser.find_element(By.ID, "toggle-away").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "my-status"), "Online"))


def test_options_are_saved_and_auto_start_starts_the_next_session(gateway, browser, applets):
    wait = sign_in(browser, gateway)
    browser.find_element(By.ID, "open-options").click()
    wait.until(EC.visibility_of_element_located((By.ID, "options-auto-start")))
    browser.find_element(By.CSS_SELECTOR, "#options-auto-start option[value=on]").click()
    browser.find_element(By.ID, "options-confirm-end").click()
    browser.find_element(By.ID, "options-save").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "options-dialog")))
    token = gateway.login()
    assert gateway.api("GET", "me/options", token=token)[1]["options"] == {
        "autoStartIncoming": True, "confirmEnd": False, "confirmLogout": True, "mutedSounds": [], "hiddenColumns": [], "hiddenFields": [],
        "shownDetails": [], "clipboardSync": True, "alwaysDetach": False, "theme": "light"}

    session = gateway.api("POST", "sessions", {"name": "Dora", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME", "state=active")
    wait.until(lambda b: row_status(b, session["id"]) == "Active")
    select_row(browser, wait, session["id"])
    browser.find_element(By.ID, "end-session").click()
    # No confirmation is asked once it is switched off: the session simply ends.
    wait.until(lambda b: row_status(b, session["id"]) is None)
    applet.expect("ENDED")

    browser.find_element(By.ID, "logout").click()
    alert = WebDriverWait(browser, 5).until(EC.alert_is_present())
    assert alert.text == "Sign out of the console?"
    alert.dismiss()
    assert browser.find_element(By.ID, "console-view").is_displayed(), "dismissing keeps the technician signed in"


def test_a_waiting_session_turns_urgent_after_the_organisations_delay(gateway, browser, applets):
    # The API allows 10 seconds at least; a test does not wait that long. The settings are one JSON
    # value in the store, read when the gateway starts.
    import json
    import sqlite3
    settings = gateway.api("GET", "admin/settings", token=gateway.login(), expect=200)[1]
    gateway.stop()
    with sqlite3.connect(f"{gateway.data_dir}/lifeline.sqlite") as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('organisation_settings', ?)",
                   (json.dumps({**settings, "urgentAfterSeconds": 2}),))
    gateway.start()
    wait = sign_in(browser, gateway)
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Finn", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME", "state=waiting")
    row_class = lambda b: b.execute_script(
        "return document.querySelector(`#session-list tr[data-session-id='${arguments[0]}']`)?.className;", session["id"])
    wait.until(lambda b: row_class(b) == "state-new")
    wait.until(lambda b: row_class(b) == "state-urgent")
    select_row(browser, wait, session["id"])
    browser.find_element(By.ID, "start-session").click()
    wait.until(lambda b: row_class(b) == "state-active")


RECORD_TONES = """
    // Stands in for the speakers: records each tone the console asks the browser to play.
    window.tones = [];
    class RecordingContext {
      constructor() { this.currentTime = 0; this.destination = {}; }
      createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n) => n }; }
      createOscillator() {
        const oscillator = { frequency: { value: 0 }, connect: (n) => n, stop() {},
                             start() { window.tones.push(oscillator.frequency.value); } };
        return oscillator;
      }
    }
    window.AudioContext = RecordingContext;
"""


def test_sound_alerts_play_and_can_be_muted(gateway, browser, applets):
    wait = sign_in(browser, gateway)
    browser.execute_script(RECORD_TONES)
    token = gateway.login()
    first = gateway.api("POST", "sessions", {"name": "Gil", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", first["pin"])
    applet.expect("WELCOME")
    wait.until(lambda b: b.execute_script("return window.tones.join(',')") == "660,880", "new session, console open")

    browser.find_element(By.ID, "open-options").click()
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'input[data-sound="new_session_open"]')))
    assert box.is_selected()
    box.click()
    browser.find_element(By.ID, "options-save").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "options-dialog")))
    assert gateway.api("GET", "me/options", token=token)[1]["options"]["mutedSounds"] == ["new_session_open"]

    browser.execute_script("window.tones = [];")
    second = gateway.api("POST", "sessions", {"name": "Hal", "method": "pin"}, token=token, expect=201)[1]
    other = applets(gateway.url, "--pin", second["pin"])
    other.expect("WELCOME")
    wait.until(lambda b: row_status(b, second["id"]) == "Waiting")
    applet.say("/quit")
    wait.until(lambda b: b.execute_script("return window.tones.join(',')") == "520,390", "only the customer-disconnects alert")


def test_technician_chooses_the_columns(gateway, browser):
    token = gateway.login()
    gateway.api("PUT", "admin/settings", {"customFieldNames": ["Ticket", "Phone"]}, token=token, expect=200)
    wait = sign_in(browser, gateway)
    gateway.api("POST", "sessions", {"name": "Ivy", "method": "pin"}, token=token, expect=201)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#session-list tbody tr")))
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#session-list thead"), "Phone"))
    browser.find_element(By.ID, "open-options").click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'input[data-column="channel"]'))).click()
    browser.find_element(By.CSS_SELECTOR, 'input[data-field="Phone"]').click()
    browser.find_element(By.ID, "options-save").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "options-dialog")))
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#session-list th") if th.is_displayed()]
    assert headers == ["Name", "Session ID", "Status", "Time", "Ticket", "Transferred by"]
    assert not browser.find_element(By.CSS_SELECTOR, '#session-list tbody td[data-column="channel"]').is_displayed()
    browser.refresh()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#session-list tbody tr")))
    wait.until(lambda b: not b.find_element(By.CSS_SELECTOR, '#session-list th[data-column="channel"]').is_displayed())


def test_history_is_searched_and_filtered_by_how_sessions_ended(gateway, browser, applets):
    """Issue 15, item 8: the history names how each session ended and finds sessions by name,
    computer, how they ended and date."""
    token = gateway.login()
    quit_session = gateway.api("POST", "sessions", {"name": "Quentin Quits", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", quit_session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{quit_session['id']}/start", token=token, expect=200)
    applet.say("/quit")
    applet.expect("ENDED")
    gateway.wait_for_state(quit_session["id"], "closed_by_customer", token)
    gateway.api("POST", f"sessions/{quit_session['id']}/end", token=token, expect=200)
    ended = gateway.api("POST", "sessions", {"name": "Erin Ended", "method": "pin"}, token=token, expect=201)[1]
    gateway.api("POST", f"sessions/{ended['id']}/end", token=token, expect=200)

    wait = sign_in(browser, gateway)
    browser.find_element(By.ID, "toggle-history").click()

    def shown():
        return [row.get_attribute("data-session-id") for row in browser.find_elements(By.CSS_SELECTOR, "#history-list tbody tr")]

    wait.until(lambda b: sorted(shown()) == sorted([quit_session["id"], ended["id"]]))
    rows = {row.get_attribute("data-session-id"): row.text for row in browser.find_elements(By.CSS_SELECTOR, "#history-list tbody tr")}
    assert "Closed by the customer" in rows[quit_session["id"]] and "Ended by the technician" in rows[ended["id"]]
    assert "Administrator" in rows[ended["id"]], "who worked it"

    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "history-reason")).select_by_value("customer")
    wait.until(lambda b: shown() == [quit_session["id"]])
    Select(browser.find_element(By.ID, "history-reason")).select_by_value("")
    # The computer's host name finds the session its applet joined.
    search = browser.find_element(By.ID, "history-search")
    search.send_keys(__import__("socket").gethostname())
    wait.until(lambda b: shown() == [quit_session["id"]])
    search.clear()
    search.send_keys("erin")
    wait.until(lambda b: shown() == [ended["id"]])
    search.clear()
    search.send_keys("nobody like this")
    wait.until(lambda b: shown() == [])
    assert browser.find_element(By.ID, "history-empty").text == "No session in the history matches."
    search.clear()
    # Dates: nothing ended tomorrow.
    tomorrow = browser.execute_script("const d = new Date(Date.now() + 86400000); return d.toISOString().slice(0, 10);")
    browser.execute_script("const f = document.getElementById('history-from'); f.value = arguments[0]; f.dispatchEvent(new Event('input', { bubbles: true }));", tomorrow)
    wait.until(lambda b: shown() == [])


def test_the_customers_computer_shows_in_optional_columns(gateway, browser, applets):
    """Issue 15, item 8: the computer's name, system, user and address as columns the technician
    turns on in Options (off at first); the address is the one the gateway saw."""
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Col Umns", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    wait = sign_in(browser, gateway)
    wait.until(lambda b: row_status(b, session["id"]) == "Waiting")
    assert not browser.find_element(By.CSS_SELECTOR, "#session-list th[data-column='computer']").is_displayed()

    browser.find_element(By.ID, "open-options").click()
    for detail in ["computer", "address"]:
        box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#options-columns input[data-detail='{detail}']")))
        assert not box.is_selected()
        box.click()
    browser.find_element(By.ID, "options-save").click()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#session-list th[data-column='address']")))
    row = f"#session-list tr[data-session-id='{session['id']}']"
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, f"{row} td[data-column='address']").text == "127.0.0.1")
    assert browser.find_element(By.CSS_SELECTOR, f"{row} td[data-column='computer']").text == __import__("socket").gethostname()
    assert not browser.find_element(By.CSS_SELECTOR, f"{row} td[data-column='user']").is_displayed()
    assert gateway.api("GET", "me/options", token=token)[1]["options"]["shownDetails"] == ["address", "computer"]
