"""Instant Chat (G2): the customer chats from a second browser with nothing installed; the console
shows "Chat only" with the tools greyed; "Invite to download" hands the same session to a real
applet; the customer ends a chat with the big X."""
import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import open_browser
from test_console_session import select_row, sign_in


@pytest.fixture
def customer_browser():
    driver = open_browser()
    yield driver
    driver.quit()


def start_instant_chat(gateway, customer_browser, pin, technician="Administrator"):
    """The customer types the PIN and picks the chat in the browser."""
    customer_browser.get(f"{gateway.url}/")
    # Generous: three browsers share two cores when the suites run in parallel.
    wait = WebDriverWait(customer_browser, 30)
    wait.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(pin)
    customer_browser.find_element(By.ID, "pin-submit").click()
    wait.until(EC.element_to_be_clickable((By.ID, "start-instant-chat"))).click()
    # The page goes to /chat: looking for an element while it navigates makes WebDriver fail
    # ("aborted by navigation"), so the address is waited for first.
    wait.until(EC.url_contains("/chat"))
    try:
        wait.until(EC.text_to_be_present_in_element((By.ID, "instant-who"), f"{technician} from Lifeline"))
    except TimeoutException:
        # Seen once under parallel load: say what the customer's page showed instead.
        raise AssertionError(f"the chat never greeted the customer; the page said: {customer_browser.find_element(By.TAG_NAME, 'body').text!r}")
    return wait


def log_text(driver):
    return driver.find_element(By.ID, "instant-log").text


def test_instant_chat_then_the_applet_takes_over_the_same_session(gateway, browser, customer_browser, applets):
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Nora", "method": "pin"}, token=token, expect=201)[1]
    customer = start_instant_chat(gateway, customer_browser, session["pin"])
    gateway.wait_for_state(session["id"], "waiting", token)
    # From the first moment, the customer reads that the technician is coming (not only in the detailed log).
    waiting = customer.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#instant-log li.waiting")))
    assert "Waiting for Administrator to start the session." in waiting.text

    console = sign_in(browser, gateway)
    select_row(browser, console, session["id"])
    browser.find_element(By.ID, "start-session").click()
    gateway.wait_for_state(session["id"], "active", token)
    customer.until(lambda d: "Administrator has joined the session." in d.execute_script(
        "return document.getElementById('instant-log').textContent"))

    # Chat only: the technician sees why the tools are greyed; the gateway refuses them anyway.
    console.until(EC.visibility_of_element_located((By.ID, "chat-only")))
    assert "Chat only" in browser.find_element(By.ID, "chat-only").text
    control = browser.find_element(By.ID, "remote-control")
    assert not control.is_enabled()
    assert "Instant Chat" in control.get_attribute("title")
    send_file = browser.find_element(By.ID, "send-file")
    assert not send_file.is_enabled()
    status, body = gateway.api("POST", f"sessions/{session['id']}/files", {"name": "fix.sh", "size": 10}, token=token)
    assert status == 409 and body["error"]["code"] == "chat_only"

    # Chat both ways; markup typed by the customer stays text.
    customer_browser.find_element(By.ID, "instant-input").send_keys("<b>My printer</b> is offline\n")
    console.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "<b>My printer</b> is offline"))
    chat_input = browser.find_element(By.ID, "chat-input")
    chat_input.send_keys("Let me have a look.\n")
    customer.until(lambda d: "Let me have a look." in log_text(d))
    assert not customer_browser.find_elements(By.CSS_SELECTOR, "#instant-log b")

    # Plain addresses typed in the chat are links, shown in full; other schemes stay text.
    chat_input.send_keys("Try https://example.com/drivers?model=5 (or javascript:alert(1)).\n")
    typed = customer.until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, "#instant-log li.chat a[href='https://example.com/drivers?model=5']")))
    assert typed.text == "https://example.com/drivers?model=5" and typed.get_attribute("rel") == "noopener noreferrer"
    assert "javascript:alert(1))." in log_text(customer_browser)
    assert not customer_browser.find_elements(By.CSS_SELECTOR, "#instant-log a[href^='javascript']")

    # A link from the technician is a link in the chat, not opened by itself.
    gateway.api("POST", f"sessions/{session['id']}/urls", {"url": "https://example.com/printers"}, token=token, expect=204)
    link = customer.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#instant-log a[href='https://example.com/printers']")))
    assert link.get_attribute("rel") == "noopener noreferrer"

    # Text size and language: the customer's choice, and the log survives a reload of the page.
    size_before = customer_browser.execute_script("return getComputedStyle(document.getElementById('instant-log')).fontSize")
    customer_browser.find_element(By.ID, "text-larger").click()
    customer_browser.find_element(By.ID, "text-larger").click()
    size_after = customer_browser.execute_script("return getComputedStyle(document.getElementById('instant-log')).fontSize")
    assert float(size_after.rstrip("px")) > float(size_before.rstrip("px"))
    customer_browser.find_element(By.CSS_SELECTOR, "#instant-language option[value=fr]").click()
    customer.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "label.inline span"), "Journal détaillé"))
    customer_browser.refresh()
    customer.until(EC.text_to_be_present_in_element((By.ID, "instant-who"), "Administrator de Lifeline"))
    assert "Let me have a look." in log_text(customer_browser)
    customer_browser.find_element(By.ID, "instant-input").send_keys("Still here after a reload\n")
    console.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Still here after a reload"))

    # Invite to download: the customer may say "not now" (the technician reads it), then accept a
    # second invitation: the command carries a one-time link into this session.
    browser.find_element(By.ID, "invite-applet").click()
    console.until(EC.visibility_of_element_located((By.ID, "invite-applet-sent")))
    customer.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#instant-invitation button"))).click()
    console.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "does not want to download the Lifeline app for now"))
    assert not customer_browser.find_element(By.ID, "instant-invitation").is_displayed()
    browser.find_element(By.ID, "invite-applet").click()
    command = customer.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#instant-invitation pre.command"))).text
    link_argument = command.split("--link ")[1].split()[0]
    assert link_argument.startswith(f"{gateway.url}/c/")

    applet = applets(gateway.url, "--link", link_argument)
    applet.expect("WELCOME", f"session={session['id']}")
    customer.until(EC.text_to_be_present_in_element((By.ID, "instant-ended"), "L'application Lifeline a pris le relais"))
    assert not customer_browser.find_element(By.ID, "instant-form").is_displayed()
    console.until(EC.invisibility_of_element_located((By.ID, "chat-only")))
    console.until(lambda d: d.find_element(By.ID, "remote-control").is_enabled())
    console.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "every tool is available now"))
    assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "active"

    # The same session goes on in the applet.
    applet.say("Now in the app")
    console.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Now in the app"))


def test_the_customer_ends_an_instant_chat_with_the_big_x(gateway, customer_browser):
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Olga", "method": "pin"}, token=token, expect=201)[1]
    customer = start_instant_chat(gateway, customer_browser, session["pin"])
    gateway.wait_for_state(session["id"], "waiting", token)
    customer_browser.find_element(By.ID, "end-chat").click()
    customer.until(EC.alert_is_present()).accept()
    gateway.wait_for_state(session["id"], "closed_by_customer_waiting", token)
    customer.until(EC.text_to_be_present_in_element((By.ID, "instant-ended"), "The session has ended."))
    # The tab no longer holds the session: a reload says so instead of reconnecting.
    customer_browser.refresh()
    customer.until(EC.text_to_be_present_in_element((By.ID, "instant-ended"), "no chat in progress"))


def test_an_instant_chat_customer_is_told_who_joins_and_reads_them(gateway, customer_browser):
    """An external technician (I2) joins an Instant Chat session: the customer is told, in their
    language, and reads their lines."""
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Olga", "method": "pin"}, token=token, expect=201)[1]
    customer = start_instant_chat(gateway, customer_browser, session["pin"])
    gateway.wait_for_state(session["id"], "waiting", token)
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    invitation = gateway.api("POST", f"sessions/{session['id']}/collaborators", {"name": "Dana Vendor"}, token=token, expect=201)[1]
    joined = gateway.api("POST", "collaborators/join", {"pin": invitation["pin"]}, expect=200)[1]
    customer.until(lambda b: "Dana Vendor, an external technician, joined the session." in log_text(b))
    gateway.api("DELETE", f"sessions/{session['id']}/collaborators/{joined['collaboratorId']}", token=token, expect=204)
    customer.until(lambda b: "Dana Vendor left the session." in log_text(b))


def test_chat_addresses_are_cut_into_links(gateway, customer_browser):
    """The rule behind the links (Web/lib/chat-links.js), by table."""
    customer_browser.get(f"{gateway.url}/")
    cases = {
        "see https://example.com.": [{"text": "see "}, {"url": "https://example.com"}, {"text": "."}],
        "(http://a.example/x?y=1)": [{"text": "("}, {"url": "http://a.example/x?y=1"}, {"text": ")"}],
        "ftp://example.com and javascript:alert(1)": [{"text": "ftp://example.com and javascript:alert(1)"}],
        "https://": [{"text": "https://"}],
        "two: https://a.example https://b.example/p": [{"text": "two: "}, {"url": "https://a.example"}, {"text": " "},
                                                         {"url": "https://b.example/p"}],
        "<b>https://x.example/<i></b>": [{"text": "<b>"}, {"url": "https://x.example/"}, {"text": "<i></b>"}],
    }
    got = customer_browser.execute_async_script("""
        const [cases, done] = arguments;
        import('/lib/chat-links.js').then((m) => done(Object.fromEntries(Object.keys(cases).map((k) => [k, m.splitLinks(k)]))));
    """, cases)
    assert got == cases
