"""SMS invitations: a generic webhook provider against a real HTTP receiver on loopback, and the outbox."""
import contextlib
import json
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import Gateway, free_port


class Receiver:
    """An SMS provider's endpoint: records what it is sent; answers `status`."""

    def __init__(self, status=200):
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append((self.path, dict(self.headers), self.rfile.read(length)))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.status = status
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def stop(self):
        self.server.shutdown()


@contextlib.contextmanager
def gateway_with(env):
    folder = tempfile.mkdtemp(prefix="lifeline-sms-")
    gateway = Gateway(folder, free_port(), env=env)
    try:
        gateway.start()
        yield gateway
    finally:
        gateway.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_sms_goes_to_the_webhook_with_the_link():
    receiver = Receiver()
    try:
        with gateway_with({"LIFELINE_SMS_WEBHOOK_URL": receiver.url, "LIFELINE_SMS_WEBHOOK_AUTHORIZATION": "Bearer provider-key"}) as gateway:
            token = gateway.login()
            session = gateway.api("POST", "sessions", {"name": "Eve", "method": "link"}, token=token, expect=201)[1]
            status, body = gateway.api("POST", f"sessions/{session['id']}/invitations/sms", {"to": "+33 6 12-34-56-78"}, token=token)
            assert status == 202 and body == {"sent": True, "to": "+33612345678"}
            path, headers, raw = receiver.requests[-1]
            assert path == "/sms" and headers["Authorization"] == "Bearer provider-key"
            assert json.loads(raw) == {"to": "+33612345678", "text": f"Administrator (Lifeline) is ready to help you: {session['link']}"}
            log = gateway.api("GET", f"sessions/{session['id']}/log", token=token, expect=200)[1]
            assert any(entry["text"] == "Administrator sent the invitation by SMS to +33612345678." for entry in log)

            assert gateway.api("POST", f"sessions/{session['id']}/invitations/sms", {"to": "call me"}, token=token)[0] == 400
            receiver.status = 500
            failed = gateway.api("POST", f"sessions/{session['id']}/invitations/sms", {"to": "+3361234567"}, token=token)
            assert failed[0] == 502 and failed[1]["error"]["code"] == "sms_failed"
    finally:
        receiver.stop()


def test_sms_outbox_for_development():
    outbox = Path(tempfile.mkdtemp(prefix="lifeline-outbox-"))
    try:
        with gateway_with({"LIFELINE_SMS_OUTBOX": str(outbox)}) as gateway:
            token = gateway.login()
            session = gateway.api("POST", "sessions", {"method": "link"}, token=token, expect=201)[1]
            assert gateway.api("POST", f"sessions/{session['id']}/invitations/sms", {"to": "0612345678"}, token=token)[0] == 202
            files = list(outbox.iterdir())
            assert len(files) == 1
            assert files[0].read_text() == f"To: 0612345678\n\nAdministrator (Lifeline) is ready to help you: {session['link']}\n"
    finally:
        shutil.rmtree(outbox, ignore_errors=True)


def test_no_sms_provider_is_a_clear_error(gateway):
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"method": "link"}, token=token, expect=201)[1]
    status, body = gateway.api("POST", f"sessions/{session['id']}/invitations/sms", {"to": "0612345678"}, token=token)
    assert status == 409 and body["error"]["code"] == "sms_not_configured"


def test_console_sends_the_link_by_sms(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from test_console_session import sign_in

    outbox = Path(tempfile.mkdtemp(prefix="lifeline-outbox-"))
    try:
        with gateway_with({"LIFELINE_SMS_OUTBOX": str(outbox)}) as gateway:
            wait = sign_in(browser, gateway)
            browser.find_element(By.ID, "new-session").click()
            browser.find_element(By.CSS_SELECTOR, "input[name=method][value=link]").click()
            browser.find_element(By.ID, "new-session-create").click()
            link = wait.until(EC.visibility_of_element_located((By.ID, "new-session-link"))).get_attribute("value")
            wait.until(EC.visibility_of_element_located((By.ID, "new-session-sms-to"))).send_keys("+44 7700 900123")
            browser.find_element(By.ID, "new-session-sms-send").click()
            wait.until(EC.text_to_be_present_in_element((By.ID, "new-session-email-status"), "+447700900123"))
            assert link in next(outbox.iterdir()).read_text()
    finally:
        shutil.rmtree(outbox, ignore_errors=True)
