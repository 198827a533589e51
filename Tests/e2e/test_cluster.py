"""Three gateways on one PostgreSQL behind HAProxy (issue 20): real processes, a real load balancer
(round robin, no stickiness), a real applet and a real browser. The console and the applet land on
whichever node the balancer picks; the session is served where its customer is, every node's
consoles see it, a technician's request reaches the node serving it, and `kill -9` of that node
loses nothing: the applet comes back through the balancer to another node, which takes it over."""
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import websocket
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import BIN, ROOT, Gateway, free_port
from test_files import offer_from_browser
from test_console_session import row_status, select_row, sign_in, start_and_say
from test_remote_desktop import XTERM, typed_into_xterm, wait_for_colour


def start_balancer(folder, port, nodes, balance):
    """HAProxy in front of the nodes (TCP, each node checked by its readiness every half second);
    returns its process and a `Gateway` speaking the API through it, once it answers."""
    config_path = os.path.join(folder, "haproxy.cfg")
    servers = "\n".join(f"    server node-{index} {node.host}:{node.port}" for index, node in enumerate(nodes))
    with open(config_path, "w") as config:
        config.write(f"""global
    maxconn 4096
defaults
    mode tcp
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout check 1s
frontend support
    bind 127.0.0.1:{port}
    default_backend lifeline
backend lifeline
    balance {balance}
    option httpchk GET /health/ready
    http-check expect status 200
    default-server check inter 500ms fall 2 rise 2
{servers}
""")
    haproxy = subprocess.Popen(["haproxy", "-db", "-f", config_path],
                               stdout=open(os.path.join(folder, "haproxy.log"), "ab"), stderr=subprocess.STDOUT)
    # The balancer as clients see it: the same API, through whichever node it picks.
    balancer = Gateway(folder, port)
    deadline = time.time() + 20
    while True:
        try:
            balancer.api("GET", "health", expect=200, timeout=2)
            return haproxy, balancer
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


class Cluster:
    """PostgreSQL, three lifeline-server nodes and HAProxy in front of them, all on loopback."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="lifeline-cluster-")
        self.database = subprocess.check_output([str(ROOT / "scripts/postgres-for-tests.sh"), "start"], text=True).strip()
        self.balancer_port = free_port()
        self.public_url = f"http://127.0.0.1:{self.balancer_port}"
        self.nodes = []
        for index in range(3):
            port = free_port()
            data_dir = os.path.join(self.folder, f"node-{index}")
            os.makedirs(data_dir)
            env = {"LIFELINE_DATABASE_URL": self.database, "LIFELINE_NODE_ADDRESS": f"http://127.0.0.1:{port}",
                   "LIFELINE_PUBLIC_URL": self.public_url}
            self.nodes.append(Gateway(data_dir, port, env=env))
        # The first node makes the organisation and the keys; the others share its keys (docs/operations.md).
        self.nodes[0].start()
        for node in self.nodes[1:]:
            for key in ["gateway-identity.key", "two-step.key"]:
                source = os.path.join(self.nodes[0].data_dir, key)
                if os.path.exists(source):
                    shutil.copy(source, os.path.join(node.data_dir, key))
            node.start()
        self.haproxy, self.balancer = start_balancer(self.folder, self.balancer_port, self.nodes, "roundrobin")

    def sql(self, query):
        return subprocess.check_output(["psql", self.database, "-Atc", query], text=True).strip()

    def node_serving(self, session_id):
        """The node holding the session's lease, by the address it registered."""
        address = self.sql("SELECT n.address FROM session_leases l JOIN gateway_nodes n ON n.id = l.node_id "
                           f"WHERE l.session_id = '{session_id}'")
        return next((node for node in self.nodes if address == f"http://127.0.0.1:{node.port}"), None)

    def stop(self):
        self.haproxy.terminate()
        self.haproxy.wait(timeout=10)
        for node in self.nodes:
            node.stop()
        subprocess.run([str(ROOT / "scripts/postgres-for-tests.sh"), "stop", self.database], check=False)
        if not os.environ.get("E2E_KEEP_CLUSTER"):
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    running = Cluster()
    yield running
    running.stop()


def api_through(cluster, *args, attempts=40, **kwargs):
    """An API call through the balancer, tried again while it still sends connections to a node that died."""
    for attempt in range(attempts):
        try:
            return cluster.balancer.api(*args, **kwargs)
        except (ConnectionError, OSError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)


def test_a_session_across_nodes_with_the_console_and_applet_wherever_the_balancer_sends_them(cluster, browser, applets):
    wait = sign_in(browser, cluster.balancer)
    browser.find_element(By.ID, "new-session").click()
    browser.find_element(By.ID, "new-session-name").send_keys("Across the cluster")
    browser.find_element(By.ID, "new-session-create").click()
    pin = wait.until(EC.visibility_of_element_located((By.ID, "new-session-pin"))).text
    browser.find_element(By.ID, "new-session-close").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#session-list tbody tr")))
    session_id = browser.execute_script("return document.querySelector('#session-list tbody tr').dataset.sessionId;")

    applet = applets(cluster.public_url, "--pin", pin)
    applet.expect("WELCOME", "state=waiting")
    wait.until(lambda b: row_status(b, session_id) == "Waiting")
    assert cluster.node_serving(session_id) is not None

    start_and_say(browser, wait, session_id, applet, "Hello from whichever node")
    applet.say("And back through the cluster")
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "And back through the cluster"))

    # Every node answers about it, whichever serves it.
    token = cluster.balancer.login()
    for node in cluster.nodes:
        status, session = node.api("GET", f"sessions/{session_id}", token=token)
        assert status == 200 and session["state"] == "active", f"node {node.port}: {status} {session}"

    # 50 MB from the console to the applet: the browser's upload and the applet's download each go
    # through whichever node the balancer picks and reach the node serving the session.
    folder = tempfile.mkdtemp(prefix="lifeline-cluster-files-")
    source = os.path.join(tempfile.mkdtemp(prefix="lifeline-cluster-source-"), "big update.bin")
    with open(source, "wb") as file:
        file.write(os.urandom(50 * 1024 * 1024))
    expected = hashlib.md5(open(source, "rb").read()).hexdigest()
    wait.until(EC.visibility_of_element_located((By.ID, "send-file")))
    offer_from_browser(browser, source)
    applet.expect("FILE_OFFER", 'name="big update.bin" size=52428800')
    applet.say(f"/save {folder}")
    saved = applet.expect("FILE_SAVED", timeout=120)
    assert f"md5={expected}" in saved
    assert hashlib.md5(open(os.path.join(folder, "big update.bin"), "rb").read()).hexdigest() == expected
    wait.until(EC.text_to_be_present_in_element((By.ID, "file-list"), f"done · MD5 {expected}"))

    # The customer's file back, read by the technician through each node.
    report = os.path.join(folder, "report.txt")
    with open(report, "w") as file:
        file.write("disk check: ok\n")
    applet.say(f"/send {report}")
    applet.expect("FILE_SENT")
    files = cluster.balancer.api("GET", f"sessions/{session_id}/files", token=token, expect=200)[1]
    report_id = next(file["id"] for file in files if file["name"] == "report.txt")
    for node in cluster.nodes:
        assert node.api("GET", f"sessions/{session_id}/files/{report_id}", token=token, raw=True) == (200, "disk check: ok\n")


def test_kill_9_of_the_serving_node_loses_nothing_and_it_comes_back_without_taking_sessions(cluster, applets):
    token = api_through(cluster, "POST", "auth/login", {"email": "admin@e2e.test", "password": "e2e admin password"}, expect=200)[1]["token"]
    created = api_through(cluster, "POST", "sessions", {"name": "Survives a node", "method": "pin"}, token=token, expect=201)[1]
    session_id = created["id"]
    applet = applets(cluster.public_url, "--pin", created["pin"])
    applet.expect("WELCOME", "state=waiting")
    api_through(cluster, "POST", f"sessions/{session_id}/start", token=token, expect=200)
    applet.expect("STATUS", "active")
    applet.say("Before the node dies")
    said = api_through(cluster, "POST", f"sessions/{session_id}/messages", {"text": "Technician before"}, token=token)
    assert said[0] in (200, 201), said
    applet.expect("CHAT", "Technician before")
    serving = cluster.node_serving(session_id)
    assert serving is not None
    deadline = time.time() + 10
    while "Before the node dies" not in [e["text"] for e in api_through(cluster, "GET", f"sessions/{session_id}/log", token=token)[1]]:
        assert time.time() < deadline, "the customer's line never reached the log"
        time.sleep(0.1)

    killed_at = time.time()
    serving.process.send_signal(signal.SIGKILL)
    serving.process.wait()
    # The applet comes back through the balancer to a live node, which serves the session again.
    deadline = killed_at + 30
    while True:
        status, session = api_through(cluster, "GET", f"sessions/{session_id}", token=token)
        if status == 200 and session["state"] == "active" and cluster.node_serving(session_id) not in (None, serving):
            break
        assert time.time() < deadline, f"the session never came back: {status} {session}"
        time.sleep(0.2)
    failover = time.time() - killed_at
    print(f"failover: {failover:.1f} s")
    assert failover <= 20, f"failover took {failover:.1f} s"

    applet.say("After the node died")
    api_through(cluster, "POST", f"sessions/{session_id}/messages", {"text": "Technician after"}, token=token)
    applet.expect("CHAT", "Technician after", timeout=15)
    deadline = time.time() + 10
    while True:
        texts = [e["text"] for e in api_through(cluster, "GET", f"sessions/{session_id}/log", token=token)[1]]
        if "After the node died" in texts:
            break
        assert time.time() < deadline, f"the log lost a line: {texts}"
        time.sleep(0.1)
    for line in ["Before the node dies", "Technician before", "Technician after"]:
        assert line in texts, f"{line!r} lost: {texts}"

    # The node comes back and joins without taking the session back.
    now_serving = cluster.node_serving(session_id)
    serving.start()
    time.sleep(3)
    assert cluster.node_serving(session_id) == now_serving
    api_through(cluster, "POST", f"sessions/{session_id}/messages", {"text": "Still here"}, token=token)
    applet.expect("CHAT", "Still here", timeout=15)


def test_a_channel_request_is_seen_on_every_node_and_taken_by_exactly_one(cluster, applets):
    admin = api_through(cluster, "POST", "auth/login", {"email": "admin@e2e.test", "password": "e2e admin password"}, expect=200)[1]["token"]
    group = api_through(cluster, "POST", "admin/groups", {"name": "Cluster desk", "permissions": ["channel_sessions", "chat"]},
                        token=admin, expect=201)[1]
    api_through(cluster, "PUT", "admin/settings", {"autoStartDefault": False}, token=admin, expect=200)
    technicians = []
    for index, node in enumerate(cluster.nodes):
        email, password = f"desk{index}@e2e.test", f"Desk password {index}"
        api_through(cluster, "POST", "admin/technicians", {"email": email, "name": f"Desk {index}", "password": password,
                                                          "groupId": group["id"]}, token=admin, expect=201)
        technicians.append((node, node.login(email, password)))
    # Each technician has a console open on a node of their own.
    consoles = [websocket.create_connection(f"ws://127.0.0.1:{node.port}/ws/console", header=[f"Authorization: Bearer {token}"],
                                            timeout=15) for node, token in technicians]
    for console in consoles:
        assert json.loads(console.recv())["type"] == "snapshot"
    channel = api_through(cluster, "POST", "admin/channels", {"name": "Cluster help", "groupIds": [group["id"]]}, token=admin, expect=201)[1]
    accepted = api_through(cluster, "POST", f"channels/{channel['link'].rstrip('/').rsplit('/', 1)[1]}/requests",
                           {"name": "Eve"}, expect=201)[1]
    session_id = accepted["sessionId"]
    applet = applets(cluster.public_url, "--link", accepted["link"])
    applet.expect("WELCOME", "state=waiting")

    # Every console, whichever node it is on, is told of the request waiting in its channel queue.
    for console in consoles:
        deadline = time.time() + 10
        while True:
            message = json.loads(console.recv())
            if message["type"] == "session" and message["session"]["id"] == session_id and message["session"]["state"] == "waiting":
                break
            assert time.time() < deadline, "a console was never told of the request"
    for node, token in technicians:
        assert session_id in [s["id"] for s in node.api("GET", "sessions?queue=channel", token=token)[1]], f"node {node.port}"

    # All three press Start at once, each on their own node: exactly one takes it.
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(lambda pair: pair[0].api("POST", f"sessions/{session_id}/start", token=pair[1]), technicians))
    statuses = [status for status, _ in answers]
    assert statuses.count(200) == 1, answers
    applet.expect("TECHNICIAN", 'technician="Desk')
    for console in consoles:
        console.close()


def consoles_on(node):
    """How many console sockets the node holds, from its own metrics (loopback may read them)."""
    with urllib.request.urlopen(f"{node.url}/metrics", timeout=5) as response:
        metrics = response.read().decode()
    match = re.search(r'^lifeline_sockets\{kind="console"\} (\d+)', metrics, re.MULTILINE)
    return int(match.group(1)) if match else 0


def test_remote_control_of_a_session_another_node_serves(cluster, browser, applets, x_server):
    wait = sign_in(browser, cluster.balancer)
    console_node = next(node for node in cluster.nodes if consoles_on(node) > 0)
    # The customer comes through another node than the technician's console: the desktop crosses nodes.
    customer_node = next(node for node in cluster.nodes if node is not console_node)
    token = customer_node.login()
    x_server.run("xsetroot", "-solid", "#00a000")
    x_server.run(*XTERM)
    session = customer_node.api("POST", "sessions", {"name": "Desktop across nodes", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(customer_node.url, "--pin", session["pin"], display=x_server.display, remote_consent="accept")
    applet.expect("WELCOME")
    customer_node.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    assert cluster.node_serving(session["id"]) is customer_node

    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
    applet.expect("REMOTE_STARTED", "mode=control")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
    wait_for_colour(wait, browser, 100, 100, lambda r, g, b: r > 150 and g < 60 and b < 60)
    wait_for_colour(wait, browser, 900, 700, lambda r, g, b: g > 120 and r < 60 and b < 60)

    assert typed_into_xterm(browser), "the keystrokes crossed the nodes to the customer's xterm"
    browser.find_element(By.ID, "remote-stop").click()
    applet.expect("REMOTE_ENDED")


def test_the_audit_chain_stays_one_chain_after_three_nodes_wrote_it(cluster):
    # Run last in the module: every test above had the three nodes append to the audit log at once.
    entries = cluster.sql("SELECT COUNT(*) FROM audit_log")
    assert int(entries) > 20
    verified = subprocess.run([str(BIN / "lifeline-server"), "audit", "verify", "--data-dir", cluster.nodes[0].data_dir,
                               "--database", cluster.database], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Audit log intact" in verified.stdout, verified.stdout
