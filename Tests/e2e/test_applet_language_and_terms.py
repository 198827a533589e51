"""The applet speaks the customer's language (A4) from the session's locale, and the organisation's
terms and conditions (R4) are accepted in the applet — or on the PIN page for a customer joining in
the browser — before anyone connects: a real gateway, real applet processes, a real browser."""
import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Applet


def new_session(gateway, token, name="Terms customer"):
    return gateway.api("POST", "sessions", {"name": name, "method": "pin"}, token=token, expect=201)[1]


def log_codes(gateway, token, session):
    """The event codes of the session's log lines, as the technician's console gets them."""
    entries = gateway.api("GET", f"sessions/{session['id']}/log", token=token, expect=200)[1]
    return [entry["event"]["code"] for entry in entries if entry.get("event")]


def test_the_applet_speaks_french_and_japanese_from_lang(gateway, applets):
    token = gateway.login()
    for locale, invitation, connected in [("fr_FR.UTF-8", "demande à se connecter à cet ordinateur", "Connecté (session"),
                                          ("ja_JP.UTF-8", "が、サポートのためにこのコンピューターへの接続を求めています", "接続しました (セッション")]:
        session = new_session(gateway, token)
        applet = applets(gateway.url, "--pin", session["pin"], interactive=True, locale=locale)
        applet.expect("", invitation)
        applet.say("")  # Enter: the default answer lets the technician in
        applet.expect("", connected)  # after the prompt, on its line
        gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
        gateway.api("POST", f"sessions/{session['id']}/end", token=token)
        assert applet.wait(timeout=15) == 0


def test_an_unknown_locale_falls_back_to_english(gateway, applets):
    token = gateway.login()
    session = new_session(gateway, token)
    applet = applets(gateway.url, "--pin", session["pin"], interactive=True, locale="xx_YY.UTF-8")
    applet.expect("", "is asking to connect to this computer to help you.")
    applet.say("n")
    applet.expect("", "You declined. Nothing was shared.")
    assert applet.wait() == 0
    # The technician is told at once (issue 14, item 19), not left looking at Connecting.
    assert "invitation_declined" in log_codes(gateway, token, session)
    assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "connecting"


def test_terms_must_be_accepted_before_anyone_connects(gateway, applets):
    token = gateway.login()
    terms = "Sessions may be recorded.\nWe never keep your files."
    gateway.api("PUT", "admin/settings", {"appletTerms": terms}, token=token, expect=200)
    try:
        # A script that did not say it accepts them: shown, not joined.
        session = new_session(gateway, token)
        refused = applets(gateway.url, "--pin", session["pin"])
        assert "Sessions may be recorded. We never keep your files." in refused.expect("TERMS")
        refused.expect("INFO", "You did not accept the terms")
        assert refused.wait() == 0
        assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "connecting", "nobody joined"
        assert "terms_refused" in log_codes(gateway, token, session), "the technician is told"

        # A person who just presses Enter has not accepted (in German here).
        person = applets(gateway.url, "--pin", session["pin"], interactive=True, locale="de_DE.UTF-8")
        person.expect("", "Geschäftsbedingungen")
        person.expect("", "We never keep your files.")
        person.say("")
        person.expect("", "Sie haben die Bedingungen nicht akzeptiert")
        assert person.wait() == 0
        assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "connecting"

        # Yes in the customer's own word: joined, and the audit log says the terms were accepted.
        french = applets(gateway.url, "--pin", session["pin"], interactive=True, locale="fr_FR.UTF-8")
        french.expect("", "conditions générales")
        french.say("oui")
        french.expect("", "Connecté (session")
        gateway.wait_for_state(session["id"], "waiting", token)
        entries = gateway.api("GET", "admin/audit", token=token, expect=200)[1]
        joined = [entry for entry in entries if entry["action"] == "customer_joined" and entry["objectId"] == session["id"]]
        assert len(joined) == 1 and json.loads(joined[0]["after"])["terms"] == "accepted"
        gateway.api("POST", f"sessions/{session['id']}/end", token=token)
        french.wait(timeout=15)

        # Scripts accept them with --accept-terms.
        second = new_session(gateway, token)
        script = applets(gateway.url, "--pin", second["pin"], extra_args=["--accept-terms"])
        script.expect("WELCOME")
    finally:
        gateway.api("PUT", "admin/settings", {"appletTerms": ""}, token=token, expect=200)


def test_a_browser_customer_accepts_the_terms_before_joining(gateway, browser):
    """The same terms on the PIN page (R4, issue 22: nothing is sent before the customer's yes): the
    ways to join in the browser wait for the box to be ticked; the audit log says accepted."""
    token = gateway.login()
    terms = "Sessions may be recorded.\nWe never keep your files."
    gateway.api("PUT", "admin/settings", {"appletTerms": terms}, token=token, expect=200)
    try:
        session = new_session(gateway, token, name="Browser terms")
        wait = WebDriverWait(browser, 15)
        browser.get(f"{gateway.url}/")
        wait.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(session["pin"])
        browser.find_element(By.ID, "pin-submit").click()
        box = wait.until(EC.visibility_of_element_located((By.ID, "browser-terms")))
        assert "asks you to accept these terms" in box.text and "We never keep your files." in box.text
        chat = browser.find_element(By.ID, "start-instant-chat")
        assert not chat.is_enabled(), "nothing before the customer's yes"
        browser.find_element(By.ID, "terms-accept").click()
        wait.until(EC.element_to_be_clickable((By.ID, "start-instant-chat"))).click()
        gateway.wait_for_state(session["id"], "waiting", token)
        entries = gateway.api("GET", "admin/audit", token=token, expect=200)[1]
        joined = [entry for entry in entries if entry["action"] == "customer_joined" and entry["objectId"] == session["id"]]
        assert len(joined) == 1 and json.loads(joined[0]["after"])["terms"] == "accepted"
    finally:
        gateway.api("PUT", "admin/settings", {"appletTerms": ""}, token=token, expect=200)
