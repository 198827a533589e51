"""A network partition (issue 20): the node serving a session loses the database but not its
clients. Node A runs in a network namespace of its own, joined to this machine by two veth pairs —
one its clients and node B use, one to PostgreSQL — and the test cuts the second. A stops serving
before its lease could be taken (it fences itself), says it is not ready, the real applet comes back
through HAProxy to node B, which serves the session from the database, and no chat line is lost;
when the link comes back, A serves again and takes nothing back."""
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, Gateway, free_port
from test_cluster import start_balancer
from test_unattended import wait_until

pytestmark = [pytest.mark.changes_network,
              pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("haproxy"),
                                 reason="needs root, iproute2 and HAProxy to build the partitioned network")]

CLIENTS = ("10.251.0.1", "10.251.0.2")  # this machine, node A: clients and node B reach A here
DATABASE = ("10.251.1.1", "10.251.1.2")  # this machine's PostgreSQL, node A: the link the test cuts


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True)


class PartitionedCluster:
    def __init__(self):
        tag = os.getpid() % 100000
        self.namespace = f"lifeline-part-{tag}"
        self.links = {"clients": f"lpc{tag}", "database": f"lpd{tag}"}
        self.folder = tempfile.mkdtemp(prefix="lifeline-partition-")
        run("ip", "netns", "add", self.namespace)
        for name, (outside_address, inside_address) in {"clients": CLIENTS, "database": DATABASE}.items():
            outside, inside = self.links[name], self.links[name] + "n"
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            run("ip", "link", "set", inside, "netns", self.namespace)
            run("ip", "addr", "add", f"{outside_address}/30", "dev", outside)
            run("ip", "link", "set", outside, "up")
            run("ip", "-n", self.namespace, "addr", "add", f"{inside_address}/30", "dev", inside)
            run("ip", "-n", self.namespace, "link", "set", inside, "up")
        run("ip", "-n", self.namespace, "link", "set", "lo", "up")
        self.database = subprocess.check_output([str(ROOT / "scripts/postgres-for-tests.sh"), "start"], text=True,
                                                env=dict(os.environ, LIFELINE_PG_LISTEN=DATABASE[0])).strip()
        port = self.database.split("@localhost:")[1].split("/")[0]
        public_port = free_port()
        public_url = f"http://127.0.0.1:{public_port}"
        a_port, b_port = free_port(), free_port()
        a_dir, b_dir = os.path.join(self.folder, "node-a"), os.path.join(self.folder, "node-b")
        os.makedirs(a_dir)
        os.makedirs(b_dir)
        self.a = Gateway(a_dir, a_port, host=CLIENTS[1], prefix=["ip", "netns", "exec", self.namespace], env={
            "LIFELINE_DATABASE_URL": f"postgres://postgres@{DATABASE[0]}:{port}/postgres",
            "LIFELINE_NODE_ADDRESS": f"http://{CLIENTS[1]}:{a_port}", "LIFELINE_PUBLIC_URL": public_url})
        self.a.start()
        shutil.copy(os.path.join(a_dir, "gateway-identity.key"), b_dir)
        self.b = Gateway(b_dir, b_port, host=CLIENTS[0], env={
            "LIFELINE_DATABASE_URL": self.database, "LIFELINE_NODE_ADDRESS": f"http://{CLIENTS[0]}:{b_port}",
            "LIFELINE_PUBLIC_URL": public_url})
        self.b.start()
        # Every connection goes to A while it is ready, to B otherwise.
        self.haproxy, self.balancer = start_balancer(self.folder, public_port, [self.a, self.b], "first")
        self.public_url = public_url

    def cut(self, up=False):
        run("ip", "link", "set", self.links["database"], "up" if up else "down")

    def holder(self, session_id):
        """The address of the node holding the session's lease, as the database has it."""
        return subprocess.check_output(["psql", self.database, "-Atc",
                                        "SELECT n.address FROM session_leases l JOIN gateway_nodes n ON n.id = l.node_id "
                                        f"WHERE l.session_id = '{session_id}'"], text=True).strip()

    def stop(self):
        self.haproxy.terminate()
        self.haproxy.wait(timeout=10)
        self.cut(up=True)
        for node in [self.a, self.b]:
            node.stop()
        subprocess.run([str(ROOT / "scripts/postgres-for-tests.sh"), "stop", self.database], check=False)
        subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)
        for link in self.links.values():
            subprocess.run(["ip", "link", "del", link], capture_output=True)
        if not os.environ.get("E2E_KEEP_CLUSTER"):
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def partitioned():
    running = PartitionedCluster()
    yield running
    running.stop()


def readiness(node):
    """The node's /health/ready status, or None while it does not answer in time."""
    try:
        with urllib.request.urlopen(f"{node.url}/health/ready", timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_the_serving_node_cut_from_the_database_fences_itself_and_the_session_moves_with_nothing_lost(partitioned, applets):
    a, b = partitioned.a, partitioned.b
    token = partitioned.balancer.login()
    created = partitioned.balancer.api("POST", "sessions", {"name": "Partitioned", "method": "pin"}, token=token, expect=201)[1]
    session_id = created["id"]
    applet = applets(partitioned.public_url, "--pin", created["pin"])
    applet.expect("WELCOME", "state=waiting")
    b.api("POST", f"sessions/{session_id}/start", token=token, expect=200)
    applet.say("Before the cut")
    wait_until(lambda: any(e["text"] == "Before the cut" for e in b.api("GET", f"sessions/{session_id}/log", token=token)[1]),
               10, "the customer's line in the log")
    assert partitioned.holder(session_id) == a.url, "A serves the session (the balancer sends everything to A)"

    partitioned.cut()
    cut_at = time.time()
    # A cannot reach the database, its clients still reach it: it fences itself and is not ready.
    wait_until(lambda: readiness(a) == 503, 30, "A says it is not ready")
    applet.expect("RECONNECTING", timeout=30)
    wait_until(lambda: partitioned.holder(session_id) == b.url, 40, "B holds the session's lease")
    moved_after = time.time() - cut_at
    assert "stops serving its sessions" in open(a.log).read()
    assert b.api("GET", f"sessions/{session_id}", token=token, expect=200)[1]["state"] == "active"
    b.api("POST", f"sessions/{session_id}/messages", {"text": "Served by B now"}, token=token)
    applet.expect("CHAT", "Served by B now", timeout=20)
    applet.say("After the cut")
    wait_until(lambda: any(e["text"] == "After the cut" for e in b.api("GET", f"sessions/{session_id}/log", token=token)[1]),
               10, "the customer's line after the move in the log")
    assert moved_after < 40

    # The link comes back: A is ready again and takes nothing back; the log holds every line once.
    partitioned.cut(up=True)
    wait_until(lambda: readiness(a) == 200, 90, "A ready again")
    time.sleep(3)
    assert partitioned.holder(session_id) == b.url
    b.api("POST", f"sessions/{session_id}/messages", {"text": "Still B"}, token=token)
    applet.expect("CHAT", "Still B", timeout=20)
    texts = [e["text"] for e in b.api("GET", f"sessions/{session_id}/log", token=token)[1]]
    for line in ["Before the cut", "Served by B now", "After the cut", "Still B"]:
        assert texts.count(line) == 1, f"{line!r} in {texts}"
