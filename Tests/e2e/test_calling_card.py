"""Calling Card (F3, G3): the administrator defines a branded card bound to a channel; the one-line
installer installs it for a user (no root) with menu and autostart entries; the installed card
connects through its channel with the customer's name and custom fields, or with a PIN; its
proxy setting (HTTP CONNECT with credentials) carries every connection, files included."""
import base64
import hashlib
import json
import os
import stat
import subprocess
import tempfile
import threading
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import BIN
from http_proxy import HTTPProxy
from test_console_session import row_status, sign_in

PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])


def card_setup(gateway):
    """A group taking the "Website help" channel, its technician Tim, a Ticket custom field, and the card."""
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Desk", "permissions": [
        "channel_sessions", "start_private_sessions", "connect_by_pin", "chat", "send_files"]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "tim@e2e.test", "name": "Tim", "password": "tim password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    settings = gateway.api("GET", "admin/settings", token=admin, expect=200)[1]
    gateway.api("PUT", "admin/settings", {**settings, "customFieldNames": ["Ticket"]}, token=admin, expect=200)
    channel = gateway.api("POST", "admin/channels", {"name": "Website help", "groupIds": [group["id"]]}, token=admin, expect=201)[1]
    card = gateway.api("POST", "admin/calling-cards", {
        "name": "Acme Support", "channelId": channel["id"], "headerColour": "#c00000", "groupIds": [group["id"]],
        "logoBase64": base64.b64encode(PNG).decode()}, token=admin, expect=201)[1]
    return gateway.login("tim@e2e.test", "tim password 1"), card


def install(gateway, card, home, *options):
    """Runs the command the admin page shows, as the customer would, with `options` for the installer."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env["HOME"] = home
    command = card["installCommand"].replace("| sh", "| sh -s --") + "".join(f" {option}" for option in options)
    assert card["installCommand"].startswith(f"curl -fsSL {gateway.url}/download/calling-card/")
    return subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, timeout=120)


def test_installer_then_the_card_connects_through_its_channel_and_uninstalls(gateway, applets, browser):
    tim, card = card_setup(gateway)
    # Tim's console is open: the channel's requests reach his Channel tab.
    console = sign_in(browser, gateway, email="tim@e2e.test", password="tim password 1")
    home = tempfile.mkdtemp(prefix="lifeline-home-")
    result = install(gateway, card, home, "--autostart")
    assert result.returncode == 0, result.stderr
    assert "INSTALLED Acme Support" in result.stdout
    binary = os.path.join(home, ".local/share/lifeline/lifeline-applet")
    assert open(binary, "rb").read() == (BIN / "lifeline-applet").read_bytes()
    assert os.stat(binary).st_mode & stat.S_IXUSR
    settings_file = os.path.join(home, ".config/lifeline/calling-card.json")
    assert stat.S_IMODE(os.stat(settings_file).st_mode) == 0o600
    menu = open(os.path.join(home, ".local/share/applications/lifeline-calling-card.desktop")).read()
    assert "Name=Acme Support\n" in menu and f'Exec="{binary}" --calling-card\n' in menu and "Terminal=true\n" in menu
    assert f"Icon={home}/.local/share/lifeline/calling-card.png" in menu
    assert open(os.path.join(home, ".local/share/lifeline/calling-card.png"), "rb").read() == PNG
    assert "X-GNOME-Autostart-enabled=true" in open(os.path.join(home, ".config/autostart/lifeline-calling-card.desktop")).read()

    # The installed card: its branding first, then a request in its channel with name and custom field.
    customer = applets(gateway.url, "--calling-card", "--name", "Ann", "--field", "Ticket=42", binary=binary, home=home)
    assert customer.expect("CARD") == 'CARD name="Acme Support" organisation="Lifeline" channel="Website help"'
    welcome = customer.expect("WELCOME", "state=waiting")
    session_id = welcome.split("session=")[1].split()[0]
    console.until(lambda b: row_status(b, session_id) == "Waiting")
    queue = gateway.api("GET", "sessions?queue=channel", token=tim, expect=200)[1]
    session = next(item for item in queue if item["id"] == session_id)
    assert session["name"] == "Ann" and session["fields"] == {"Ticket": "42"} and session["channel"] == "Website help"
    gateway.api("POST", f"sessions/{session_id}/start", token=tim, expect=200)
    customer.expect("STATUS", "active")
    customer.say("Printer jammed")
    texts = lambda: [entry["text"] for entry in gateway.api("GET", f"sessions/{session_id}/log", token=tim)[1]]
    deadline = time.time() + 10
    while time.time() < deadline and "Printer jammed" not in texts():
        time.sleep(0.2)
    assert "Printer jammed" in texts()
    gateway.api("POST", f"sessions/{session_id}/end", token=tim, expect=200)
    customer.expect("ENDED")
    assert customer.wait() == 0
    assert os.path.exists(binary), "an installed card stays installed after a session"

    # A PIN from a technician works from the card too.
    pin_session = gateway.api("POST", "sessions", {"name": "Ann again", "method": "pin"}, token=tim, expect=201)[1]
    by_pin = applets(gateway.url, "--calling-card", "--pin", pin_session["pin"], binary=binary, home=home)
    by_pin.expect("WELCOME", f"session={pin_session['id']}")
    by_pin.kill()

    removed = subprocess.run([binary, "--uninstall-calling-card"], env={**os.environ, "HOME": home}, capture_output=True, text=True, timeout=30)
    assert removed.returncode == 0
    for path in [binary, settings_file, os.path.join(home, ".config/autostart/lifeline-calling-card.desktop"),
                 os.path.join(home, ".local/share/applications/lifeline-calling-card.desktop")]:
        assert not os.path.exists(path), path


def test_an_unknown_card_installs_nothing(gateway):
    home = tempfile.mkdtemp(prefix="lifeline-home-")
    card = {"installCommand": f"curl -fsSL {gateway.url}/download/calling-card/no-such-card/install.sh | sh"}
    result = install(gateway, card, home)
    # curl says why (the pipe's status is the shell's, which got no script to run).
    assert "404" in result.stderr
    assert not os.path.exists(os.path.join(home, ".local/share/lifeline"))


def test_proxy_setting_carries_the_session_and_a_file(gateway, applets, browser):
    tim, card = card_setup(gateway)
    sign_in(browser, gateway, email="tim@e2e.test", password="tim password 1")
    home = tempfile.mkdtemp(prefix="lifeline-home-")
    assert install(gateway, card, home).returncode == 0
    binary = os.path.join(home, ".local/share/lifeline/lifeline-applet")
    with HTTPProxy("ann", "s3cret") as proxy:
        # Settings → Proxy in the card's menu: a bad address is refused, a good one saved; the password never shown.
        menu = subprocess.run([binary, "--calling-card"], input=f"3\nproxy:3128\n3\n{proxy.url}\n3\n{proxy.url}\n5\n",
                              env={**os.environ, "HOME": home}, capture_output=True, text=True, timeout=30)
        assert "A proxy is written http://host:port" in menu.stdout
        assert f"Proxy saved: http://ann:••••@127.0.0.1:{proxy.port}" in menu.stdout
        assert f"Proxy now: http://ann:••••@127.0.0.1:{proxy.port}" in menu.stdout
        assert "s3cret" not in menu.stdout
        settings = json.load(open(os.path.join(home, ".config/lifeline/calling-card.json")))
        assert settings["proxy"] == proxy.url

        customer = applets(gateway.url, "--calling-card", "--name", "Pia", "--field", "Ticket=7", binary=binary, home=home)
        session_id = customer.expect("WELCOME", "state=waiting").split("session=")[1].split()[0]
        gateway.api("POST", f"sessions/{session_id}/start", token=tim, expect=200)
        customer.expect("STATUS", "active")

        # A file through the tunnel: offered by the technician, saved by the customer, MD5 equal.
        content = os.urandom(300_000)
        offer = gateway.api("POST", f"sessions/{session_id}/files", {"name": "fix.bin", "size": len(content)}, token=tim, expect=201)[1]
        customer.expect("FILE_OFFER", 'name="fix.bin"')
        folder = tempfile.mkdtemp(prefix="lifeline-files-")
        upload = urllib.request.Request(f"{gateway.url}/api/v1/sessions/{session_id}/files/{offer['id']}/content", data=content,
                                        method="PUT", headers={"Authorization": f"Bearer {tim}", "Content-Type": "application/octet-stream"})
        customer.say(f"/save {folder}")
        # Once the customer accepted, the technician's upload streams through the gateway into the applet.
        deadline = time.time() + 10
        while time.time() < deadline:
            files = gateway.api("GET", f"sessions/{session_id}/files", token=tim, expect=200)[1]
            if next(f for f in files if f["id"] == offer["id"])["phase"] == "sending":
                break
            time.sleep(0.1)
        threading.Thread(target=lambda: urllib.request.urlopen(upload, timeout=60).read(), daemon=True).start()
        saved = customer.expect("FILE_SAVED", timeout=60)
        assert f"md5={hashlib.md5(content).hexdigest()}" in saved

        port = gateway.url.rsplit(":", 1)[1]
        authorised = [(method, target) for method, target, ok in proxy.requests if ok]
        assert ("CONNECT", f"127.0.0.1:{port}") in authorised, proxy.requests
        # Every way out goes through the proxy, each in a CONNECT tunnel to the gateway: the session's
        # socket in one, the card's requests (its branding, then the channel request) and the file's
        # download in kept ones (async-http-client reuses its tunnels); the file's bytes came that way.
        connects = [target for method, target in authorised if method == "CONNECT"]
        assert connects == [f"127.0.0.1:{port}"] * len(connects) and len(connects) >= 2, proxy.requests
        assert proxy.bytes_down >= len(content), f"the download came through the proxy: {proxy.bytes_down} bytes"
        assert not [request for request in proxy.requests if not request[2]], "every request carried the credentials"
        customer.kill()


def test_a_proxy_that_refuses_the_credentials_is_named_as_such(gateway):
    """Wrong proxy credentials in the card's settings: every request is refused by the proxy (407),
    and the customer is told the proxy refused the user name and password, not a raw error."""
    _, card = card_setup(gateway)
    home = tempfile.mkdtemp(prefix="lifeline-home-")
    assert install(gateway, card, home).returncode == 0
    binary = os.path.join(home, ".local/share/lifeline/lifeline-applet")
    with HTTPProxy("ann", "s3cret") as proxy:
        path = os.path.join(home, ".config/lifeline/calling-card.json")
        settings = json.load(open(path))
        settings["proxy"] = proxy.url.replace("s3cret", "wrong")
        json.dump(settings, open(path, "w"))
        result = subprocess.run([binary, "--calling-card", "--name", "Pia", "--non-interactive", "--max-backoff", "1"],
                                env={**os.environ, "HOME": home}, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert result.returncode == 1
        assert "The proxy refused the user name and password." in result.stderr, result.stderr
        assert "HTTPClientError" not in result.stderr
        assert proxy.requests and not [request for request in proxy.requests if request[2]], "nothing got through"


def test_deploy_from_the_session_installs_after_the_customer_accepts(gateway, applets, browser):
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Field", "permissions": [
        "start_private_sessions", "connect_by_pin", "chat", "deploy_calling_card"]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "dora@e2e.test", "name": "Dora", "password": "dora password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    channel = gateway.api("POST", "admin/channels", {"name": "Help", "groupIds": [group["id"]]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/calling-cards", {"name": "Acme Support", "channelId": channel["id"], "groupIds": [group["id"]]},
                token=admin, expect=201)
    dora = gateway.login("dora@e2e.test", "dora password 1")
    session = gateway.api("POST", "sessions", {"name": "Gus", "method": "pin"}, token=dora, expect=201)[1]
    home = tempfile.mkdtemp(prefix="lifeline-home-")
    customer = applets(gateway.url, "--pin", session["pin"], home=home)
    customer.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=dora, expect=200)

    wait = sign_in(browser, gateway, email="dora@e2e.test", password="dora password 1")
    from test_console_session import select_row
    select_row(browser, wait, session["id"])
    # The toolbox's Calling Card tab: usable once the group's cards are read.
    wait.until(lambda b: b.find_element(By.ID, "tool-calling-card").get_attribute("aria-disabled") == "false")
    browser.find_element(By.ID, "tool-calling-card").click()
    wait.until(EC.visibility_of_element_located((By.ID, "calling-card-tab")))
    browser.find_element(By.ID, "calling-card-startup").click()
    browser.find_element(By.ID, "calling-card-install").click()
    customer.expect("CARD_OFFER", 'name="Acme Support" technician="Dora" autostart=true')
    assert not os.path.exists(os.path.join(home, ".local/share/lifeline")), "nothing before the customer agrees"
    customer.say("/install")
    installed = customer.expect("CARD_INSTALLED", "autostart=true")
    assert f'path="{home}/.local/share/lifeline/lifeline-applet"' in installed
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "The customer installed the Calling Card."))
    assert os.path.exists(os.path.join(home, ".config/autostart/lifeline-calling-card.desktop"))
    settings = json.load(open(os.path.join(home, ".config/lifeline/calling-card.json")))
    assert settings["gateway"] == gateway.url and settings["card"]["name"] == "Acme Support"


def test_admin_page_creates_a_card_and_shows_its_install_command(gateway, browser):
    admin = gateway.login()
    gateway.api("POST", "admin/channels", {"name": "Website help", "groupIds": []}, token=admin, expect=201)
    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/#/organisation/calling-cards")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#card-channel option")))
    browser.find_element(By.ID, "card-name").send_keys("Acme Support")
    logo = os.path.join(tempfile.mkdtemp(prefix="lifeline-logo-"), "logo.png")
    with open(logo, "wb") as file:
        file.write(PNG)
    browser.find_element(By.ID, "card-logo").send_keys(logo)
    browser.find_element(By.CSS_SELECTOR, "#card-form button[type=submit]").click()
    row = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#calling-cards tbody tr")))
    assert "Acme Support" in row.text and "Website help" in row.text
    [card] = gateway.api("GET", "admin/calling-cards", token=admin, expect=200)[1]
    assert card["hasLogo"] is True
    assert row.find_element(By.TAG_NAME, "code").text == card["installCommand"]
