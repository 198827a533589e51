"""From the PIN typed to the technician's console showing Waiting, the way a customer on a Linux
desktop goes (issue 16): the PIN page's check, the launcher's download, the launcher opened as a
desktop opens it (gio launch), the applet downloaded, checked and started, its window, Allow —
scripted with xdotool on Xvfb with openbox. Next to it, the terminal way (curl, chmod, the applet
with --non-interactive). Usage:
    python3 bench.py <gateway bin dir> <applet to offer> [runs]
Prints the applet's size, its size on the wire (the gzip copy beside it, when there), its SHA-256,
one line per run and the medians."""
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ["LIFELINE_BIN_DIR"] = str(Path(sys.argv[1]).resolve())
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))
import conftest  # noqa: E402  (the suites' gateway and X server helpers)
from test_applet_window import find_window, press  # noqa: E402

APPLET = Path(sys.argv[2]).resolve()
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 5


def windowed(gateway, desktop, token):
    session = gateway.api("POST", "sessions", {"name": "Bench", "method": "pin"}, token=token, expect=201)[1]
    home = tempfile.mkdtemp(prefix="lifeline-bench-")
    launcher = os.path.join(home, "lifeline-support.desktop")
    env = {**os.environ, "DISPLAY": desktop.display, "HOME": home, "XDG_CACHE_HOME": os.path.join(home, ".cache"), "LANG": "en_US.UTF-8"}
    env.pop("XDG_RUNTIME_DIR", None)
    started = time.time()
    gateway.api("POST", "customer/pin-check", {"pin": session["pin"]}, expect=200)  # the PIN typed, Continue
    with urllib.request.urlopen(f"{gateway.url}/download/lifeline-support.desktop?pin={session['pin']}", timeout=30) as response:
        Path(launcher).write_bytes(response.read())  # Start Lifeline
    subprocess.run(["gio", "launch", launcher], env=env, check=True, timeout=30, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    window = find_window(desktop, "Lifeline support", timeout=60)
    shown = time.time()
    press(desktop, window, "alt+a")
    gateway.wait_for_state(session["id"], "waiting", token, timeout=30)
    done = time.time()
    gateway.api("POST", f"sessions/{session['id']}/end", token=token, expect=200)
    time.sleep(0.5)
    press(desktop, window, "alt+c")
    return done - started, shown - started


def terminal(gateway, token):
    session = gateway.api("POST", "sessions", {"name": "Bench", "method": "pin"}, token=token, expect=201)[1]
    folder = tempfile.mkdtemp(prefix="lifeline-bench-")
    started = time.time()
    gateway.api("POST", "customer/pin-check", {"pin": session["pin"]}, expect=200)
    subprocess.run(["curl", "-fsSL", "--compressed", "-o", f"{folder}/lifeline-applet", f"{gateway.url}/download/lifeline-applet"], check=True)
    os.chmod(f"{folder}/lifeline-applet", 0o755)
    applet = subprocess.Popen([f"{folder}/lifeline-applet", "--gateway", gateway.url, "--pin", session["pin"], "--non-interactive"],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    gateway.wait_for_state(session["id"], "waiting", token, timeout=30)
    done = time.time()
    gateway.api("POST", f"sessions/{session['id']}/end", token=token, expect=200)
    applet.wait(timeout=15)
    return done - started


def main():
    data = APPLET.read_bytes()
    print(f"applet offered: {APPLET} — {len(data)} bytes ({len(data) / 1e6:.1f} MB), SHA-256 {hashlib.sha256(data).hexdigest()}")
    compressed = Path(str(APPLET) + ".gz")
    if compressed.exists():
        print(f"on the wire with gzip (browsers, curl --compressed, the launcher): {compressed.stat().st_size} bytes "
              f"({compressed.stat().st_size / 1e6:.1f} MB)")
    desktop = conftest.XServer()
    desktop.run("openbox")
    time.sleep(1)
    gateway = conftest.Gateway(tempfile.mkdtemp(prefix="lifeline-bench-"), conftest.free_port(), applet=APPLET).start()
    try:
        token = gateway.login()
        window_times, terminal_times = [], []
        for run in range(1, RUNS + 1):
            total, shown = windowed(gateway, desktop, token)
            window_times.append(total)
            plain = terminal(gateway, token)
            terminal_times.append(plain)
            print(f"run {run}: window path {total:.2f} s (window shown after {shown:.2f} s) · terminal path {plain:.2f} s")
        print(f"median: window path {statistics.median(window_times):.2f} s (max {max(window_times):.2f} s) · "
              f"terminal path {statistics.median(terminal_times):.2f} s; target < 5 s")
    finally:
        gateway.stop()
        desktop.stop()


if __name__ == "__main__":
    main()
