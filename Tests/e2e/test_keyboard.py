"""A session worked from the keyboard alone (issue 15): Tab to the waiting session, Enter opens
it, S starts it, C goes to the chat, R opens remote control, F8 takes the keyboard back from
the customer's screen, arrow keys and [ ] move between tool tabs, 1–9 between sessions, ? lists
the shortcuts, E ends the session. Real gateway, applet on Xvfb, headless Chromium."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.common.by import By

from test_console_session import sign_in


def active_element(browser):
    """What has the focus: its id, role, session id, tool, and whether its focus is drawn."""
    return browser.execute_script("""
        const e = document.activeElement;
        const style = getComputedStyle(e);
        return { id: e.id, role: e.getAttribute('role'), session: e.dataset.sessionId ?? null, tool: e.dataset.tool ?? null,
                 tag: e.tagName, outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                   || style.boxShadow !== 'none' };""")


def press(browser, *keys):
    ActionChains(browser).send_keys(*keys).perform()


def tab_to(browser, matches, limit=80):
    """Presses Tab until the focused element matches; fails if it never does."""
    for _ in range(limit):
        press(browser, Keys.TAB)
        focused = active_element(browser)
        if matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the element; last {active_element(browser)}")


def test_a_session_from_the_keyboard_alone(gateway, browser, applets, x_server):
    token = gateway.login()
    x_server.run("xsetroot", "-solid", "#00a000")
    first = gateway.api("POST", "sessions", {"name": "Keyboard Kim", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", first["pin"], display=x_server.display, remote_consent="accept")
    applet.expect("WELCOME")
    second = gateway.api("POST", "sessions", {"name": "Other Olga", "method": "pin"}, token=token, expect=201)[1]
    other = applets(gateway.url, "--pin", second["pin"])
    other.expect("WELCOME")
    gateway.api("POST", f"sessions/{second['id']}/start", token=token, expect=200)

    wait = sign_in(browser, gateway)
    browser.find_element(By.TAG_NAME, "body").click()
    # Tab reaches the waiting session's row; Enter opens it; the focus is drawn.
    row = tab_to(browser, lambda f: f["tag"] == "TR" and f["session"] == first["id"])
    assert row["outlined"], "the focused row shows its focus"
    press(browser, Keys.ENTER)
    wait.until(lambda b: b.execute_script(
        "return document.querySelector(`#session-list tr[data-session-id='${arguments[0]}']`).getAttribute('aria-selected')", first["id"]) == "true")

    # S starts it; the chat input gets the cursor (as after a click on Start).
    press(browser, "s")
    gateway.wait_for_state(first["id"], "active", token)
    wait.until(lambda b: active_element(b)["id"] == "chat-input")
    press(browser, "Hello from the keyboard", Keys.ENTER)
    applet.expect("CHAT", "Hello from the keyboard")

    # Out of the chat with Tab; R opens the Remote control tab and asks for control.
    press(browser, Keys.TAB)
    assert active_element(browser)["id"] != "chat-input"
    press(browser, "r")
    wait.until(lambda b: int(b.execute_script("return document.querySelector('#remote-screen canvas')?.dataset.frames ?? 0")) > 0)
    wait.until(lambda b: "remote-canvas" in b.execute_script("return document.activeElement.className"))
    # Keys now go to the customer; F8 gives the keyboard back to the console's Remote control tab.
    press(browser, Keys.F8)
    wait.until(lambda b: active_element(b)["tool"] == "remote")
    assert active_element(browser)["outlined"]
    # Arrow keys walk the tool tabs (the panel follows); ] and [ too, from anywhere.
    press(browser, Keys.ARROW_RIGHT)
    wait.until(lambda b: active_element(b)["tool"] == "files")
    assert browser.find_element(By.ID, "panel-files").is_displayed()
    assert not browser.find_element(By.ID, "panel-remote").is_displayed()
    press(browser, "[")
    wait.until(lambda b: active_element(b)["tool"] == "remote")
    assert browser.find_element(By.ID, "remote-screen").is_displayed(), "the remote desktop kept running"

    # The digits switch between the sessions' tabs, in the order the tabs show them.
    order = browser.execute_script("return [...document.querySelectorAll('#active-tabs [role=tab]')].map((tab) => tab.dataset.sessionId)")
    assert sorted(order) == sorted([first["id"], second["id"]])
    press(browser, str(order.index(second["id"]) + 1))
    wait.until(lambda b: b.find_element(By.ID, "chat-title").text.startswith("Other Olga"))
    press(browser, str(order.index(first["id"]) + 1))
    wait.until(lambda b: b.find_element(By.ID, "chat-title").text.startswith("Keyboard Kim"))

    # ? lists the shortcuts; Escape closes the list.
    press(browser, "?")
    dialog = wait.until(EC.visibility_of_element_located((By.ID, "shortcuts-dialog")))
    assert "Keyboard shortcuts" in dialog.text and "F8" in dialog.text
    press(browser, Keys.ESCAPE)
    wait.until(EC.invisibility_of_element_located((By.ID, "shortcuts-dialog")))

    # E ends it, after the confirmation the technician asked for (Enter accepts it).
    press(browser, "e")
    wait.until(EC.alert_is_present())
    browser.switch_to.alert.accept()
    gateway.wait_for_state(first["id"], "closed", token)
    applet.expect("ENDED")


def test_the_customers_screen_takes_keys_only_while_focused(gateway, browser, applets, x_server):
    """Shortcut letters typed on the customer's screen are the customer's; elsewhere they are the console's."""
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Focus Fay", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], display=x_server.display, remote_consent="accept")
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    wait = sign_in(browser, gateway)
    from test_console_session import select_row
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
    wait.until(lambda b: "remote-canvas" in b.execute_script("return document.activeElement.className"))
    # On the screen, "?" is a key for the customer: no help overlay.
    press(browser, "?")
    assert not browser.find_element(By.ID, "shortcuts-dialog").is_displayed()
    press(browser, Keys.F8)
    press(browser, "?")
    wait.until(EC.visibility_of_element_located((By.ID, "shortcuts-dialog")))
