"""Running the gateway for real: TLS, the one-time setup URL, graceful shutdown."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, BIN, ROOT, Gateway, free_port, self_signed_certificate


def test_tls_serves_https_with_secure_cookies():
    folder = Path(tempfile.mkdtemp(prefix="lifeline-tls-"))
    certificate, key = self_signed_certificate(folder, "127.0.0.1", "IP:127.0.0.1")
    gateway = Gateway(str(folder), free_port(), tls=(str(certificate), str(key))).start()
    try:
        status, body = gateway.api("POST", "auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert status == 200 and body["token"]
        cookie = gateway.last_headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    finally:
        gateway.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_applet_trusts_a_gateway_whose_certificate_the_organisations_own_ca_signed(applets):
    """A gateway on HTTPS with a certificate no public authority signed (here its own, as an
    organisation's private CA would): the applet refuses it, says so and stops; with the CA file
    (--ca-file, or LIFELINE_CA_FILE) it joins, its socket on the same trust; a wrong file is named at start."""
    folder = Path(tempfile.mkdtemp(prefix="lifeline-ca-"))
    # By name, as a gateway on HTTPS is reached (docs/operations.md, TLS).
    certificate, key = self_signed_certificate(folder, "localhost", "DNS:localhost")
    gateway = Gateway(str(folder), free_port(), tls=(str(certificate), str(key)), host="localhost").start()
    applet = [str(BIN / "lifeline-applet"), "--gateway", gateway.url, "--non-interactive", "--max-backoff", "1"]
    try:
        token = gateway.login()
        session = gateway.api("POST", "sessions", {"name": "Private CA", "method": "pin"}, token=token, expect=201)[1]
        untrusting = subprocess.run(applet + ["--pin", session["pin"]], capture_output=True, text=True, timeout=60, cwd=folder)
        assert untrusting.returncode == 1 and "certificate" in untrusting.stderr.lower(), untrusting.stderr
        missing = subprocess.run(applet + ["--pin", session["pin"], "--ca-file", str(folder / "nothing.pem")],
                                 capture_output=True, text=True, timeout=60, cwd=folder)
        assert missing.returncode == 1 and "nothing.pem cannot be read" in missing.stderr, missing.stderr

        trusting = applets(gateway.url, "--pin", session["pin"], extra_args=("--ca-file", str(certificate)))
        trusting.expect("WELCOME")
        gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
        gateway.api("POST", f"sessions/{session['id']}/messages", {"text": "Over TLS"}, token=token, expect=201)
        trusting.expect("CHAT", "Over TLS")

        # The same from the environment, as a desktop's or a unit's environment would give it.
        second = gateway.api("POST", "sessions", {"name": "Private CA 2", "method": "pin"}, token=token, expect=201)[1]
        from_environment = applets(gateway.url, "--pin", second["pin"], env_extra={"LIFELINE_CA_FILE": str(certificate)})
        from_environment.expect("WELCOME")
    finally:
        gateway.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_first_start_without_credentials_prints_a_one_time_setup_url():
    folder = Path(tempfile.mkdtemp(prefix="lifeline-setup-"))
    port = free_port()
    log = folder / "server.log"
    process = subprocess.Popen([str(BIN / "lifeline-server"), "--port", str(port), "--data-dir", str(folder),
                                "--web-root", str(ROOT / "Web")], stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    gateway = Gateway(str(folder), port)
    gateway.process = process
    try:
        deadline = time.time() + 30
        match = None
        while time.time() < deadline and not match:
            match = re.search(r"setup\.url=(\S+)", log.read_text())
            time.sleep(0.1)
        assert match, log.read_text()
        token = match.group(1).split("token=")[1]
        assert len(token) >= 22, "at least 128 bits"
        # The address is printed as the gateway starts; it answers a moment later.
        gateway.wait_until_up()
        assert gateway.api("GET", "setup")[1] == {"needed": True}
        form = {"token": token, "organisation": "Acme Help", "name": "Ada Admin", "email": "ada@acme.test",
                "password": "a long password"}
        assert gateway.api("POST", "setup", {**form, "token": "guess"})[0] == 403
        weak = gateway.api("POST", "setup", {**form, "password": "Password 2024"})
        assert weak[0] == 400 and "too common" in weak[1]["error"]["message"]
        assert gateway.api("POST", "setup", form)[0] == 204
        assert gateway.api("POST", "setup", form)[0] == 403, "the setup link works once"
        assert gateway.api("GET", "setup")[1] == {"needed": False}
        token = gateway.login("ada@acme.test", "a long password")
        assert gateway.api("GET", "me", token=token)[1]["organisation"] == "Acme Help"
    finally:
        gateway.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_sigterm_stops_the_gateway_cleanly(gateway):
    gateway.stop()
    assert gateway.process.returncode == 0, "graceful shutdown, not killed after the 10 s grace period"


def test_settings_from_a_file_the_environment_and_flags_in_that_order():
    """The operator's three ways to configure the real gateway: the file gives the port, the data
    folder and the administrator (password from a secret file); the environment overrides the port;
    a flag overrides both; a misspelt key in the file stops it with the key's name."""
    folder = Path(tempfile.mkdtemp(prefix="lifeline-settings-"))
    password_file = folder / "admin-password"
    password_file.write_text("from a secret file\n")
    password_file.chmod(0o600)
    file_port, environment_port, flag_port = free_port(), free_port(), free_port()
    config = folder / "lifeline.json"
    config.write_text(json.dumps({"port": file_port, "dataDir": str(folder / "data"), "webRoot": str(ROOT / "Web"),
                                  "admin": {"email": "file@acme.test", "passwordFile": str(password_file)}}))
    clean = {name: value for name, value in os.environ.items() if not name.startswith("LIFELINE_")}

    def run(port, arguments, env):
        gateway = Gateway(str(folder), port)
        gateway.process = subprocess.Popen([str(BIN / "lifeline-server"), *arguments], env={**clean, **env},
                                           stdout=open(gateway.log, "ab"), stderr=subprocess.STDOUT)
        return gateway.wait_until_up()

    try:
        gateway = run(file_port, ["--config", str(config)], {})
        assert gateway.login("file@acme.test", "from a secret file"), "the administrator from the file, its password from the secret file"
        gateway.stop()
        gateway = run(environment_port, [], {"LIFELINE_CONFIG": str(config), "LIFELINE_PORT": str(environment_port)})
        gateway.stop()
        gateway = run(flag_port, ["--port", str(flag_port)], {"LIFELINE_CONFIG": str(config), "LIFELINE_PORT": str(environment_port)})
        assert gateway.login("file@acme.test", "from a secret file"), "the same data folder, from the file"
        gateway.stop()
        assert (folder / "data" / "lifeline.sqlite").exists(), "the data folder the file names"

        config.write_text(json.dumps({"port": file_port, "smtp": {"hots": "mail.acme.test"}}))
        refused = subprocess.run([str(BIN / "lifeline-server"), "--config", str(config)], env=clean,
                                 capture_output=True, text=True, timeout=30)
        assert refused.returncode == 2
        assert '"smtp.hots" (did you mean "smtp.host"?)' in refused.stderr, refused.stderr
        refused = subprocess.run([str(BIN / "lifeline-server"), "--port", "eighty"], env=clean, capture_output=True, text=True, timeout=30)
        assert refused.returncode == 2 and "--port takes a whole number, not eighty" in refused.stderr, refused.stderr
    finally:
        gateway.stop()
        shutil.rmtree(folder, ignore_errors=True)
