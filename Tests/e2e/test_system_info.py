"""System information (L1, L2) with a real applet over a real console socket: the dashboard says
what this machine's /proc says, the processes list holds a process the test started, with its
command line, and the customer is told what was looked at; without the permission nothing is read."""
import grp
import os
import pwd
import signal
import subprocess
import sys
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import start_active_session, start_active_session_as, technician_with
from test_console_session import select_row, sign_in
from test_file_manager import Console


def view(console, name, **extra):
    request_id = uuid.uuid4().hex
    console.send({"type": "system_info_request", "sessionId": console.session_id, "requestId": request_id, "view": name, **extra})
    def answer(m):
        return (m["type"] == "system_info_reply" and m["requestId"] == request_id) or (
            m["type"] == "error" and m.get("sessionId") == console.session_id)
    message = console.next(answer)
    if message["type"] != "system_info_reply":
        return {"kind": "refused", "code": message["code"]}
    reply = message["reply"]
    # A long list comes in parts: `more` on every one but the last. The dashboard comes first
    # without its busiest processes (their CPU is being measured), then whole.
    while message.get("more"):
        message = console.next(answer)
        if reply["kind"] == "dashboard":
            assert reply["dashboard"]["topProcesses"] == [] and not message.get("more"), (reply, message)
            assert {key: value for key, value in message["reply"]["dashboard"].items() if key != "topProcesses"} == \
                {key: value for key, value in reply["dashboard"].items() if key != "topProcesses"}
            reply = message["reply"]
        elif reply["kind"] == "events":
            reply["events"]["entries"] += message["reply"]["events"]["entries"]
        else:
            reply[reply["kind"]] += message["reply"][reply["kind"]]
    return reply


def cpuinfo(key):
    for line in open("/proc/cpuinfo"):
        if line.startswith(key):
            return line.split(":", 1)[1].strip()
    return None


def kernel_modules():
    """What /sys/module says: loaded modules, and built-in ones that register drivers (a container
    may show none)."""
    def listed(name):
        drivers = f"/sys/module/{name}/drivers"
        return os.path.exists(f"/sys/module/{name}/initstate") or (os.path.isdir(drivers) and bool(os.listdir(drivers)))
    return sorted(name for name in os.listdir("/sys/module") if listed(name))


def test_the_dashboard_and_the_processes_are_this_machines(gateway_for_module, applets):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "System info")
    console = Console(gateway, token, session["id"])
    try:
        dashboard = view(console, "dashboard")
        assert dashboard["kind"] == "dashboard", dashboard
        board = dashboard["dashboard"]
        assert board["processor"]["model"] == cpuinfo("model name")
        assert board["processor"]["threads"] == os.cpu_count()
        total_kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal:")).split()[1])
        assert board["memory"]["total"] == total_kb * 1024
        assert board["system"]["kernel"] == os.uname().release and board["system"]["hostname"] == os.uname().nodename
        assert any(disk["mountPoint"] == "/" and 0 < disk["free"] <= disk["size"] for disk in board["disks"]), board["disks"]
        assert 1 <= len(board["topProcesses"]) <= 5
        applet.expect("SYSTEM_INFO dashboard")

        marker = f"lifeline-{uuid.uuid4().hex[:8]}"
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", marker])
        try:
            processes = view(console, "processes")
            assert processes["kind"] == "processes", processes
            mine = next(row for row in processes["processes"] if row["pid"] == sleeper.pid)
            assert mine["name"] == os.path.basename(sys.executable)[:15], mine
            assert mine["commandLine"] == f"{sys.executable} -c import time; time.sleep(300) {marker}", mine
            assert mine["memory"] > 0 and abs(mine["started"] - os.stat(f"/proc/{sleeper.pid}").st_mtime) < 120
            applet.expect("SYSTEM_INFO processes")
        finally:
            sleeper.kill()

        # The interactive user: the applet's account (this test's), with its primary group.
        user = view(console, "user")
        assert user["kind"] == "user", user
        # (As root the applet names the first other account signed in: the customer at the screen.)
        others = [line.split()[0] for line in subprocess.run(["who"], capture_output=True, text=True).stdout.splitlines()
                  if line.split() and line.split()[0] != "root"]
        account = pwd.getpwnam(others[0]) if os.getuid() == 0 and others else pwd.getpwuid(os.getuid())
        assert user["user"]["name"] == account.pw_name and user["user"]["home"] == account.pw_dir, user
        assert grp.getgrgid(account.pw_gid).gr_name in user["user"]["groups"]
        applet.expect("SYSTEM_INFO user")

        # The drivers: every loaded module and every built-in one with drivers, as /sys/module says.
        drivers = view(console, "drivers")
        assert drivers["kind"] == "drivers", drivers
        assert [module["name"] for module in drivers["drivers"]] == kernel_modules()
        applet.expect("SYSTEM_INFO drivers")
    finally:
        console.close()


def test_a_processes_list_longer_than_a_frame_arrives_whole(gateway_for_module, applets):
    """A desktop with a browser has dozens of processes with kilobytes of command line each: more
    than one 64 KiB frame. The list comes in parts and the console gets every row; a command line
    past 4 KiB is cut and marked; the applet stays connected."""
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Long processes")
    console = Console(gateway, token, session["id"])
    marker = uuid.uuid4().hex[:8]
    sleepers = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", f"long-{marker}-{index}",
                                  "x" * (10_000 if index == 0 else 3_000)]) for index in range(40)]
    try:
        processes = view(console, "processes")
        assert processes["kind"] == "processes", processes
        rows = {row["pid"]: row for row in processes["processes"]}
        assert all(sleeper.pid in rows for sleeper in sleepers), [s.pid for s in sleepers if s.pid not in rows]
        assert rows[sleepers[1].pid]["commandLine"].endswith(f"long-{marker}-1 " + "x" * 3_000)
        cut = rows[sleepers[0].pid]["commandLine"]
        assert cut.endswith("…") and len(cut.encode()) <= 4096 and f"long-{marker}-0" in cut
        assert len(rows) == len(processes["processes"]), "a row came twice"
        assert view(console, "user")["kind"] == "user", "the applet's socket was closed"
    finally:
        for sleeper in sleepers:
            sleeper.kill()
        console.close()


def act(console, action):
    request_id = uuid.uuid4().hex
    console.send({"type": "system_action_request", "sessionId": console.session_id, "requestId": request_id, "action": action})
    message = console.next(lambda m: (m["type"] == "system_action_reply" and m["requestId"] == request_id)
                           or (m["type"] == "error" and m.get("sessionId") == console.session_id), timeout=30)
    return message["result"] if message["type"] == "system_action_reply" else {"kind": "refused", "code": message["code"]}


def test_a_process_and_its_children_are_ended_logged_and_audited(gateway_for_module, applets):
    """The technician ends a process the test started (a shell with two children): SIGTERM ends
    all three; the customer is told, the session log and the audit log say so. A start time that
    is not the process's (its PID reused) is refused and nothing is signalled."""
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "End a process")
    console = Console(gateway, token, session["id"])
    tree = subprocess.Popen(["/bin/sh", "-c", "sleep 300 & sleep 300 & wait"])
    try:
        deadline = time.monotonic() + 10
        while len(children_of(tree.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        children = children_of(tree.pid)
        row = next(row for row in view(console, "processes")["processes"] if row["pid"] == tree.pid)

        assert act(console, {"kind": "end_process", "pid": tree.pid, "started": row["started"] - 3})["code"] == "process_gone"
        assert tree.poll() is None, "a stale start time must not signal anything"

        result = act(console, {"kind": "end_process", "pid": tree.pid, "started": row["started"]})
        assert result == {"kind": "process_ended", "pid": tree.pid, "name": "sh", "children": 2, "forced": False}, result
        assert tree.wait(timeout=10) == -signal.SIGTERM
        assert all(not alive(child) for child in children), children
        applet.expect(f"PROCESS_ENDED {tree.pid}", "children=2 forced=false")
        log = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
        assert f"Administrator ended sh (PID {tree.pid}) on the customer's computer (2 child processes with it)." in log, log
        audit = gateway.api("GET", "admin/audit", token=token)[1]
        assert any(entry["action"] == "customer_system_changed" and f'"pid":"{tree.pid}"' in (entry.get("after") or "").replace(" ", "")
                   for entry in audit), audit[:3]
    finally:
        tree.kill()
        console.close()


def children_of(pid):
    found = []
    for name in os.listdir("/proc"):
        try:
            if name.isdigit() and open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(int(name))
        except (OSError, IndexError):
            pass
    return found


def alive(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_installed_applications_are_dpkgs(gateway_for_module, applets):
    """L4: the Debian packages this machine has installed, as dpkg-query lists them."""
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Applications")
    console = Console(gateway, token, session["id"])
    try:
        reply = view(console, "applications")
        assert reply["kind"] == "applications", reply
        # test_uninstall.py installs and removes its own packages meanwhile (another worker): those are left out.
        transient = lambda name: name.startswith("lifeline-e2e-")  # noqa: E731
        packages = {app["name"]: app for app in reply["applications"] if app["source"] == "dpkg" and not transient(app["name"])}
        listed = subprocess.run(["dpkg-query", "-W", "-f", "${db:Status-Status} ${Package} ${Version}\n"], capture_output=True, text=True).stdout
        expected = {line.split()[1]: line.split()[2] for line in listed.splitlines() if line.startswith("installed ") and not transient(line.split()[1])}
        assert {name: app["version"] for name, app in packages.items()} == expected
        assert packages["dpkg"]["size"] > 0 and packages["dpkg"]["installed"] > 0 and packages["dpkg"]["summary"]
        applet.expect("SYSTEM_INFO applications")
    finally:
        console.close()


def test_without_the_permission_nothing_is_read(gateway_for_module, applets):
    gateway = gateway_for_module
    nia = technician_with(gateway, ["start_private_sessions", "connect_by_pin"], "nosys@e2e.test", "Nia")
    session, applet = start_active_session_as(nia, gateway, applets, "Refused")
    console = Console(gateway, nia, session["id"])
    try:
        assert view(console, "processes") == {"kind": "refused", "code": "permission_denied"}
        assert view(console, "dashboard") == {"kind": "refused", "code": "permission_denied"}
        assert act(console, {"kind": "end_process", "pid": os.getpid(), "started": 1.0}) == {"kind": "refused", "code": "permission_denied"}
    finally:
        console.close()
    assert not any(line.startswith(("SYSTEM_INFO", "PROCESS_ENDED")) for line in applet.seen), applet.seen


def test_the_console_tab_shows_the_dashboard_and_sorts_the_processes(gateway_for_module, applets, browser):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "System info tab")
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-system"))).click()
    view = browser.find_element(By.ID, "system-view")
    assert "Request information" in view.text or "Nothing read yet" in view.text

    # The dashboard: this machine's processor and disks, as its /proc says.
    browser.find_element(By.ID, "system-request").click()
    wait.until(lambda b: "Processor" in b.find_element(By.ID, "system-view").text)
    # Drawn at once, the busiest processes follow their CPU sample.
    wait.until(lambda b: "Read at" in b.find_element(By.ID, "system-status").text)
    text = browser.find_element(By.ID, "system-view").text
    assert cpuinfo("model name") in text and os.uname().nodename in text, text
    assert "Measuring CPU use" not in text and len(browser.find_elements(By.CSS_SELECTOR, "#system-view section")) >= 5
    assert browser.find_element(By.ID, "system-csv").is_displayed()
    applet.expect("SYSTEM_INFO dashboard")

    # The processes: a process the test started is a row; sorting by PID puts the largest first.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "system-info-tab"])
    try:
        browser.find_element(By.CSS_SELECTOR, "#panel-system [data-view='processes']").click()
        browser.find_element(By.ID, "system-request").click()
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, f"#system-view tr[data-pid='{sleeper.pid}']"))
        row = browser.find_element(By.CSS_SELECTOR, f"#system-view tr[data-pid='{sleeper.pid}']")
        assert "system-info-tab" in row.text
        browser.find_element(By.CSS_SELECTOR, "#system-view [data-sort='pid']").click()
        pids = [int(cell.text) for cell in browser.find_elements(By.CSS_SELECTOR, "#system-view tbody tr td:nth-child(2)")]
        assert pids == sorted(pids, reverse=True) and len(pids) > 3, pids[:10]
        header = browser.find_element(By.CSS_SELECTOR, "#system-view th[aria-sort='descending'] [data-sort='pid']")
        assert header.text == "PID"
        # Ending it: chosen in the list, confirmed, gone from the list, and really ended.
        assert not browser.find_element(By.ID, "system-end").is_enabled()
        browser.find_element(By.CSS_SELECTOR, f"#system-view tr[data-pid='{sleeper.pid}']").click()
        browser.find_element(By.ID, "system-end").click()
        alert = wait.until(EC.alert_is_present())
        assert f"PID {sleeper.pid}" in alert.text, alert.text
        alert.accept()
        wait.until(lambda b: f"(PID {sleeper.pid}) ended" in b.find_element(By.ID, "system-status").text)
        assert not browser.find_elements(By.CSS_SELECTOR, f"#system-view tr[data-pid='{sleeper.pid}']")
        assert sleeper.wait(timeout=10) == -signal.SIGTERM
        # The interactive user's account and groups.
        browser.find_element(By.CSS_SELECTOR, "#panel-system [data-view='user']").click()
        browser.find_element(By.ID, "system-request").click()
        wait.until(lambda b: "Groups" in b.find_element(By.ID, "system-view").text)
        assert "Groups" in browser.find_element(By.ID, "system-view").text and "Sign-ins" in browser.find_element(By.ID, "system-view").text
        # The drivers: one row per module, as many as the view says.
        browser.find_element(By.CSS_SELECTOR, "#panel-system [data-view='drivers']").click()
        browser.find_element(By.ID, "system-request").click()
        wait.until(lambda b: "modules" in b.find_element(By.ID, "system-view").text)
        count = int(browser.find_element(By.CSS_SELECTOR, "#system-view p").text.split()[0])
        assert count == len(browser.find_elements(By.CSS_SELECTOR, "#system-view tbody tr")) == len(kernel_modules())
        # The dashboard read before is still there when its view is chosen again.
        browser.find_element(By.CSS_SELECTOR, "#panel-system [data-view='dashboard']").click()
        assert cpuinfo("model name") in browser.find_element(By.ID, "system-view").text
    finally:
        sleeper.kill()


def test_the_whole_system_information_is_saved_as_a_report_with_the_sessions_files(gateway_for_module, applets, browser):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "System report")
    marker = f"report-{uuid.uuid4().hex[:8]}"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", marker])
    try:
        wait = sign_in(browser, gateway)
        select_row(browser, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "tool-system"))).click()
        wait.until(EC.element_to_be_clickable((By.ID, "system-report"))).click()
        wait.until(lambda b: "is with the session's files" in b.find_element(By.ID, "system-report-status").text)
    finally:
        sleeper.kill()
    # Attached to the session: one of the files from the customer's computer, downloadable.
    files = gateway.api("GET", f"sessions/{session['id']}/files", token=token, expect=200)[1]
    [report] = [file for file in files if file["name"].startswith("system-report-")]
    assert report["direction"] == "from_customer" and report["phase"] == "done" and report["name"].endswith(".html")
    page = gateway.api("GET", f"sessions/{session['id']}/files/{report['id']}", token=token, expect=200, raw=True)[1]
    assert gateway.last_headers["Content-Disposition"].startswith("attachment")
    # Every view is in it, with this machine's values; nothing in it runs.
    for heading in ["Dashboard", "Processes", "Services", "Startup", "Applications", "Interactive user", "Drivers", "Events"]:
        assert f"<h2>{heading}</h2>" in page, heading
    assert cpuinfo("model name") in page and marker in page and os.uname().nodename in page
    assert "<script" not in page.lower()
    texts = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
    assert any(text.startswith(f"Administrator saved the customer's system information as {report['name']}") for text in texts), texts


def test_the_interactive_user_lists_the_sudo_rules_that_apply_to_it(gateway_for_module, applets):
    """As root (the elevated applet; CI runs as root) the applet reads /etc/sudoers and what it
    includes, and lists the rules naming the account; without root it says they need it."""
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Sudo rules")
    console = Console(gateway, token, session["id"])
    rule_file = f"/etc/sudoers.d/lifeline-e2e-{uuid.uuid4().hex[:8]}"
    try:
        if os.getuid() != 0 or not os.path.isdir("/etc/sudoers.d"):
            assert view(console, "user")["user"].get("sudoRules") is None
            return
        first = view(console, "user")["user"]
        rule = f"{first['name']} ALL = (root) NOPASSWD: /usr/bin/true"
        with open(rule_file, "w") as file:
            file.write(f"# written by the Lifeline tests\n{rule}\n")
        os.chmod(rule_file, 0o440)
        rules = view(console, "user")["user"]["sudoRules"]
        assert rule in rules, rules
    finally:
        if os.path.exists(rule_file):
            os.remove(rule_file)
        console.close()
