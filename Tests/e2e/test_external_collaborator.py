"""External collaborators (I2, A3): a technician outside the organisation joins a session's chat
from the lead's link — in the lead's language — or from a PIN typed on the collaborator page,
in the language picked there; the customer's real applet and the lead's console see them; the
lead removes them, or the session's end ends their console. One on the approved list watches the
customer's real screen from the full console."""
import json
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import open_browser
from test_console_session import select_row
from test_languages import photograph, sign_in
from test_remote_desktop import active_session_with_applet, ask_for_remote_control, wait_for_colour
from test_shared_screen import green, red
from test_three_consoles import viewers

CATALOGS = Path(__file__).resolve().parents[2] / "Web" / "i18n" / "console"


def catalog(language):
    return json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))


def active_session(gateway, applets, name="Carl"):
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": name, "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    return token, session, applet


def test_invited_by_link_in_the_leads_language_chats_then_is_removed(gateway, applets):
    token, session, applet = active_session(gateway, applets)
    french = catalog("fr")
    lead = open_browser()
    external = open_browser("en-US")
    try:
        sign_in(lead, gateway, language="fr")
        wait = WebDriverWait(lead, 10)
        select_row(lead, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "invite-technician"))).click()
        # The dialog opens once the session's collaborators are read.
        wait.until(EC.element_to_be_clickable((By.ID, "invite-name"))).send_keys("Dana Vendor")
        lead.find_element(By.ID, "invite-submit").click()
        link = wait.until(EC.visibility_of_element_located((By.ID, "invite-link"))).get_attribute("href")
        assert "/collaborate/" in link and len(lead.find_element(By.ID, "invite-pin").text) == 6
        wait.until(EC.text_to_be_present_in_element((By.ID, "invite-list"), "Dana Vendor"))
        assert french["state.invitation"] in lead.find_element(By.ID, "invite-list").text

        # The link opens in French although this browser asks for English (A3).
        external.get(link)
        ext_wait = WebDriverWait(external, 10)
        ext_wait.until(EC.visibility_of_element_located((By.ID, "collab-join-form")))
        assert external.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        who = external.find_element(By.ID, "collab-who").text
        assert "Administrator" in who and "Carl" in who and "vous invite" in who
        assert external.find_element(By.ID, "collab-limited").text == french["collab.limited"]
        assert external.find_element(By.ID, "collab-name").get_attribute("value") == "Dana Vendor"
        external.find_element(By.CSS_SELECTOR, "#collab-join-form button[type=submit]").click()
        ext_wait.until(EC.visibility_of_element_located((By.ID, "collab-console")))
        applet.expect("COLLABORATOR", 'joined name="Dana Vendor"')
        ext_wait.until(EC.text_to_be_present_in_element((By.ID, "collab-state"), french["state.collaboration"]))

        external.find_element(By.ID, "collab-chat-input").send_keys("Bonjour, je regarde le pilote.")
        external.find_element(By.CSS_SELECTOR, "#collab-chat-form button[type=submit]").click()
        applet.expect("CHAT", "Dana Vendor: Bonjour, je regarde le pilote.")
        wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "Bonjour, je regarde le pilote."))
        applet.say("Merci beaucoup")
        ext_wait.until(EC.text_to_be_present_in_element((By.ID, "collab-log"), "Merci beaucoup"))
        photograph(external, "collaborator-fr")

        # The lead removes them: their console says so, in French.
        lead.find_element(By.ID, "invite-cancel").click()
        wait.until(EC.element_to_be_clickable((By.ID, "invite-technician"))).click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "invite-list"), french["state.collaboration"]))
        lead.find_element(By.CSS_SELECTOR, "#invite-list li button").click()
        ext_wait.until(EC.text_to_be_present_in_element((By.ID, "collab-ended"), french["collab.removed"]))
        applet.expect("COLLABORATOR", 'left name="Dana Vendor"')
        assert not external.find_element(By.ID, "collab-console").is_displayed()
        assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "active", "the session goes on"
    finally:
        lead.quit()
        external.quit()


def test_invited_by_pin_picks_a_language_and_the_sessions_end_ends_the_collaboration(gateway, applets):
    token, session, applet = active_session(gateway, applets, name="Eva")
    invitation = gateway.api("POST", f"sessions/{session['id']}/collaborators", {"name": "Sam"}, token=token, expect=201)[1]
    german = catalog("de")
    external = open_browser("en-US")
    try:
        external.get(f"{gateway.url}/collaborate")
        wait = WebDriverWait(external, 10)
        picker = Select(wait.until(EC.visibility_of_element_located((By.ID, "collab-language"))))
        assert len(picker.options) == 13, "the console's languages: the manual's twelve and Arabic"
        picker.select_by_value("de")
        wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#collab-pin h1").text == german["collab.title"])
        external.find_element(By.ID, "collab-pin-input").send_keys("000000" if invitation["pin"] != "000000" else "000001")
        external.find_element(By.CSS_SELECTOR, "#collab-pin-form button[type=submit]").click()
        wait.until(EC.visibility_of_element_located((By.ID, "collab-error")))
        pin_box = external.find_element(By.ID, "collab-pin-input")
        pin_box.clear()
        pin_box.send_keys(invitation["pin"])
        external.find_element(By.CSS_SELECTOR, "#collab-pin-form button[type=submit]").click()
        wait.until(EC.visibility_of_element_located((By.ID, "collab-join-form")))
        assert "lädt Sie ein" in external.find_element(By.ID, "collab-who").text
        external.find_element(By.CSS_SELECTOR, "#collab-join-form button[type=submit]").click()
        wait.until(EC.visibility_of_element_located((By.ID, "collab-console")))
        gateway.api("POST", f"sessions/{session['id']}/end", token=token, expect=200)
        wait.until(EC.text_to_be_present_in_element((By.ID, "collab-ended"), german["collab.sessionEnded"]))
        # A reload does not bring a finished collaboration back.
        external.refresh()
        wait.until(EC.visibility_of_element_located((By.ID, "collab-pin")))
    finally:
        external.quit()


def test_an_approved_partner_watches_the_customers_screen_from_the_full_console(gateway, browser, applets, x_server):
    """The address on the approved list gets the full console: while the lead's remote desktop runs,
    the partner's page draws the customer's real screen (the red xterm on the green desktop of Xvfb);
    the customer is told they watch; it goes when the lead stops it. Nobody else is approved."""
    token = gateway.login()
    gateway.api("PUT", "admin/settings", {"approvedExternalTechnicians": ["partner@e2e.test"]}, token=token, expect=200)
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    invitation = gateway.api("POST", f"sessions/{session['id']}/collaborators",
                             {"name": "Petra Partner", "email": "partner@e2e.test"}, token=token, expect=201)[1]
    assert invitation["approved"] is True
    partner = open_browser("en-US")
    try:
        partner.get(invitation["link"])
        partner_wait = WebDriverWait(partner, 10)
        partner_wait.until(EC.visibility_of_element_located((By.ID, "collab-full")))
        assert not partner.find_element(By.ID, "collab-limited").is_displayed()
        partner.find_element(By.CSS_SELECTOR, "#collab-join-form button[type=submit]").click()
        partner_wait.until(EC.visibility_of_element_located((By.ID, "collab-console")))
        applet.expect("COLLABORATOR", 'joined name="Petra Partner"')
        assert not partner.find_element(By.ID, "collab-screen").is_displayed(), "nothing to watch before the lead shows it"

        lead_wait = ask_for_remote_control(browser, gateway, session)
        applet.expect("REMOTE_STARTED", "mode=control")
        viewers(applet, {"Administrator", "Petra Partner"}, control="Administrator")
        partner_wait.until(EC.visibility_of_element_located((By.ID, "collab-screen")))
        wait_for_colour(partner_wait, partner, 100, 100, red, canvas="#collab-canvas")
        wait_for_colour(partner_wait, partner, 900, 700, green, canvas="#collab-canvas")
        lead_wait.until(EC.text_to_be_present_in_element((By.ID, "remote-viewers"), "Petra Partner"))

        # The lead stops the remote desktop: the partner's screen goes, the chat stays.
        lead_wait.until(EC.element_to_be_clickable((By.ID, "remote-stop"))).click()
        partner_wait.until(EC.invisibility_of_element_located((By.ID, "collab-screen")))
        assert partner.find_element(By.ID, "collab-console").is_displayed()
    finally:
        partner.quit()
        gateway.api("PUT", "admin/settings", {"approvedExternalTechnicians": []}, token=token, expect=200)
