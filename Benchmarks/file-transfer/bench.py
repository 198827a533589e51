"""File transfer through the gateway (D4), timed from the technician's upload to the applet's
FILE_SAVED, next to scp of the same file on loopback. Usage:
    python3 bench.py <bin dir> <size in MiB>
Prints one line per run: the tool, the bytes, the seconds, MB/s."""
import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from gateway import gateway  # noqa: E402

BIN, MIB = sys.argv[1], int(sys.argv[2])
PORT = 8791


def lifeline(path, size):
    with gateway(BIN, PORT) as running:
        api, token = running.api, running.token
        api("PUT", "admin/settings", {"maxFileMegabytes": 102400}, token)
        session = api("POST", "sessions", {"name": "Bench", "method": "pin"}, token)
        applet = subprocess.Popen([f"{BIN}/lifeline-applet", "--gateway", f"http://127.0.0.1:{PORT}", "--pin", session["pin"],
                                   "--non-interactive"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        lines = []

        def read():
            for line in applet.stdout:
                lines.append(line.strip())
        threading.Thread(target=read, daemon=True).start()

        def wait_for(prefix, timeout=600):
            deadline = time.time() + timeout
            while time.time() < deadline:
                for line in lines:
                    if line.startswith(prefix):
                        return line
                time.sleep(0.005)
            raise SystemExit(f"no {prefix}: {lines}")
        wait_for("WELCOME")
        api("POST", f"sessions/{session['id']}/start", None, token)
        folder = tempfile.mkdtemp(prefix="lifeline-bench-out-")
        offer = api("POST", f"sessions/{session['id']}/files", {"name": "payload.bin", "size": size}, token)
        wait_for("FILE_OFFER")
        started = time.time()
        applet.stdin.write(f"/save {folder}\n")
        applet.stdin.flush()
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        for _ in range(200):  # the upload may start once the applet said yes
            probe = api("GET", f"sessions/{session['id']}/files", None, token)
            if probe[-1]["phase"] == "sending":
                break
            time.sleep(0.005)
        with open(path, "rb") as body:
            connection.request("PUT", f"/api/v1/sessions/{session['id']}/files/{offer['id']}/content", body=body,
                               headers={"Authorization": f"Bearer {token}", "Content-Length": str(size),
                                        "Content-Type": "application/octet-stream"})
            connection.getresponse().read()
        saved = wait_for("FILE_SAVED")
        elapsed = time.time() - started
        applet.kill()
        shutil.rmtree(folder, ignore_errors=True)
        return elapsed, saved


def main():
    size = MIB * 1024 * 1024
    source = os.path.join(tempfile.mkdtemp(prefix="lifeline-bench-src-"), "payload.bin")
    with open(source, "wb") as file:
        for _ in range(MIB):
            file.write(os.urandom(1024 * 1024))
    elapsed, saved = lifeline(source, size)
    print(f"lifeline  {size} bytes  {elapsed:.2f} s  {size / elapsed / 1e6:.0f} MB/s   ({saved.split()[-1]})")
    target = tempfile.mkdtemp(prefix="lifeline-bench-scp-")
    if os.environ.get("SCP_OPTIONS"):
        started = time.time()
        subprocess.run(["scp", "-q", *os.environ["SCP_OPTIONS"].split(), source, f"127.0.0.1:{target}/"], check=True)
        elapsed = time.time() - started
        copied = hashlib.md5(open(os.path.join(target, "payload.bin"), "rb").read()).hexdigest()
        print(f"scp       {size} bytes  {elapsed:.2f} s  {size / elapsed / 1e6:.0f} MB/s   (md5={copied})")
    shutil.rmtree(target, ignore_errors=True)
    os.remove(source)


main()
