"""Email invitations through a real SMTP server on loopback (aiosmtpd), plain and with STARTTLS."""
import contextlib
import email
import shutil
import ssl
import tempfile
import time
import urllib.parse
from email import policy

from aiosmtpd.controller import Controller

from conftest import Gateway, free_port, self_signed_certificate


class Inbox:
    """An aiosmtpd handler that keeps every delivered message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted"

    def wait(self, count=1, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        assert len(self.messages) >= count, "no message arrived"
        return self.messages[-1]


@contextlib.contextmanager
def mail_setup(tls_context=None, extra=None):
    """A real SMTP server (aiosmtpd) on loopback and a gateway that sends through it."""
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=tls_context,
                      require_starttls=tls_context is not None)
    smtp.start()
    folder = tempfile.mkdtemp(prefix="lifeline-mail-")
    env = {"LIFELINE_SMTP_HOST": "localhost", "LIFELINE_SMTP_PORT": str(smtp.port), "LIFELINE_SMTP_SECURITY": "none",
           "LIFELINE_SMTP_FROM": "help@acme.test", **(extra or {})}
    gateway = Gateway(folder, free_port(), env=env)
    try:
        gateway.start()
        yield gateway, inbox
    finally:
        gateway.stop()
        smtp.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_email_invitation_is_delivered_and_its_link_works(applets):
    with mail_setup() as (gateway, inbox):
        token = gateway.login()
        session = gateway.api("POST", "sessions", {"name": "Ann", "method": "link"}, token=token, expect=201)[1]
        status, body = gateway.api("POST", f"sessions/{session['id']}/invitations/email", {"to": "ann@customer.test"}, token=token)
        assert status == 202 and body == {"sent": True, "to": "ann@customer.test"}
        recipients, message = inbox.wait()
        assert recipients == ["ann@customer.test"]
        assert message["From"] == "help@acme.test"
        assert message["Subject"] == "Lifeline: your remote support session with Administrator"
        text = message.get_content()
        assert text.startswith("Hello Ann,")
        assert session["link"] in text

        applet = applets(gateway.url, "--link", session["link"])
        applet.expect("WELCOME", "state=waiting")
        log = gateway.api("GET", f"sessions/{session['id']}/log", token=token, expect=200)[1]
        assert any(entry["text"] == "Administrator sent the invitation by email to ann@customer.test." for entry in log)

        bad = gateway.api("POST", f"sessions/{session['id']}/invitations/email", {"to": "ann@customer.test\r\nBcc: x@y.z"}, token=token)
        assert bad[0] == 400
        pin_session = gateway.api("POST", "sessions", {"method": "pin"}, token=token, expect=201)[1]
        refused = gateway.api("POST", f"sessions/{pin_session['id']}/invitations/email", {"to": "a@b.test"}, token=token)
        assert refused[0] == 409 and refused[1]["error"]["code"] == "invitation_unavailable"


def test_email_over_starttls_with_the_servers_certificate():
    folder = tempfile.mkdtemp(prefix="lifeline-mailtls-")
    certificate, key = self_signed_certificate(folder, "localhost", "DNS:localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    try:
        with mail_setup(context, {"LIFELINE_SMTP_SECURITY": "starttls", "LIFELINE_SMTP_CA_FILE": str(certificate)}) as (gateway, inbox):
            token = gateway.login()
            session = gateway.api("POST", "sessions", {"name": "Bo", "method": "link"}, token=token, expect=201)[1]
            status, _ = gateway.api("POST", f"sessions/{session['id']}/invitations/email", {"to": "bo@customer.test"}, token=token)
            assert status == 202
            assert session["link"] in inbox.wait()[1].get_content()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_own_mail_client_draft_and_no_mail_server(gateway):
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Cy", "method": "link"}, token=token, expect=201)[1]
    draft = gateway.api("GET", f"sessions/{session['id']}/invitations/email-draft", token=token, expect=200)[1]
    assert session["link"] in draft["body"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(draft["mailto"]).query)
    assert query["subject"] == [draft["subject"]] and query["body"] == [draft["body"]], "the mail client gets the same text"
    status, body = gateway.api("POST", f"sessions/{session['id']}/invitations/email", {"to": "cy@customer.test"}, token=token)
    assert status == 409 and body["error"]["code"] == "email_not_configured"


def test_console_sends_the_link_by_email(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from test_console_session import sign_in

    with mail_setup() as (gateway, inbox):
        wait = sign_in(browser, gateway)
        browser.find_element(By.ID, "new-session").click()
        browser.find_element(By.ID, "new-session-name").send_keys("Dee")
        browser.find_element(By.CSS_SELECTOR, "input[name=method][value=link]").click()
        browser.find_element(By.ID, "new-session-create").click()
        link = wait.until(EC.visibility_of_element_located((By.ID, "new-session-link"))).get_attribute("value")
        wait.until(EC.visibility_of_element_located((By.ID, "new-session-email-to"))).send_keys("dee@customer.test")
        wait.until(lambda b: b.find_element(By.ID, "new-session-mailto").get_attribute("href").startswith("mailto:"))
        browser.find_element(By.ID, "new-session-email-send").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "new-session-email-status"), "Invitation sent to dee@customer.test."))
        assert link in inbox.wait()[1].get_content()


def test_an_external_technician_is_invited_by_email_and_joins_with_its_link(applets):
    """I2 by email: the gateway mails the one-time link and PIN; the link works once."""
    with mail_setup() as (gateway, inbox):
        token = gateway.login()
        session = gateway.api("POST", "sessions", {"name": "Ann", "method": "pin"}, token=token, expect=201)[1]
        applet = applets(gateway.url, "--pin", session["pin"])
        applet.expect("WELCOME")
        gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
        refused = gateway.api("POST", f"sessions/{session['id']}/collaborators", {"name": "Dana", "sendEmail": True}, token=token)
        assert refused[0] == 400, "sending by email needs an address"
        status, invited = gateway.api("POST", f"sessions/{session['id']}/collaborators",
                                      {"name": "Dana", "email": "dana@vendor.test", "sendEmail": True}, token=token)
        assert status == 201 and invited["emailed"] is True
        recipients, message = inbox.wait()
        assert recipients == ["dana@vendor.test"]
        assert message["Subject"] == "Administrator (Lifeline) invites you to a remote support session"
        text = message.get_content()
        assert text.startswith("Hello Dana,") and invited["link"] in text and invited["pin"] in text
        assert f"{gateway.url}/collaborate" in text
        token_in_mail = invited["link"].rsplit("/", 1)[1]
        joined = gateway.api("POST", "collaborators/join", {"link": token_in_mail}, expect=200)[1]
        assert joined["language"] == "en"
        applet.expect("COLLABORATOR", 'joined name="Dana"')
        assert gateway.api("POST", "collaborators/join", {"link": token_in_mail})[0] == 404


def invite_by_email_into_an_active_session(gateway, applets, expected_status, expected_code):
    """Asks the gateway to email an external technician's invitation; it must fail and leave nothing."""
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Ann", "method": "pin"}, token=token, expect=201)[1]
    applets(gateway.url, "--pin", session["pin"]).expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    status, body = gateway.api("POST", f"sessions/{session['id']}/collaborators",
                               {"name": "Dana", "email": "dana@vendor.test", "sendEmail": True}, token=token)
    assert status == expected_status and body["error"]["code"] == expected_code
    assert gateway.api("GET", f"sessions/{session['id']}/collaborators", token=token, expect=200)[1] == [], "nothing half-done"


def test_without_a_mail_server_nothing_is_invited(gateway, applets):
    invite_by_email_into_an_active_session(gateway, applets, 409, "email_not_configured")


def test_an_invitation_the_mail_server_refuses_is_withdrawn(applets):
    folder = tempfile.mkdtemp(prefix="lifeline-mail-down-")
    # A mail server address where nothing listens.
    gateway = Gateway(folder, free_port(), env={"LIFELINE_SMTP_HOST": "localhost", "LIFELINE_SMTP_PORT": str(free_port()),
                                                "LIFELINE_SMTP_SECURITY": "none", "LIFELINE_SMTP_FROM": "help@acme.test"})
    try:
        gateway.start()
        invite_by_email_into_an_active_session(gateway, applets, 502, "email_failed")
    finally:
        gateway.stop()
        shutil.rmtree(folder, ignore_errors=True)
