"""The chat pane (D1): without the chat permission the input is not offered and the gateway
refuses chat; the pane collapses and is restored."""
import platform

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import click_when_ready
from test_console_session import select_row, sign_in


def test_no_chat_permission_hides_the_input_and_the_pane_collapses(gateway, browser, applets):
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Quiet", "permissions": ["start_private_sessions", "connect_by_pin"]},
                        token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "quinn@e2e.test", "name": "Quinn", "password": "quinn password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    quinn = gateway.login("quinn@e2e.test", "quinn password 1")
    session = gateway.api("POST", "sessions", {"name": "Ivo", "method": "pin"}, token=quinn, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=quinn, expect=200)
    assert gateway.api("POST", f"sessions/{session['id']}/messages", {"text": "hi"}, token=quinn)[0] == 403

    wait = sign_in(browser, gateway, email="quinn@e2e.test", password="quinn password 1")
    select_row(browser, wait, session["id"])
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-closed"), "does not allow chat"))
    assert not browser.find_element(By.ID, "chat-form").is_displayed()

    applet.say("Hello?")
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Hello?"))
    # Issue 15, item 3: the customer's line is signed with the session's name; the computer's
    # account and host are a detail of the session, under its title.
    author = browser.find_element(By.XPATH, "//ol[@id='chat-log']/li[contains(., 'Hello?')]/span[@class='author']")
    assert author.text == "Ivo:", author.text
    computer = browser.find_element(By.ID, "chat-computer")
    assert computer.is_displayed() and "@" in computer.text and f"({platform.system()} " in computer.text, computer.text
    browser.find_element(By.ID, "chat-collapse").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "chat-log")))
    browser.find_element(By.ID, "chat-collapse").click()
    wait.until(EC.visibility_of_element_located((By.ID, "chat-log")))


def test_tabs_close_and_restore_and_the_chat_switch(gateway, browser, applets):
    token = gateway.login()
    first = gateway.api("POST", "sessions", {"name": "Ada", "method": "pin"}, token=token, expect=201)[1]
    second = gateway.api("POST", "sessions", {"name": "Ben", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", first["pin"])
    other = applets(gateway.url, "--pin", second["pin"])
    for session, customer in ((first, applet), (second, other)):
        customer.expect("WELCOME")
        gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)

    wait = sign_in(browser, gateway)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#active-tabs button[role=tab]")) == 2)
    # Closing a tab leaves its session running; restore brings it back; selecting it in the list too.
    close_second = f"#active-tabs .tab-close[data-session-id='{second['id']}']"
    wait.until(lambda b: click_when_ready(b, close_second))
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#active-tabs button[role=tab]")) == 1)
    assert gateway.api("GET", f"sessions/{second['id']}", token=token)[1]["state"] == "active"
    wait.until(lambda b: click_when_ready(b, "#restore-tabs"))
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#active-tabs button[role=tab]")) == 2)
    wait.until(lambda b: click_when_ready(b, close_second))
    select_row(browser, wait, second["id"])
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#active-tabs button[data-session-id='{second['id']}']")))

    # The chat switch: off, the customer is told and cannot chat; on again, the chat flows.
    select_row(browser, wait, first["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "chat-switch"))).click()
    applet.expect("CHAT_SWITCHED", "off")
    wait.until(lambda b: not b.find_element(By.ID, "chat-input").is_enabled())
    assert browser.find_element(By.ID, "chat-switch").text == "Turn chat on"
    applet.say("Can you hear me?")
    applet.expect("ERROR", "chat_disabled")
    assert gateway.api("POST", f"sessions/{first['id']}/messages", {"text": "hi"}, token=token)[1]["error"]["code"] == "chat_disabled"
    browser.find_element(By.ID, "chat-switch").click()
    applet.expect("CHAT_SWITCHED", "on")
    wait.until(lambda b: b.find_element(By.ID, "chat-input").is_enabled())
    applet.say("Back again")
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Back again"))
    assert "Can you hear me?" not in browser.find_element(By.ID, "chat-log").text

    # C4: the chat pane switches sessions too; a line from the other customer is counted there.
    other.say("Ben here, still waiting")
    ben = f"#chat-sessions button[data-session-id='{second['id']}']"
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, f"{ben} .unread").text == "1")
    assert "Ben" in browser.find_element(By.CSS_SELECTOR, ben).text
    browser.find_element(By.CSS_SELECTOR, ben).click()
    wait.until(lambda b: b.find_element(By.ID, "chat-title").text.startswith("Ben"))
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Ben here, still waiting"))
    ada = browser.find_element(By.CSS_SELECTOR, f"#chat-sessions button[data-session-id='{first['id']}']")
    assert ada.find_elements(By.CSS_SELECTOR, ".unread") == [], "nothing new from Ada"


def test_a_long_line_is_counted_refused_whole_and_wrapped(gateway, browser, applets):
    """Issue 14, items 23 and 24: a line over 4,000 characters is not cut nor lost (a counter and
    the browser's notice say why, the text stays); 4,000 unbroken characters wrap in the pane."""
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Lena", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    box = wait.until(EC.element_to_be_clickable((By.ID, "chat-input")))
    paste = "const box = arguments[0]; box.value = arguments[1]; box.dispatchEvent(new Event('input'));"

    browser.execute_script(paste, box, "y" * 4100)
    counter = browser.find_element(By.CSS_SELECTOR, "#chat-form .chat-counter")
    assert counter.is_displayed() and counter.text == "4,100 / 4,000"
    box.send_keys(Keys.ENTER)
    notice = browser.execute_script("return arguments[0].validationMessage", box)
    assert notice.startswith("At most 4,000 characters in one message; this one has 4,100."), notice
    assert len(box.get_attribute("value")) == 4100, "the text is kept to be shortened"
    chat = [e for e in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1] if e["kind"] == "chat"]
    assert not chat, "nothing was sent"

    browser.execute_script(paste, box, "z" * 4000)
    box.send_keys(Keys.ENTER)
    line = wait.until(EC.presence_of_element_located((By.XPATH, "//ol[@id='chat-log']/li[contains(., 'zzzzzzzzzz')]")))
    wait.until(lambda b: box.get_attribute("value") == "")
    widths = browser.execute_script(
        "return [arguments[0].scrollWidth, document.getElementById('chat-log').clientWidth]", line)
    assert widths[0] <= widths[1] + 1, f"the line wraps inside the pane: {widths}"
