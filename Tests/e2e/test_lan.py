"""LAN connections (F4) with real parts: four "machines" of a network, each a network namespace on
a bridge of this test's own (10.231.7.0/24, nothing leaves it), three running Debian's OpenSSH
server with throw-away host keys and one without, which announces itself with Debian's Avahi (mDNS); a real agent, enrolled from a session, made a
LAN connector by the administrator; it lists the machines, connects to one with a password over
swift-nio-ssh, copies the applet and starts it, and the session arrives in the technician's queue
with no one at the machine doing anything. A wrong password, a changed host key and a machine
without SSH each give their own clear error; the password is nowhere on disk afterwards."""
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Gateway, free_port, technician_with, text_of
from test_console_session import sign_in
from test_unattended import ANY_HOUR, agents, approve, customer_account, computers, stop_everything_of, wait_until

CONNECTOR_USER = "lifeline-lanagent"
MACHINE_USER = "lifeline-lanuser"
PASSWORD = "Lan-Secret-7319-Quartz"
BRIDGE_ADDRESS = "10.231.7.1"
SUBNET = "10.231.7.8/29"
MACHINES = {"a": "10.231.7.10", "b": "10.231.7.11", "c": "10.231.7.12", "d": "10.231.7.13"}
WITH_SSH = ["a", "b", "c"]
# Machine d has no SSH but announces itself over mDNS: Debian's Avahi, its name set for the test.
ANNOUNCED = {"d": "lanmachine-d"}

pytestmark = [pytest.mark.changes_network, pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("ip") or not os.path.exists("/usr/sbin/sshd") or not shutil.which("useradd"),
    reason="needs root, iproute2 and openssh-server to build the test's network of machines")]


def run(*command, **options):
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)


class Network:
    """A bridge and one namespace per machine, named after this process so parallel runs never meet."""

    def __init__(self):
        tag = os.getpid() % 100000
        self.bridge = f"llbr{tag}"
        self.namespaces = {name: f"lifeline-lan-{name}-{tag}" for name in MACHINES}
        self.folder = tempfile.mkdtemp(prefix="lifeline-lan-")
        self.sshd = {}
        run("ip", "link", "add", self.bridge, "type", "bridge")
        run("ip", "addr", "add", f"{BRIDGE_ADDRESS}/24", "dev", self.bridge)
        run("ip", "link", "set", self.bridge, "up")
        for name, address in MACHINES.items():
            namespace = self.namespaces[name]
            outside, inside = f"llv{name}{tag}", f"llp{name}{tag}"
            run("ip", "netns", "add", namespace)
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            run("ip", "link", "set", inside, "netns", namespace)
            run("ip", "link", "set", outside, "master", self.bridge)
            run("ip", "link", "set", outside, "up")
            run("ip", "-n", namespace, "addr", "add", f"{address}/24", "dev", inside)
            run("ip", "-n", namespace, "link", "set", inside, "up")
            run("ip", "-n", namespace, "link", "set", "lo", "up")
            run("ip", "-n", namespace, "route", "add", "default", "via", BRIDGE_ADDRESS)
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        for name in WITH_SSH:
            self.start_sshd(name)
        self.avahi = [self.start_avahi(name, host, f"llp{name}{tag}") for name, host in ANNOUNCED.items()]

    def start_avahi(self, name, host, interface):
        """Avahi in the machine's namespace, without D-Bus, publishing its workstation service."""
        folder = Path(self.folder) / name
        folder.mkdir(exist_ok=True)
        config = folder / "avahi-daemon.conf"
        config.write_text(f"""[server]
host-name={host}
domain-name=local
use-ipv4=yes
use-ipv6=no
enable-dbus=no
allow-interfaces={interface}
[publish]
publish-workstation=yes
publish-addresses=yes
""")
        log = folder / "avahi.log"
        # Its pid file in a folder of its own (ip netns exec gives it a mount namespace): a system
        # Avahi running on this computer is neither met nor mistaken for this one.
        os.makedirs("/run/avahi-daemon", exist_ok=True)
        start = f"mount -t tmpfs tmpfs /run/avahi-daemon && exec avahi-daemon -f {config} --no-drop-root --no-chroot --no-rlimits"
        process = subprocess.Popen(["ip", "netns", "exec", self.namespaces[name], "sh", "-c", start],
                                   stdout=open(log, "ab"), stderr=subprocess.STDOUT)
        wait_until(lambda: b"Server startup complete" in log.read_bytes() or process.poll() is not None, what=f"avahi on machine {name}")
        assert process.poll() is None, log.read_text()
        return process

    def start_sshd(self, name, new_key=False):
        folder = Path(self.folder) / name
        folder.mkdir(exist_ok=True)
        key = folder / "host_key"
        if new_key or not key.exists():
            for old in [key, folder / "host_key.pub"]:
                old.unlink(missing_ok=True)
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key))
        config = folder / "sshd_config"
        config.write_text(f"""Port 22
ListenAddress {MACHINES[name]}
HostKey {key}
PidFile {folder}/sshd.pid
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
AllowUsers {MACHINE_USER}
LogLevel VERBOSE
""")
        log = folder / "sshd.log"
        before = log.stat().st_size if log.exists() else 0
        process = subprocess.Popen(["ip", "netns", "exec", self.namespaces[name], "/usr/sbin/sshd", "-D", "-e", "-f", str(config)],
                                   stdout=open(log, "ab"), stderr=subprocess.STDOUT)
        self.sshd[name] = process
        # This start's own line: a restarted server appends to the same log.
        wait_until(lambda: b"Server listening" in log.read_bytes()[before:] or process.poll() is not None,
                   what=f"sshd on machine {name}")
        assert process.poll() is None, (folder / "sshd.log").read_text()

    def stop_sshd(self, name):
        process = self.sshd.pop(name)
        process.terminate()
        process.wait(timeout=10)

    def close(self):
        for name in list(self.sshd):
            self.stop_sshd(name)
        for process in self.avahi:
            process.terminate()
            process.wait(timeout=10)
        for namespace in self.namespaces.values():
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
        if os.environ.get("KEEPDBG"):
            return
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def network():
    net = Network()
    yield net
    net.close()


@pytest.fixture(scope="module")
def machine_account():
    """The account on every machine (they share this computer's files): a password, a home, and an
    X display of its own, as a signed-in user's desktop."""
    if subprocess.run(["id", MACHINE_USER], capture_output=True).returncode != 0:
        run("useradd", "--no-create-home", "--shell", "/bin/sh", MACHINE_USER)
    stop_everything_of(MACHINE_USER)
    home = tempfile.mkdtemp(prefix="lifeline-lanuser-home-")
    os.chmod(home, 0o755)
    run("usermod", "--home", home, MACHINE_USER)
    account = pwd.getpwnam(MACHINE_USER)
    os.chown(home, account.pw_uid, account.pw_gid)
    run("chpasswd", input=f"{MACHINE_USER}:{PASSWORD}\n")
    display = next(n for n in range(140, 200) if not os.path.exists(f"/tmp/.X11-unix/X{n}") and not os.path.exists(f"/tmp/.X{n}-lock"))
    # Its working folder is its home: the clone may sit where other users cannot enter.
    xvfb = subprocess.Popen(["runuser", "-u", MACHINE_USER, "--", "Xvfb", f":{display}", "-nolisten", "tcp", "-screen", "0", "1024x768x24"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=home)
    wait_until(lambda: os.path.exists(f"/tmp/.X11-unix/X{display}"), what="the user's X display")
    yield home, display
    xvfb.terminate()
    xvfb.wait(timeout=10)
    stop_everything_of(MACHINE_USER)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def lan_gateway(network):
    """A gateway the machines reach: it listens on the bridge's address."""
    data_dir = tempfile.mkdtemp(prefix="lifeline-e2e-lan-")
    gateway = Gateway(data_dir, free_port(), host=BRIDGE_ADDRESS)
    gateway.start()
    yield gateway
    gateway.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def connector(lan_gateway, applets_for_module):
    """A computer whose customer approved unattended access; its agent runs; the administrator
    makes it a LAN connector for the machines' subnet."""
    account = customer_account(CONNECTOR_USER)
    home, binary = next(account)
    try:
        computer_id, applet, token = approve(lan_gateway, applets_for_module, home, binary, "Connector", rules=ANY_HOUR, user=CONNECTOR_USER)
        applet.kill()
        wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(lan_gateway, token)), what="the connector online")
        yield computer_id, token, home
    finally:
        next(account, None)


def machine_processes():
    lines = subprocess.run(["ps", "-ww", "-u", MACHINE_USER, "-o", "pid=,args="], capture_output=True, text=True).stdout.splitlines()
    return [line for line in lines if "lifeline-applet" in line and "--link" in line]


def error_of(gateway, method, path, body, token):
    status, answer = gateway.api(method, path, body, token=token, timeout=130)
    return status, answer["error"]["code"], answer["error"]["message"]


def test_an_administrator_makes_a_connector_and_only_technicians_allowed_use_it(lan_gateway, connector):
    computer_id, token, _ = connector
    gateway = lan_gateway
    # Not a connector yet: it lists nothing.
    assert error_of(gateway, "GET", f"computers/{computer_id}/lan/machines", None, token)[:2] == (409, "not_lan_connector")
    assert error_of(gateway, "PUT", f"computers/{computer_id}/lan-connector", {"subnets": ["10.0.0.0/8"]}, token)[:2] == (400, "bad_request")
    assert error_of(gateway, "PUT", f"computers/{computer_id}/lan-connector", {"subnets": ["10.231.7.9/29"]}, token)[:2] == (400, "bad_request")
    gateway.api("PUT", f"computers/{computer_id}/lan-connector", {"subnets": [SUBNET]}, token=token, expect=204)
    name = next(c["name"] for c in computers(gateway, token) if c["id"] == computer_id)
    assert gateway.api("GET", "lan-connectors", token=token, expect=200)[1] == [
        {"id": computer_id, "name": name, "online": True, "subnets": [SUBNET]}]

    # A technician without lan_connection is refused; one with it but no administrator cannot make connectors.
    without = technician_with(gateway, ["chat"], "nolan@example.com", "No LAN")
    assert error_of(gateway, "GET", "lan-connectors", None, without)[:2] == (403, "permission_denied")
    assert error_of(gateway, "GET", f"computers/{computer_id}/lan/machines", None, without)[:2] == (403, "permission_denied")
    assert error_of(gateway, "POST", f"computers/{computer_id}/lan/connect",
                    {"address": MACHINES["a"], "username": MACHINE_USER, "password": PASSWORD}, without)[:2] == (403, "permission_denied")
    lan_only = technician_with(gateway, ["lan_connection"], "lan@example.com", "LAN tech")
    assert error_of(gateway, "PUT", f"computers/{computer_id}/lan-connector", {"subnets": [SUBNET]}, lan_only)[:2] == (403, "administrators_only")
    assert error_of(gateway, "POST", f"computers/{computer_id}/lan/connect",
                    {"address": "10.231.7.40", "username": MACHINE_USER, "password": PASSWORD}, lan_only)[:2] == (400, "bad_request")
    audit = gateway.api("GET", "admin/audit", token=token, expect=200)[1]
    assert any(e["action"] == "lan_connector_changed" and e["objectId"] == computer_id for e in audit)


def test_the_connector_lists_its_network_and_starts_the_applet_on_a_machine(lan_gateway, connector, network, machine_account):
    computer_id, token, connector_home = connector
    gateway = lan_gateway
    machine_home, display = machine_account
    gateway.api("PUT", f"computers/{computer_id}/lan-connector", {"subnets": [SUBNET]}, token=token, expect=204)

    listing = gateway.api("GET", f"computers/{computer_id}/lan/machines", token=token, expect=200, timeout=50)[1]
    machines = {m["address"]: m for m in listing}
    for name in WITH_SSH:
        assert machines[MACHINES[name]]["ssh"] is True, machines
    assert machines[MACHINES["d"]]["ssh"] is False and machines[MACHINES["d"]]["neighbour"], machines
    # No resolver knows these machines; d says its own name over mDNS.
    assert machines[MACHINES["d"]]["name"] == "lanmachine-d" and machines[MACHINES["a"]].get("name") is None, machines
    # Neighbours outside the allowed subnet are listed, never probed.
    outside = [m for address, m in machines.items() if not 8 < int(address.split(".")[3]) < 15 or not address.startswith("10.231.7.")]
    assert all(m.get("ssh") is None and m["neighbour"] for m in outside), outside

    # Connect to machine a: the applet is copied, started on the user's display, and joins.
    connection = gateway.api("POST", f"computers/{computer_id}/lan/connect",
                             {"address": MACHINES["a"], "username": MACHINE_USER, "password": PASSWORD}, token=token, expect=201,
                             timeout=130)[1]
    host_key = run("ssh-keygen", "-l", "-f", f"{network.folder}/a/host_key.pub").stdout.split()[1]
    assert connection["hostKey"] == host_key and connection["hostKeyPinnedNow"] is True
    session_id = connection["sessionId"]
    gateway.wait_for_state(session_id, "waiting", token, timeout=30)
    copy = Path(machine_home) / ".cache/lifeline/lifeline-applet"
    assert copy.exists() and oct(copy.stat().st_mode & 0o777) == "0o700"
    started = machine_processes()
    assert started, "the applet runs as the machine's user"
    pid = started[0].split()[0]
    environment = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    assert f"DISPLAY=:{display}".encode() in environment, "on the user's own desktop"
    gateway.api("POST", f"sessions/{session_id}/start", token=token, expect=200)
    texts = [e["text"] for e in gateway.api("GET", f"sessions/{session_id}/log", token=token, expect=200)[1]]
    assert any("through a LAN connector" in t and host_key in t for t in texts), texts
    audit = gateway.api("GET", "admin/audit", token=token, expect=200)[1]
    assert any(e["action"] == "lan_connected" and e["objectId"] == computer_id for e in audit)
    gateway.api("POST", f"sessions/{session_id}/end", token=token, expect=200)

    # Machine b: the same applet is there already (one home), so nothing is copied; its key is pinned too.
    before = copy.stat().st_mtime_ns
    second = gateway.api("POST", f"computers/{computer_id}/lan/connect",
                         {"address": MACHINES["b"], "username": MACHINE_USER, "password": PASSWORD}, token=token, expect=201,
                         timeout=130)[1]
    assert second["hostKeyPinnedNow"] is True and copy.stat().st_mtime_ns == before
    gateway.wait_for_state(second["sessionId"], "waiting", token, timeout=30)
    gateway.api("POST", f"sessions/{second['sessionId']}/end", token=token, expect=200)

    # The password is in no file: the gateway's database and log, the connector's, the machine's.
    for folder in [gateway.data_dir, connector_home, machine_home]:
        for root, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    assert PASSWORD.encode() not in open(path, "rb").read(), f"the password is in {path}"


def test_a_wrong_password_a_changed_host_key_and_a_machine_without_ssh_are_told_apart(lan_gateway, connector, network, machine_account):
    computer_id, token, connector_home = connector
    gateway = lan_gateway
    gateway.api("PUT", f"computers/{computer_id}/lan-connector", {"subnets": [SUBNET]}, token=token, expect=204)
    connect = f"computers/{computer_id}/lan/connect"

    status, code, message = error_of(gateway, "POST", connect, {"address": MACHINES["c"], "username": MACHINE_USER, "password": "wrong"}, token)
    assert (status, code) == (403, "credentials_refused") and "refused the user name or password" in message

    # The first good connection pins c's key; c is reinstalled (a new key): refused, both keys named.
    first = gateway.api("POST", connect, {"address": MACHINES["c"], "username": MACHINE_USER, "password": PASSWORD}, token=token,
                        expect=201, timeout=130)[1]
    gateway.api("POST", f"sessions/{first['sessionId']}/end", token=token, expect=200)
    network.stop_sshd("c")
    network.start_sshd("c", new_key=True)
    new_key = run("ssh-keygen", "-l", "-f", f"{network.folder}/c/host_key.pub").stdout.split()[1]
    status, code, message = error_of(gateway, "POST", connect, {"address": MACHINES["c"], "username": MACHINE_USER, "password": PASSWORD}, token)
    assert (status, code) == (409, "lan_host_key_changed"), message
    assert new_key in message and first["hostKey"] in message

    status, code, message = error_of(gateway, "POST", connect, {"address": MACHINES["d"], "username": MACHINE_USER, "password": PASSWORD}, token)
    assert (status, code) == (502, "lan_unreachable") and MACHINES["d"] in message, message

    # Each failed try ended its session, with the reason in its log.
    sessions = gateway.api("GET", "sessions", token=token, expect=200)[1]
    assert not [s for s in sessions if s["name"] in (MACHINES["c"], MACHINES["d"]) and s["state"] in ("connecting", "waiting")], sessions
    assert agents(CONNECTOR_USER), "the connector's agent is still running"


def test_in_the_console_make_a_connector_list_its_network_and_connect(lan_gateway, connector, network, machine_account, browser):
    """The technician's side in the browser: an administrator's LAN connector button, then
    Computers → LAN: list, filter, Connect with credentials; the new session is selected."""
    computer_id, token, _ = connector
    gateway = lan_gateway
    gateway.api("DELETE", f"computers/{computer_id}/lan-connector", token=token, expect=204)
    wait = sign_in(browser, gateway)
    browser.find_element(By.ID, "computers").click()
    row = f"#computers-rows tr[data-computer-id='{computer_id}']"
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, f"{row} button[data-action='lan-connector']"))
    browser.find_element(By.CSS_SELECTOR, f"{row} button[data-action='lan-connector']").click()
    prompt = browser.switch_to.alert
    assert "192.168.1.0/24" in prompt.text
    prompt.send_keys(SUBNET)
    prompt.accept()
    wait.until(lambda b: "is a LAN connector for 10.231.7.8/29" in b.find_element(By.ID, "computers-line").text)

    section = browser.find_element(By.ID, "lan-section")
    assert section.is_displayed()
    wait.until(lambda b: computer_id in [o.get_attribute("value") for o in b.find_elements(By.CSS_SELECTOR, "#lan-connector option")])
    browser.find_element(By.ID, "lan-list").click()
    wait.until(lambda b: "machines found" in b.find_element(By.ID, "lan-line").text)
    machine = f"#lan-rows tr[data-address='{MACHINES['b']}']"
    assert "answers" in text_of(browser, machine)
    assert "no answer" in text_of(browser, f"#lan-rows tr[data-address='{MACHINES['d']}']")
    browser.find_element(By.ID, "lan-filter").send_keys(MACHINES["b"])
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#lan-rows tr")) == 1)

    browser.find_element(By.CSS_SELECTOR, f"{machine} button[data-action='lan-connect']").click()
    assert MACHINES["b"] in browser.find_element(By.ID, "lan-target").text
    browser.find_element(By.ID, "lan-username").send_keys(MACHINE_USER)
    browser.find_element(By.ID, "lan-password").send_keys(PASSWORD)
    browser.find_element(By.ID, "lan-connect").click()
    # The field is emptied as the request leaves; the answer names the machine's key.
    assert browser.find_element(By.ID, "lan-password").get_attribute("value") == ""
    WebDriverWait(browser, 130).until(lambda b: "the session is in your queue" in b.find_element(By.ID, "lan-line").text)
    assert "SHA256:" in browser.find_element(By.ID, "lan-line").text
    browser.find_element(By.ID, "computers-close").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#session-list tr[aria-selected=\"true\"]")
               and MACHINES["b"] in text_of(b, "#session-list tr[aria-selected=\"true\"]"))
