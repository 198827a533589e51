"""The chat pane (D1): without the chat permission the input is not offered and the gateway
refuses chat; the pane collapses and is restored."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

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
    browser.find_element(By.ID, "chat-collapse").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "chat-log")))
    browser.find_element(By.ID, "chat-collapse").click()
    wait.until(EC.visibility_of_element_located((By.ID, "chat-log")))
