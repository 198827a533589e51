"""The organisation tree in the browser (R1, A5): the master administrator gives an administrator
one group; that administrator sees and changes only it, creates a technician there with a
permission off, and that technician's console hides the action while the gateway refuses it.
Two-step verification (A2) set up and used in the browser, with codes computed here."""
import base64
import hashlib
import hmac
import re
import struct
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, open_browser
from test_console_session import sign_in


def totp(secret, at=None, step=0):
    """RFC 6238 as an authenticator app computes it, from the base32 key shown on screen."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = int((at or time.time()) // 30) + step
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def test_scoped_administrator_manages_only_their_group(gateway, browser):
    master = gateway.login()
    level1 = gateway.api("POST", "admin/groups", {"name": "Level 1", "permissions": ["start_private_sessions", "connect_by_pin", "chat"]},
                         token=master, expect=201)[1]
    level2 = gateway.api("POST", "admin/groups", {"name": "Level 2", "permissions": ["start_private_sessions"]}, token=master, expect=201)[1]

    # The master administrator creates Ada, administrator of Level 1 only, in the Admin Center.
    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/")
    wait.until(EC.text_to_be_present_in_element((By.ID, "groups"), "Level 2"))
    browser.find_element(By.ID, "technician-name").send_keys("Ada")
    browser.find_element(By.ID, "technician-email").send_keys("ada@e2e.test")
    browser.find_element(By.ID, "technician-password").send_keys("Ada's long password")
    Select(browser.find_element(By.ID, "technician-role")).select_by_value("administrator")
    whole = wait.until(EC.visibility_of_element_located((By.ID, "technician-whole")))
    whole.click()
    browser.find_element(By.CSS_SELECTOR, f"#technician-managed-groups input[value='{level1['id']}']").click()
    browser.find_element(By.ID, "technician-submit").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "technicians"), "ada@e2e.test"))
    ada_row = browser.find_element(By.XPATH, "//table[@id='technicians']//tr[td[text()='ada@e2e.test']]").text
    assert "Level 1" in ada_row and "Level 2" not in ada_row

    # Ada's Admin Center: her group only, no organisation-wide sections.
    ada_browser = open_browser()
    try:
        ada_wait = sign_in(ada_browser, gateway, email="ada@e2e.test", password="Ada's long password")
        ada_browser.get(f"{gateway.url}/admin/")
        ada_wait.until(EC.text_to_be_present_in_element((By.ID, "groups"), "Level 1"))
        assert "Level 2" not in ada_browser.find_element(By.ID, "groups").text
        assert not ada_browser.find_element(By.ID, "settings-section").is_displayed()
        assert not ada_browser.find_element(By.ID, "channels-section").is_displayed()
        # Her tree and tabs hold what she manages; the organisation's settings stay closed even by address.
        assert "Level 2" not in ada_browser.find_element(By.ID, "org-tree").text
        assert ada_browser.execute_script("return [...document.querySelectorAll('#object-tabs a')].map((a) => a.textContent)") == [
            "Organisation", "Reports"]
        ada_browser.get(f"{gateway.url}/admin/#/organisation/settings")
        ada_wait.until(lambda b: b.find_element(By.ID, "groups-section").is_displayed())
        assert not ada_browser.find_element(By.ID, "settings-section").is_displayed()

        # She creates Ted in Level 1, whose group does not allow transfers.
        ada_browser.find_element(By.ID, "technician-name").send_keys("Ted")
        ada_browser.find_element(By.ID, "technician-email").send_keys("ted@e2e.test")
        ada_browser.find_element(By.ID, "technician-password").send_keys("Ted's long password")
        assert not ada_browser.find_element(By.ID, "technician-role").is_displayed(), "only the master makes administrators"
        ada_browser.find_element(By.ID, "technician-submit").click()
        ada_wait.until(EC.text_to_be_present_in_element((By.ID, "technicians"), "ted@e2e.test"))
        assert ADMIN_EMAIL not in ada_browser.find_element(By.ID, "technicians").text

        # The gateway refuses her everything outside Level 1.
        ada = gateway.login("ada@e2e.test", "Ada's long password")
        assert [g["name"] for g in gateway.api("GET", "admin/groups", token=ada, expect=200)[1]] == ["Level 1"]
        status, body = gateway.api("PUT", f"admin/groups/{level2['id']}", {"name": "Mine now", "permissions": []}, token=ada)
        assert status == 403 and body["error"]["code"] == "outside_scope"
        assert gateway.api("PUT", "admin/settings", {"autoStartDefault": True}, token=ada)[0] == 403
        assert gateway.api("POST", "admin/technicians", {"email": "x@e2e.test", "name": "X", "password": "long enough password",
                                                         "groupId": level2["id"]}, token=ada)[0] == 403
    finally:
        ada_browser.quit()

    # Ted's console has no Transfer; the gateway refuses it too.
    ted_browser = open_browser()
    try:
        ted_wait = sign_in(ted_browser, gateway, email="ted@e2e.test", password="Ted's long password")
        ted = gateway.login("ted@e2e.test", "Ted's long password")
        session = gateway.api("POST", "sessions", {"name": "Customer", "method": "pin"}, token=ted, expect=201)[1]
        ted_wait.until(lambda b: b.execute_script(
            "return !!document.querySelector(`#session-list tr[data-session-id='${arguments[0]}']`)", session["id"]))
        ted_browser.execute_script(
            "document.querySelector(`#session-list tr[data-session-id='${arguments[0]}']`).click()", session["id"])
        ted_wait.until(lambda b: not b.find_element(By.ID, "end-session").get_property("disabled"))
        assert ted_browser.find_element(By.ID, "transfer-session").get_property("disabled")
        status, body = gateway.api("POST", f"sessions/{session['id']}/transfer", {"to": "someone"}, token=ted)
        assert status == 403 and body["error"]["code"] == "permission_denied"
    finally:
        ted_browser.quit()


def test_two_step_set_up_and_used_in_the_browser(gateway, browser):
    wait = sign_in(browser, gateway)
    browser.find_element(By.ID, "open-options").click()
    wait.until(EC.element_to_be_clickable((By.ID, "options-security"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "security-start"))).click()
    secret = wait.until(EC.visibility_of_element_located((By.ID, "security-secret"))).text
    assert len(secret.replace(" ", "")) == 32
    qr = browser.find_element(By.ID, "security-qr")
    wait.until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 100", qr))
    browser.find_element(By.ID, "security-enrol-code").send_keys(totp(secret))
    browser.find_element(By.ID, "security-confirm").click()
    wait.until(EC.visibility_of_element_located((By.ID, "security-code-list")))
    codes = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#security-code-list li")]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}", code) for code in codes)
    browser.find_element(By.ID, "security-codes-done").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "security-status"), "10"))
    browser.find_element(By.ID, "security-close").click()

    # Sign out and in again: the password leads to the code step; a recovery code opens the console.
    browser.delete_all_cookies()
    browser.get(f"{gateway.url}/console/")
    wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(ADMIN_EMAIL)
    browser.find_element(By.ID, "login-password").send_keys(ADMIN_PASSWORD)
    browser.find_element(By.ID, "login-submit").click()
    code_box = wait.until(EC.visibility_of_element_located((By.ID, "two-step-code")))
    code_box.send_keys("000000")
    browser.find_element(By.ID, "two-step-submit").click()
    wait.until(EC.visibility_of_element_located((By.ID, "two-step-error")))
    assert "not right" in browser.find_element(By.ID, "two-step-error").text
    code_box.send_keys(codes[0])
    browser.find_element(By.ID, "two-step-submit").click()
    wait.until(EC.visibility_of_element_located((By.ID, "console-view")))


def test_reports_show_sessions_and_technician_performance(gateway, browser):
    master = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Report customer", "method": "pin"}, token=master, expect=201)[1]
    gateway.api("POST", f"sessions/{session['id']}/end", token=master, expect=200)
    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/#/organisation/reports")
    wait.until(EC.text_to_be_present_in_element((By.ID, "sessions-report"), "Report customer"))
    # The reports may be drawn again as their parts arrive: read each row afresh until it holds.
    def text_of(locator):
        def read(b):
            try:
                return b.find_element(*locator).text
            except StaleElementReferenceException:
                return False
        return wait.until(read)
    row = text_of((By.XPATH, "//table[@id='sessions-report']//tr[td[text()='Report customer']]"))
    assert "PIN" in row and "Closed" in row, "method and end state in the viewer's words"
    performance = text_of((By.ID, "technicians-report"))
    assert "Administrator" in performance
    csv_link = browser.find_element(By.ID, "sessions-csv").get_attribute("href")
    assert "format=csv" in csv_link and "timeZone=" in csv_link
    path = csv_link.split("/api/v1/", 1)[1]
    status, text = gateway.api("GET", path, token=master, raw=True)
    assert status == 200
    lines = text.splitlines()
    assert lines[0] == "Session ID,Customer,Technician,Group,Channel,Method,Created,Picked up,Waiting time,Handling time,State at end"
    assert any("Report customer" in line and line.endswith(",closed") for line in lines[1:])
