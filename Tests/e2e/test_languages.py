"""Languages in the browser (A3, A4): the console in French and Japanese and the customer's PIN page
in Arabic, right to left, each photographed (Tests/e2e/screenshots/, for a person to look at) and
checked for what a person would see: the language's own words, no raw message keys, no English
left over, the Arabic page mirrored. Browser locales pick the closest catalog; the PIN page has a
language selector that is remembered."""
import json
import re
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, open_browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
RAW_KEY = re.compile(r"\b(?:login|toolbar|tabs|list|state|status|new|chat|options|pin|ready|instant|survey)\.[a-zA-Z_]+\b")


def photograph(browser, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, "a real page was drawn"


def sign_in(browser, gateway, language):
    """Signs in choosing `language`; waits for the console's socket whatever the language says."""
    browser.get(f"{gateway.url}/console/")
    wait = WebDriverWait(browser, 10)
    wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(ADMIN_EMAIL)
    browser.find_element(By.ID, "login-password").send_keys(ADMIN_PASSWORD)
    Select(browser.find_element(By.ID, "login-language")).select_by_value(language)
    browser.find_element(By.ID, "login-submit").click()
    wait.until(EC.visibility_of_element_located((By.ID, "console-view")))
    wait.until(lambda b: b.execute_script(
        "const s = document.getElementById('connection-status'); return s.textContent && !s.classList.contains('offline');"))


def visible_text(browser):
    return browser.find_element(By.TAG_NAME, "body").text


def test_console_in_french_and_japanese_looks_right(gateway):
    for language, new_session, active_tab in [("fr", "Nouvelle session", "Actives"), ("ja", "新しいセッション", "アクティブ")]:
        browser = open_browser()
        try:
            sign_in(browser, gateway, language=language)
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
            assert browser.find_element(By.ID, "new-session").text == new_session
            assert browser.find_element(By.CSS_SELECTOR, '.queue-tabs button[data-tab="active"]').text == active_tab
            text = visible_text(browser)
            assert not RAW_KEY.search(text), f"raw key on the {language} console: {RAW_KEY.search(text).group(0)}"
            for english in ["New session", "Sign out", "Show history", "Set Away", "Transfer"]:
                assert english not in text, f"English '{english}' left on the {language} console"
            photograph(browser, f"console-{language}")
        finally:
            browser.quit()


def test_customer_pin_page_in_arabic_reads_right_to_left(gateway):
    browser = open_browser("ar")
    try:
        browser.get(f"{gateway.url}/")
        wait = WebDriverWait(browser, 10)
        heading = wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
        wait.until(lambda b: heading.text == "احصل على المساعدة من الفني")
        html = browser.find_element(By.TAG_NAME, "html")
        assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
        # Mirrored: the heading and the field's label start at the right edge of the card.
        card = browser.find_element(By.CSS_SELECTOR, "section.card").rect
        label = browser.find_element(By.CSS_SELECTOR, "#pin-form label span").rect
        assert abs((card["x"] + card["width"]) - (label["x"] + label["width"])) < 40, (card, label)
        text = visible_text(browser)
        assert not RAW_KEY.search(text)
        assert not re.search(r"\b(Type|Continue|Get help)\b", text), "no English left"
        photograph(browser, "customer-pin-ar")
    finally:
        browser.quit()


def test_pin_page_language_selector_is_remembered(gateway, browser):
    browser.get(f"{gateway.url}/")
    wait = WebDriverWait(browser, 10)
    heading = wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
    wait.until(lambda b: heading.text == "Get help from your technician")
    picker = Select(browser.find_element(By.ID, "pin-language"))
    assert len(picker.options) == 29, "the manual's 29 customer languages"
    picker.select_by_value("de")
    wait.until(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Hilfe von Ihrem Techniker erhalten")
    browser.refresh()
    wait.until(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Hilfe von Ihrem Techniker erhalten")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "ltr"


def test_browser_locales_pick_the_closest_catalog(gateway):
    for locale, console, customer in [("pt-PT", "pt-BR", "pt"), ("zh-HK", "zh-TW", "zh-TW"), ("nb-NO", "en", "no"), ("de-AT", "de", "de")]:
        browser = open_browser(locale)
        try:
            browser.get(f"{gateway.url}/console/")
            wait = WebDriverWait(browser, 10)
            select = wait.until(EC.visibility_of_element_located((By.ID, "login-language")))
            wait.until(lambda b: Select(select).first_selected_option.get_attribute("value") == console)
            browser.get(f"{gateway.url}/")
            wait.until(lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == customer)
        finally:
            browser.quit()


def test_admin_center_in_japanese_and_french_has_no_english_left(gateway):
    """The Admin Center speaks the administrator's language: every labelled text is the catalog's,
    the permissions and the buttons drawn by the scripts too, and no English sentence is left."""
    catalogs = Path(__file__).resolve().parents[2] / "Web" / "i18n" / "admin"
    for language, heading in [("ja", "組織の設定"), ("fr", "Paramètres de l'organisation")]:
        catalog = json.loads((catalogs / f"{language}.json").read_text(encoding="utf-8"))
        browser = open_browser()
        try:
            sign_in(browser, gateway, language=language)
            browser.get(f"{gateway.url}/admin/#/organisation/settings")
            wait = WebDriverWait(browser, 10)
            wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#settings-section h2").text == heading)
            assert browser.find_element(By.CSS_SELECTOR, "#settings-form button[type=submit]").text == catalog["admin.save_settings"]
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
            text = ""
            # Every tab of the organisation, one view at a time, with the tree beside it.
            for tab in ["organisation", "settings", "channels", "calling-cards", "surveys", "reports", "audit"]:
                browser.get(f"{gateway.url}/admin/#/organisation/{tab}")
                wait.until(lambda b: b.execute_script("return document.querySelector('#object-tabs a[aria-current=page]')?.href ?? ''").endswith(tab))
                if tab == "organisation":
                    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#group-permissions input[value='remote_control']")))
                    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#technicians tbody tr")))
                    permissions = browser.find_element(By.ID, "group-permissions").text
                    assert catalog["permission.remote_control"] in permissions and "remote control" not in permissions
                    photograph(browser, f"admin-{language}")
                for element in browser.find_elements(By.CSS_SELECTOR, "[data-i18n]"):
                    if element.is_displayed() and element.tag_name != "option":
                        assert element.text == catalog[element.get_attribute("data-i18n")].strip(), element.get_attribute("data-i18n")
                text += visible_text(browser)
            for english in ["Organisation settings", "Technician groups", "Save settings", "Create technician", "Whole organisation",
                            "Everything", "Master administrator", "Download CSV", "Remote control", "Customer surveys",
                            "Audit log", "Administrators", "coming in a later version"]:
                assert english not in text, f"English '{english}' left in the {language} Admin Center"
        finally:
            browser.quit()


def test_the_gateways_log_lines_read_in_the_technicians_language(gateway, applets):
    """Lines the gateway writes (the chat turned off, a collaborator joining …) show in the
    console's language, not in the gateway's English."""
    from test_console_session import select_row
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Léa", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    browser = open_browser()
    try:
        sign_in(browser, gateway, language="fr")
        # Generous: three browsers share two cores when the suites run in parallel.
        wait = WebDriverWait(browser, 30)
        select_row(browser, wait, session["id"])
        gateway.api("PUT", f"sessions/{session['id']}/chat", {"enabled": False}, token=token, expect=200)
        wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Administrator a désactivé le chat."))
        invitation = gateway.api("POST", f"sessions/{session['id']}/collaborators", {"name": "Dana"}, token=token, expect=201)[1]
        gateway.api("POST", "collaborators/join", {"pin": invitation["pin"]}, expect=200)
        wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Dana a rejoint la session en tant que technicien externe."))
        log = browser.find_element(By.ID, "chat-log").text
        assert "turned the chat off" not in log and "joined the session" not in log
        # The log itself keeps the English wording for history and scripts.
        lines = gateway.api("GET", f"sessions/{session['id']}/log", token=token, expect=200)[1]
        assert any(line["text"] == "Administrator turned the chat off." and line["event"]["code"] == "chat_off" for line in lines)
    finally:
        browser.quit()


def test_the_gateways_refusals_read_in_the_page_language(gateway):
    """A refusal from the gateway (a wrong password on the console, a wrong PIN on the customer's
    page) shows in the page's language, worded by its error code (Web/i18n/errors), not in the
    gateway's English."""
    errors = Path(__file__).resolve().parents[2] / "Web" / "i18n" / "errors"
    french = json.loads((errors / "fr.json").read_text(encoding="utf-8"))
    browser = open_browser()
    try:
        browser.get(f"{gateway.url}/console/")
        wait = WebDriverWait(browser, 10)
        wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(ADMIN_EMAIL)
        browser.find_element(By.ID, "login-password").send_keys("not the password")
        Select(browser.find_element(By.ID, "login-language")).select_by_value("fr")
        wait.until(lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr")
        browser.find_element(By.ID, "login-submit").click()
        line = wait.until(EC.visibility_of_element_located((By.ID, "login-error")))
        wait.until(lambda b: french["bad_credentials"] in line.text)
        assert "wrong" not in line.text

        browser.get(f"{gateway.url}/")
        Select(wait.until(EC.visibility_of_element_located((By.ID, "pin-language")))).select_by_value("fr")
        wait.until(lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr")
        browser.find_element(By.ID, "pin-input").send_keys("000000")
        browser.find_element(By.CSS_SELECTOR, "#pin-form button[type=submit]").click()
        line = wait.until(EC.visibility_of_element_located((By.ID, "pin-error")))
        wait.until(lambda b: line.text == french["unknown_pin"])
    finally:
        browser.quit()
