"""A release gateway for a benchmark run: started on loopback with a fresh data folder and an
administrator, its JSON API, and stopped (its data removed) when the run ends."""
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

EMAIL, PASSWORD = "bench@lifeline.test", "benchmark password 1"


class Gateway:
    def __init__(self, bin_dir, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.data = tempfile.mkdtemp(prefix="lifeline-bench-data-")
        env = {**os.environ, "LIFELINE_ADMIN_EMAIL": EMAIL, "LIFELINE_ADMIN_PASSWORD": PASSWORD}
        self.process = subprocess.Popen([f"{bin_dir}/lifeline-server", "--host", "127.0.0.1", "--port", str(port), "--data-dir", self.data],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.api("GET", "health")
                break
            except OSError:
                time.sleep(0.1)
        self.token = self.api("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})["token"]

    def api(self, method, path, body=None, token=None):
        token = token or getattr(self, "token", None)
        request = urllib.request.Request(f"{self.url}/api/v1/{path}", method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def stop(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.data, ignore_errors=True)


@contextlib.contextmanager
def gateway(bin_dir, port):
    running = Gateway(bin_dir, port)
    try:
        yield running
    finally:
        running.stop()
