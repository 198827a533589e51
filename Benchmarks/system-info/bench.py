"""System information (issue 18) as the technician waits for it: the time from the console's
request to the whole answer on its socket, through a release gateway and applet on loopback, for
each view — next to the command a Linux administrator would type for the same data, same machine,
same run. The services and startup views read a D-Bus daemon where python-dbusmock plays systemd
with 300 services (their peer is the same D-Bus call by busctl); the event viewer reads a journal
of 20,000 entries written into /run/log/journal (needs root). Usage (run.sh builds first):
    python3 bench.py <bin dir> [runs]
Prints one line per view: our median and 90th percentile, the peer's median, the ratio."""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import websocket

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from gateway import gateway  # noqa: E402

BIN = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 15
PORT = 8793
MOCK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "e2e", "systemd_mock.py")


def bus_with_services(folder, count=300):
    address = f"unix:path={folder}/bus"
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", f"--address={address}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    units = [[f"service{index:03d}.service", f"Benchmark service number {index}", "active" if index % 3 else "inactive",
              "running" if index % 3 else "dead", "enabled" if index % 2 else "disabled"] for index in range(count)]
    timers = [[f"timer{index}.timer", f"service{index:03d}.service", 1_764_800_000_000_000 + index, 1_764_900_000_000_000] for index in range(20)]
    mock = subprocess.Popen(["/usr/bin/python3", "-m", "dbusmock", "--system", "--template", MOCK, "-p", json.dumps({"units": units, "timers": timers})],
                            env={**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address}, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        probe = subprocess.run(["dbus-send", f"--bus={address}", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                                "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.systemd1"], capture_output=True, text=True)
        if "boolean true" in probe.stdout:
            break
        time.sleep(0.1)
    return address, [daemon, mock]


def planted_journal(entries=20_000):
    machine = open("/etc/machine-id").read().strip()
    folder = f"/run/log/journal/{machine}"
    os.makedirs(folder, exist_ok=True)
    path = f"{folder}/lifeline-bench.journal"
    now = int(time.time() * 1_000_000)
    with tempfile.NamedTemporaryFile("w", suffix=".export", delete=False) as export:
        for index in range(entries):
            export.write(f"__REALTIME_TIMESTAMP={now - (entries - index) * 100_000}\n__MONOTONIC_TIMESTAMP={1000 + index}\n"
                         f"_BOOT_ID=0123456789abcdef0123456789abcdef\n_MACHINE_ID={machine}\n_HOSTNAME=bench\n"
                         f"SYSLOG_IDENTIFIER={['kernel', 'sshd', 'editor'][index % 3]}\nPRIORITY={index % 7}\n"
                         f"{'_TRANSPORT=kernel' if index % 3 == 0 else 'SYSLOG_FACILITY=10' if index % 3 == 1 else '_UID=1000'}\n"
                         f"MESSAGE=benchmark entry {index} with a message of ordinary length for a log line\n\n")
    subprocess.run(["/lib/systemd/systemd-journal-remote", f"--output={path}", export.name], check=True, capture_output=True)
    os.unlink(export.name)
    return path


class Console:
    def __init__(self, port, token, session_id):
        self.session_id = session_id
        # websocket-client checks each text frame's UTF-8 in pure Python (about 20 ms for the
        # applications' 176 KB): that timed this script, not the product, whose console is a
        # browser doing it natively. Decoding the frame to text still fails on bad UTF-8.
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}/ws/console", header=[f"Authorization: Bearer {token}"], timeout=60,
                                                  skip_utf8_validation=True)

    def view(self, name, **extra):
        """Seconds from the request to the whole answer (every part), its bytes, its kind, and the
        seconds to its first part (the dashboard is drawn from its first, without its busiest processes)."""
        request_id = uuid.uuid4().hex
        start = time.perf_counter()
        self.socket.send(json.dumps({"v": 1, "type": "system_info_request", "sessionId": self.session_id, "requestId": request_id,
                                     "view": name, **extra}))
        size = 0
        first = None
        while True:
            text = self.socket.recv()
            message = json.loads(text)
            if message.get("requestId") != request_id:
                continue
            first = first or time.perf_counter() - start
            size += len(text)
            if message["type"] == "error":
                raise RuntimeError(message)
            if not message.get("more"):
                return time.perf_counter() - start, size, message["reply"]["kind"], first


RPM_QUERY = "; rpm --query --all --queryformat '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{SIZE}\\t%{INSTALLTIME}\\t%{SUMMARY}\\n'"


def rpm_database():
    """Where the applet finds rpm's database (Fedora's places, Debian's rpm's in the home), if anywhere."""
    if not shutil.which("rpm"):
        return None
    for folder in ["/usr/lib/sysimage/rpm", "/var/lib/rpm", os.path.expanduser("~/.rpmdb")]:
        if any(os.path.exists(os.path.join(folder, name)) for name in ["rpmdb.sqlite", "Packages.db", "Packages"]):
            return folder
    return None


def timed_command(command, env=None):
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def joined_applet(served, environment):
    """A new session with a fresh applet joined to it and started, and a console on it."""
    session = served.api("POST", "sessions", {"name": "Bench", "method": "pin"})
    applet = subprocess.Popen([f"{BIN}/lifeline-applet", "--gateway", served.url, "--pin", session["pin"], "--non-interactive"],
                              env=environment, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if served.api("GET", f"sessions/{session['id']}")["state"] == "waiting":
            break
        time.sleep(0.1)
    served.api("POST", f"sessions/{session['id']}/start")
    return applet, Console(PORT, served.token, session["id"])


def first_reads(served, environment, view, count=5):
    """The seconds of a view's first read by each of `count` fresh applets, one after the other."""
    seconds = []
    for _ in range(count):
        applet, console = joined_applet(served, environment)
        try:
            time.sleep(0.5)  # let it settle after joining, as a technician's click comes later
            seconds.append(console.view(view)[0])
        finally:
            applet.kill()
            applet.wait()
            console.socket.close()
    return seconds


def main():
    work = tempfile.mkdtemp(prefix="lifeline-sysinfo-bench-")
    address, bus_processes = bus_with_services(work)
    journal = planted_journal() if os.geteuid() == 0 else None
    applet = None
    try:
        with gateway(BIN, PORT) as served:
            environment = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
            applet, console = joined_applet(served, environment)
            busctl = ["busctl", f"--address={address}", "call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                      "org.freedesktop.systemd1.Manager"]
            # The dashboard's data: the system, processor, memory, disks, the five latest warnings
            # (from the planted journal as root) and systemd's timers (one ListUnits here; the
            # GetAll per timer that `systemctl list-timers` adds has no one-process peer, left out).
            system = (f"uname -a; cat /etc/os-release; lscpu; free -b; df -P; {' '.join(busctl)} ListUnits >/dev/null;"
                      + (" journalctl --no-pager -p warning -n 5 -o json;" if journal else ""))
            views = [
                ("dashboard", {}, ["sh", "-c", system + " ps -eo pid,pcpu,rss,comm --sort=-pcpu | head -6"],
                 "uname, os-release, lscpu, free, df, busctl ListUnits, journalctl -p warning -n 5, ps | head"),
                ("dashboard", {}, ["sh", "-c", system + " top -b -n 2 -d 0.1 -w 512 -o %CPU | awk 'NR > 1 && /^top -/ { second = 1 } second' | head -13"],
                 "the same with top -b -n 2 -d 0.1 (samples CPU over 100 ms as the dashboard does)"),
                ("processes", {}, ["top", "-b", "-n", "2", "-d", "0.25", "-w", "512"], "top -b -n 2 -d 0.25 (samples CPU as we do)"),
                ("processes", {}, ["ps", "-eo", "pid,user,pcpu,rss,lstart,args"], "ps -eo … (CPU since start, no sampling)"),
                ("services", {}, ["sh", "-c", f"{' '.join(busctl)} ListUnits; {' '.join(busctl)} ListUnitFiles"],
                 "busctl … ListUnits; ListUnitFiles (300 services; what systemctl list-units + list-unit-files ask)"),
                ("startup", {}, ["sh", "-c", f"cat /etc/xdg/autostart/* ~/.config/autostart/* 2>/dev/null; {' '.join(busctl)} ListUnits;"
                                             f" {' '.join(busctl)} ListUnitFiles"], "autostart files; busctl ListUnits; ListUnitFiles"),
                ("applications", {}, ["dpkg-query", "-W", "-f", "${Package}\t${Version}\t${Installed-Size}\t${binary:Summary}\n"],
                 "dpkg-query -W (name, version, size, summary)"),
                # The view's install dates too: each package's file list's time, as an administrator reads them;
                # and rpm's packages where rpm has a database (the view lists them too).
                ("applications", {}, ["sh", "-c", "dpkg-query -W -f '${Package}\t${Version}\t${Installed-Size}\t${binary:Summary}\n';"
                                                  " cd /var/lib/dpkg/info && stat -c '%n %Y' *.list" + (RPM_QUERY if rpm_database() else "")],
                 "the same and the file lists' times (stat -c '%n %Y' /var/lib/dpkg/info/*.list)"
                 + (", rpm -qa (rpm has a database here)" if rpm_database() else "") + ": the view's data"),
                ("user", {}, ["sh", "-c", "id; getent passwd $(id -un); who"], "id, getent passwd, who"),
                ("drivers", {}, ["sh", "-c", "cat /proc/modules; for m in /sys/module/*; do ls $m/drivers 2>/dev/null; done; true"],
                 "/proc/modules and each module's drivers (lsmod reads the first)"),
            ]
            if journal:
                views.append(("events", {"events": {"log": "security", "limit": 200}}, ["journalctl", "--no-pager", "-n", "200", "-o", "json"],
                              "journalctl -n 200 -o json (20,000 entries)"))
                views.append(("events", {"events": {"log": "security", "limit": 200, "text": "entry 19993"}},
                              ["journalctl", "--no-pager", "-o", "json", "-g", "entry 19993"], "journalctl -g (a word, whole journal)"))
            print(f"System information through a release gateway and applet, {RUNS} runs each (median, p90), against the usual command:")
            cold = {}  # the applications' first read by fresh applets: median of five
            for name, extra, command, peer in views:
                console.view(name, **extra)  # once before the runs timed
                ours = [console.view(name, **extra) for _ in range(RUNS)]
                seconds = sorted(result[0] for result in ours)
                theirs = statistics.median(timed_command(command) for _ in range(RUNS))
                median = statistics.median(seconds)
                print(f"  {name:10s} {median * 1000:7.1f} ms (p90 {seconds[int(len(seconds) * 0.9) - 1] * 1000:7.1f} ms, {ours[-1][1]:7d} bytes)"
                      f"  |  {peer}: {theirs * 1000:7.1f} ms  |  ratio {median / theirs:5.2f}×")
                if name == "dashboard" and "ps -eo" in command[-1]:
                    drawn = statistics.median(result[3] for result in ours)
                    print(f"  {'':10s} first drawn (all but the busiest processes): {drawn * 1000:7.1f} ms  |  ratio {drawn / theirs:5.2f}×")
                if name == "applications":
                    if "seconds" not in cold:
                        cold["seconds"] = sorted(first_reads(served, environment, name))
                    first = statistics.median(cold["seconds"])
                    print(f"  {'':10s} first read by a fresh applet (dpkg{' and rpm' if rpm_database() else ''} read, then kept until they change), median of"
                          f" {len(cold['seconds'])} applets: {first * 1000:7.1f} ms (all: {', '.join(f'{one * 1000:.1f}' for one in cold['seconds'])})"
                          f"  |  ratio {first / theirs:5.2f}×")
            console.socket.close()
    finally:
        if applet:
            applet.kill()
        for process in bus_processes:
            process.kill()
        if journal:
            os.unlink(journal)


if __name__ == "__main__":
    main()
