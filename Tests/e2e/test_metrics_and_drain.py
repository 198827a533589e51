"""Operating the real lifeline-server (issue 20, "operable"): JSON log lines, Prometheus metrics
with the token, the gateway as a node leasing its session, readiness, and the drain on SIGTERM —
not ready and no new session for drainSeconds while the session it holds goes on, then a clean
stop that gives the lease up."""
import json
import signal
import tempfile
import time
import urllib.error
import urllib.request

from conftest import Gateway, free_port

TOKEN = "metrics-token-e2e-5521"


def fetch(gateway, path, token=None):
    request = urllib.request.Request(f"{gateway.url}{path}", headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_json_logs_metrics_readiness_and_the_drain_on_sigterm(applets):
    gateway = Gateway(tempfile.mkdtemp(prefix="lifeline-ops-"), free_port(),
                      env={"LIFELINE_LOG_FORMAT": "json", "LIFELINE_METRICS_TOKEN": TOKEN, "LIFELINE_DRAIN_SECONDS": "4"}).start()
    try:
        token = gateway.login()
        session = gateway.api("POST", "sessions", {"name": "Ops", "method": "pin"}, token=token, expect=201)[1]
        applet = applets(gateway.url, "--pin", session["pin"])
        applet.expect("WELCOME")

        # Metrics: the token is required; with it, what is live and what the store and HTTP did.
        assert fetch(gateway, "/metrics")[0] == 401
        status, text = fetch(gateway, "/metrics", TOKEN)
        assert status == 200, text
        for line in ['lifeline_sessions{state="waiting"} 1.0', 'lifeline_sockets{kind="applet"} 1.0', "lifeline_draining 0.0"]:
            assert line in text, text
        assert 'lifeline_store_seconds_bucket{operation="query"' in text and 'lifeline_http_requests_total{route="/api/v1/sessions",method="POST",status="201"} 1' in text, text
        # The gateway is a node of its database and leases the session at its next heartbeat (2 s).
        deadline = time.time() + 10
        while "lifeline_session_leases 1.0" not in (text := fetch(gateway, "/metrics", TOKEN)[1]):
            assert time.time() < deadline, text
            time.sleep(0.2)
        assert "lifeline_cluster_nodes 1.0" in text, text
        assert fetch(gateway, "/health/ready")[0] == 200 and fetch(gateway, "/health/live")[0] == 200

        # SIGTERM: not ready at once and no new session, while this one goes on; closed after the drain.
        gateway.process.send_signal(signal.SIGTERM)
        deadline = time.time() + 3
        while fetch(gateway, "/health/ready")[0] != 503:
            assert time.time() < deadline, "still ready after SIGTERM"
            time.sleep(0.05)
        status, body = gateway.api("POST", "sessions", {"name": "Late", "method": "pin"}, token=token)
        assert status == 503 and body["error"]["code"] == "draining", body
        assert 'lifeline_draining 1.0' in fetch(gateway, "/metrics", TOKEN)[1]
        gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
        assert gateway.process.poll() is None, "still serving during the drain"
        gateway.process.wait(timeout=30)
        assert gateway.process.returncode == 0

        # Every line the gateway wrote is one JSON object, the drain said among them.
        lines = [line for line in gateway.log.read_text().splitlines() if line.strip()]
        entries = [json.loads(line) for line in lines]
        assert all({"time", "level", "label", "message"} <= set(entry) for entry in entries), lines[:5]
        assert any(entry["message"] == "Draining before stopping" and entry.get("drain.seconds") == "4" for entry in entries), lines
        # Its lease given up as it stopped: another gateway may take the session at once.
        assert any(entry["message"] == "Left the cluster" and entry.get("leases.released") == "1" for entry in entries), lines
    finally:
        gateway.stop()
