"""The customer's side: PIN page, link page, the applet by link, bad PINs, a restarted gateway."""
import subprocess

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BIN


def new_session(gateway, token, method):
    return gateway.api("POST", "sessions", {"name": "Bob", "method": method}, token=token, expect=201)[1]


def test_pin_page_shows_who_and_the_command(gateway, browser):
    token = gateway.login()
    session = new_session(gateway, token, "pin")
    browser.get(f"{gateway.url}/")
    wait = WebDriverWait(browser, 10)
    field = wait.until(EC.visibility_of_element_located((By.ID, "pin-input")))
    field.send_keys("000000" if session["pin"] != "000000" else "111111")
    browser.find_element(By.ID, "pin-submit").click()
    error = wait.until(EC.visibility_of_element_located((By.ID, "pin-error")))
    assert "not valid" in error.text
    field.clear()
    field.send_keys(session["pin"])
    browser.find_element(By.ID, "pin-submit").click()
    instructions = wait.until(EC.visibility_of_element_located((By.ID, "instructions")))
    assert "Administrator from Lifeline is ready to help you." in instructions.text
    command = browser.find_element(By.CSS_SELECTOR, "#instructions pre.command").text
    assert f"--gateway {gateway.url} --pin {session['pin']} --remove-when-done" in command
    assert f"{gateway.url}/download/lifeline-applet" in command


def test_pin_page_in_the_browser_language(gateway, french_browser):
    french_browser.get(f"{gateway.url}/")
    heading = WebDriverWait(french_browser, 10).until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
    WebDriverWait(french_browser, 10).until(lambda b: heading.text == "Obtenir l'aide de votre technicien")


def test_link_page_then_applet_by_link_then_link_is_spent(gateway, browser, applets):
    token = gateway.login()
    session = new_session(gateway, token, "link")
    browser.get(session["link"])
    wait = WebDriverWait(browser, 10)
    command = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#instructions pre.command"))).text
    assert f"--link {session['link']}" in command

    applet = applets(gateway.url, "--link", session["link"])
    applet.expect("WELCOME", "state=waiting")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    applet.expect("STATUS", "active")
    gateway.api("POST", f"sessions/{session['id']}/end", token=token, expect=200)
    applet.expect("ENDED")
    assert applet.wait() == 0

    browser.get(session["link"])
    error = wait.until(EC.visibility_of_element_located((By.ID, "link-error")))
    assert "not valid or has already been used" in error.text


def test_applet_with_a_wrong_pin_exits_with_a_clear_message(gateway):
    result = subprocess.run([str(BIN / "lifeline-applet"), "--gateway", gateway.url, "--pin", "000000", "--non-interactive"],
                            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "This PIN is not valid" in result.stderr


def test_applet_download_is_the_built_binary(gateway):
    import urllib.request
    with urllib.request.urlopen(f"{gateway.url}/download/lifeline-applet", timeout=30) as response:
        body = response.read()
    assert body == (BIN / "lifeline-applet").read_bytes()


def test_gateway_restart_the_applet_comes_back_by_itself(gateway, applets):
    token = gateway.login()
    session = new_session(gateway, token, "pin")
    applet = applets(gateway.url, "--pin", session["pin"], max_backoff=1)
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    applet.expect("STATUS", "active")

    gateway.stop()
    applet.expect("RECONNECTING")
    gateway.start()
    token = gateway.login()
    applet.expect("WELCOME", "state=active", timeout=20)
    gateway.wait_for_state(session["id"], "active", token)

    gateway.api("POST", f"sessions/{session['id']}/messages", {"text": "still here?"}, token=token, expect=201)
    applet.expect("CHAT", "still here?")
    applet.say("yes!")
    applet.expect("CHAT", "customer")
    applet.say("/quit")
    applet.expect("ENDED")
    assert applet.wait() == 0
