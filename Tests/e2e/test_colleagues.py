"""Two technicians in two browsers working one session (I1, I3): the lead invites a colleague with
fewer permissions from the Invite dialog, the colleague accepts the Invitation, the technicians chat
privately (the real applet never gets it), the colleague cannot chat with the customer, and the lead
hands the lead over and leaves while the session goes on. A colleague's Transfer passes their
place in the session to another colleague (I4)."""
import websocket
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import click_when_ready, open_browser, start_active_session_as, technician_with
from test_console_session import row_status, select_row, sign_in
from test_transfer import PERMISSIONS as TRANSFER_PERMISSIONS, bea_in_level_2_and_an_active_session

PERMISSIONS = TRANSFER_PERMISSIONS + ["invite_internal_technicians"]


def test_invite_a_colleague_chat_privately_and_hand_over_the_lead(gateway, browser, applets):
    _, session, applet = bea_in_level_2_and_an_active_session(gateway, applets, PERMISSIONS)
    admin = gateway.login()

    bea_browser = open_browser()
    try:
        bea_wait = sign_in(bea_browser, gateway, email="bea@e2e.test", password="bea password 1")
        wait = sign_in(browser, gateway)
        select_row(browser, wait, session["id"])

        # The lead invites Bea for this session without the chat with the customer.
        wait.until(EC.element_to_be_clickable((By.ID, "invite-technician"))).click()
        wait.until(EC.visibility_of_element_located((By.ID, "colleague-section")))
        wait.until(lambda b: any(o.text == "Bea" for o in Select(b.find_element(By.ID, "colleague-pick")).options))
        Select(browser.find_element(By.ID, "colleague-pick")).select_by_visible_text("Bea")
        browser.find_element(By.ID, "colleague-all").click()
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#colleague-permission-list input[value=chat]"))).click()
        browser.find_element(By.ID, "colleague-comment").send_keys("Printers are your thing")
        browser.find_element(By.ID, "colleague-submit").click()
        wait.until(EC.invisibility_of_element_located((By.ID, "invite-dialog")))
        wait.until(EC.text_to_be_present_in_element((By.ID, "colleague-list"), "Bea · Invitation"))

        # Bea sees the Invitation with the comment and starts it.
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Invitation")
        select_row(bea_browser, bea_wait, session["id"])
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "colleague-invitation"),
                                                         "Administrator invites you to collaborate: Printers are your thing"))
        bea_wait.until(EC.element_to_be_clickable((By.ID, "start-session"))).click()
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Collaboration")
        applet.expect("COLLABORATOR", 'joined name="Bea"')
        wait.until(EC.text_to_be_present_in_element((By.ID, "colleague-list"), "Bea · Collaboration"))

        # The technicians' private chat: both consoles show it marked; the customer never gets it.
        bea_browser.find_element(By.ID, "private-chat-input").send_keys("I bet it is the CUPS driver\n")
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#chat-log li.private_chat"), "I bet it is the CUPS driver"))
        assert "technicians only" in browser.find_element(By.CSS_SELECTOR, "#chat-log li.private_chat .private-tag").text
        # Bea may not chat with Carl here: the gateway refuses and says why.
        bea_browser.find_element(By.ID, "chat-input").send_keys("Hello Carl\n")
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "console-error"), "did not allow chat"))
        gateway.api("POST", f"sessions/{session['id']}/messages", {"text": "Bea is looking at your printer"}, token=admin, expect=201)
        applet.expect("CHAT", "Bea is looking at your printer")

        # The lead changes Bea's permissions for this session from the pane: now she may chat.
        wait.until(lambda b: click_when_ready(b, "#colleague-list .edit-permissions"))
        box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#colleague-list .permission-editor input[value=chat]")))
        assert not box.is_selected(), "the editor shows what Bea was granted: not the chat"
        box.click()
        browser.find_element(By.CSS_SELECTOR, "#colleague-list .permission-editor .save-permissions").click()
        wait.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "#colleague-list .permission-editor")))
        gateway.wait_for_log_line(session["id"], "Administrator changed what Bea may do in this session.", admin, timeout=5)
        bea_browser.find_element(By.ID, "chat-input").send_keys("Hello Carl, Bea here\n")
        applet.expect("CHAT", "Hello Carl, Bea here")
        assert not any("CUPS driver" in line for line in applet.seen), "the private line reached the customer"

        # The lead hands over the lead; Bea accepts; the former lead collaborates, then leaves.
        wait.until(lambda b: click_when_ready(b, "#colleague-list .offer-lead"))
        bea_wait.until(EC.element_to_be_clickable((By.ID, "accept-lead"))).click()
        bea_wait.until(lambda b: row_status(b, session["id"]) == "Active")
        wait.until(lambda b: row_status(b, session["id"]) == "Collaboration")
        applet.expect("TECHNICIAN", 'technician="Bea"')
        bea_wait.until(EC.text_to_be_present_in_element((By.ID, "colleague-list"), "Bea (lead)"))
        select_row(browser, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "end-session"))).click()
        wait.until(lambda b: row_status(b, session["id"]) is None)
        applet.expect("COLLABORATOR", 'left name="Administrator"')
        assert row_status(bea_browser, session["id"]) == "Active", "the session goes on with Bea"
        bea_wait.until(EC.invisibility_of_element_located((By.ID, "colleagues-pane")))
    finally:
        bea_browser.quit()


def test_a_colleague_reads_the_system_information_then_passes_their_place_with_transfer(gateway, browser, applets):
    """Uma leads; Vic collaborates with system information and transfer allowed: his System tab
    reads the customer's dashboard from the real applet; he clicks Transfer: the dialog offers
    colleagues only and says what happens; Wes (Online) is invited with Vic's permissions and the
    comment, Vic's row leaves his queue, the session stays Uma's."""
    uma = technician_with(gateway, PERMISSIONS, "uma@e2e.test", "Uma")
    vic = technician_with(gateway, PERMISSIONS + ["system_info"], "vic@e2e.test", "Vic")
    wes = technician_with(gateway, PERMISSIONS, "wes@e2e.test", "Wes")
    ids = {name: gateway.api("GET", "me", token=token)[1]["id"] for name, token in (("vic", vic), ("wes", wes))}
    session, applet = start_active_session_as(uma, gateway, applets, "Xena")
    granted = ["chat", "system_info", "transfer_sessions"]
    # Wes is Online: his console is open.
    wes_console = websocket.create_connection(gateway.url.replace("http", "ws", 1) + "/ws/console",
                                              header=[f"Authorization: Bearer {wes}"], timeout=15)
    try:
        wait = sign_in(browser, gateway, email="vic@e2e.test", password="Vic password 1")
        gateway.api("POST", f"sessions/{session['id']}/colleagues", {"technicianId": ids["vic"], "permissions": granted},
                    token=uma, expect=201)
        gateway.api("POST", f"sessions/{session['id']}/start", token=vic, expect=200)
        applet.expect("COLLABORATOR", 'joined name="Vic"')
        wait.until(lambda b: row_status(b, session["id"]) == "Collaboration")
        select_row(browser, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "tool-system"))).click()
        browser.find_element(By.ID, "system-request").click()
        wait.until(lambda b: "Processor" in b.find_element(By.ID, "system-view").text)
        applet.expect("SYSTEM_INFO dashboard")
        wait.until(EC.element_to_be_clickable((By.ID, "transfer-session"))).click()
        wait.until(EC.visibility_of_element_located((By.ID, "transfer-place-note")))
        wait.until(EC.text_to_be_present_in_element((By.ID, "transfer-list"), "Wes"))
        assert "queue" not in browser.find_element(By.ID, "transfer-list").text.lower(), "no queues for a colleague"
        browser.find_element(By.CSS_SELECTOR, f"#transfer-list input[value='{ids['wes']}']").click()
        browser.find_element(By.ID, "transfer-comment").send_keys("Wes knows these scanners")
        browser.find_element(By.ID, "transfer-submit").click()
        wait.until(lambda b: row_status(b, session["id"]) is None)
        applet.expect("COLLABORATOR", 'left name="Vic"')
        shown = gateway.api("GET", f"sessions/{session['id']}", token=uma)[1]
        assert shown["state"] == "active", "the session stays with Uma"
        assert [(c["name"], c["state"], c["invitedBy"], c["comment"], sorted(c["permissions"])) for c in shown["colleagues"]] == [
            ("Wes", "invitation", "Vic", "Wes knows these scanners", granted)]
    finally:
        wes_console.close()
