"""Scripts (N1, N2) with a real gateway, a real applet and real processes: a script of the library
runs on the customer's machine with its parameters passed as arguments (never through a shell),
its output streams to the console and its hashes reach the session log; the customer stops one
and the daemon it forked goes with it; a time limit ends another; a script whose hash does not
match is refused by the applet; 100 MB of output is read and hashed, not all sent; only one runs
at a time; without the permission nothing runs."""
import contextlib
import hashlib
import json
import os
import pathlib
import sqlite3
import subprocess
import time
import urllib.request
import uuid

from conftest import start_active_session, start_active_session_as, technician_with
from test_applet_window import desktop  # noqa: F401 (fixture)
from test_file_manager import Console


def add_script(gateway, token, content, name=None, parameters=(), time_limit=60, expect=201, **extra):
    body = {"name": name or f"Script {uuid.uuid4().hex[:6]}", "fileName": "run.sh", "content": content,
            "parameters": list(parameters), "timeLimitSeconds": time_limit, **extra}
    return gateway.api("POST", "scripts", body, token=token, expect=expect)[1]


def run(console, script_id, values=None, as_root=False):
    """Sends one run request; returns its script_started message or the error it got."""
    request_id = uuid.uuid4().hex
    console.send({"type": "script_run_request", "sessionId": console.session_id, "requestId": request_id, "scriptId": script_id,
                  "values": values or {}, "asRoot": as_root})
    return console.next(lambda m: (m["type"] == "script_started" and m.get("requestId") == request_id)
                        or (m["type"] == "error" and m.get("requestId") == request_id))


def outcome(console, run_id, timeout=30):
    """Every output chunk of the run, and how it finished."""
    chunks = []
    while True:
        message = console.next(lambda m: m["type"] in ("script_output", "script_finished") and m.get("runId") == run_id, timeout=timeout)
        if message["type"] == "script_finished":
            return chunks, message["result"]
        chunks += message["chunks"]


@contextlib.contextmanager
def scripted_session(gateway, applets, name, content, **options):
    """An active session with a real applet, one script in the technician's library, and their console."""
    session, applet, token = start_active_session(gateway, applets, name)
    script = add_script(gateway, token, content, **options)
    console = Console(gateway, token, session["id"])
    try:
        yield session, applet, token, script, console
    finally:
        console.close()


def log_events(gateway, token, session_id):
    return [entry for entry in gateway.api("GET", f"sessions/{session_id}/log", token=token)[1] if entry.get("event")]


ECHO_ARGUMENTS = """#!/bin/sh
for argument in "$@"; do printf 'arg[%s]\\n' "$argument"; done
printf 'env[%s]\\n' "$LIFELINE_PARAM_TARGET"
echo "to standard error" >&2
echo "in $(basename "$PWD")"
exit 3
"""


def test_a_script_runs_with_its_parameters_as_arguments_and_its_output_streams(gateway_for_module, applets):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Scripts")
    # Short enough for a script's name (64 characters).
    witness = pathlib.Path(f"/tmp/pw-{uuid.uuid4().hex[:8]}")
    hostile = f"$(touch {witness}); `touch {witness}` ; rm -rf ~ | cat\nsecond line 'quoted' \"double\" && *"
    script = add_script(gateway, token, ECHO_ARGUMENTS, name=f"Echo $(touch {witness}) `id` ;|& *", parameters=[
        {"name": "target", "label": "Target", "kind": "text", "required": True},
        {"name": "count", "label": "Count", "kind": "number", "defaultValue": "5"},
        {"name": "mode", "label": "Mode", "kind": "choice", "choices": ["fast", "careful; rm -rf /"]},
    ])
    assert script["scriptSha256"] == hashlib.sha256(ECHO_ARGUMENTS.encode()).hexdigest()
    console = Console(gateway, token, session["id"])
    try:
        # Values the gateway refuses, in its own words, before anything reaches the applet.
        for values, problem in [({}, "needs a value"), ({"target": "x", "count": "five"}, "is not what it accepts"),
                                ({"target": "x", "mode": "slow"}, "is not what it accepts"), ({"target": "x", "other": "1"}, "no parameter"),
                                ({"target": "nul\u0000byte"}, "is not what it accepts")]:
            refused = run(console, script["id"], values)
            assert refused["type"] == "error" and refused["code"] == "bad_request" and problem in refused["message"], refused

        started = run(console, script["id"], {"target": hostile, "mode": "careful; rm -rf /"})
        assert started["type"] == "script_started", started
        assert started["sha256"] == script["scriptSha256"] and started["name"] == script["definition"]["name"]
        chunks, result = outcome(console, started["runId"])
        stdout = "".join(chunk["text"] for chunk in chunks if chunk["stream"] == "stdout")
        stderr = "".join(chunk["text"] for chunk in chunks if chunk["stream"] == "stderr")
        # Each value is one argument, as typed: nothing of it was run.
        assert stdout.startswith(f"arg[{hostile}]\narg[5]\narg[careful; rm -rf /]\nenv[{hostile}]\n"), stdout
        assert "in lifeline-script-" in stdout and stderr == "to standard error\n"
        assert not witness.exists()
        assert result["outcome"] == "exited" and result["exitCode"] == 3, result
        everything = "".join(chunk["text"] for chunk in chunks).encode()
        assert result["outputBytes"] == len(everything) and result["outputSha256"] == hashlib.sha256(everything).hexdigest()
        assert result["leftoverProcesses"] == 0 and not result["outputTruncated"]
        applet.expect("SCRIPT_STARTED", script["definition"]["name"])
        applet.expect("SCRIPT_FINISHED", "exit_3")

        events = log_events(gateway, token, session["id"])
        started_event = next(entry for entry in events if entry["event"]["code"] == "script_started")
        finished_event = next(entry for entry in events if entry["event"]["code"] == "script_finished")
        assert started_event["event"]["params"]["sha256"] == script["scriptSha256"]
        assert finished_event["event"]["params"] == {"name": script["definition"]["name"], "result": "exit 3",
                                                     "bytes": str(len(everything)), "hash": result["outputSha256"]}
        # The folder the script ran in is gone with it.
        assert not [name for name in os.listdir(os.environ.get("TMPDIR", "/tmp")) if name.startswith("lifeline-script-")
                    and os.stat(os.path.join(os.environ.get("TMPDIR", "/tmp"), name)).st_uid == os.getuid()
                    and time.time() - os.stat(os.path.join(os.environ.get("TMPDIR", "/tmp"), name)).st_mtime < 60]
    finally:
        console.close()


def test_one_script_at_a_time_of_twenty_asked_at_once(gateway_for_module, applets):
    gateway = gateway_for_module
    with scripted_session(gateway, applets, "Script race", "#!/bin/sh\nsleep 1\necho done\n") as (session, applet, token, script, console):
        ids = [uuid.uuid4().hex for _ in range(20)]
        for request_id in ids:
            console.send({"type": "script_run_request", "sessionId": session["id"], "requestId": request_id, "scriptId": script["id"]})
        answers = [console.next(lambda m, r=request_id: m.get("requestId") == r and m["type"] in ("script_started", "error")) for request_id in ids]
        started = [answer for answer in answers if answer["type"] == "script_started"]
        assert len(started) == 1, answers
        assert {answer["code"] for answer in answers if answer["type"] == "error"} == {"script_running"}
        chunks, result = outcome(console, started[0]["runId"])
        assert result["outcome"] == "exited" and "".join(chunk["text"] for chunk in chunks) == "done\n"
        # Free again once it finished.
        assert run(console, script["id"])["type"] == "script_started"


def test_the_customer_stops_a_script_and_the_daemon_it_forked_ends_with_it(gateway_for_module, applets):
    gateway = gateway_for_module
    marker = uuid.uuid4().hex
    with scripted_session(gateway, applets, "Script stopped", f"#!/bin/sh\nsetsid sh -c 'sleep 600; echo {marker}' >/dev/null 2>&1 &\necho started\nsleep 600\n") as (session, applet, token, script, console):
        started = run(console, script["id"])
        first = console.next(lambda m: m["type"] == "script_output" and m["runId"] == started["runId"])
        assert first["chunks"][0]["text"] == "started\n"
        assert subprocess.run(["pgrep", "-f", marker], capture_output=True).returncode == 0, "the daemon runs"
        applet.say("/stop script")
        _, result = outcome(console, started["runId"])
        assert result["outcome"] == "cancelled_by_customer", result
        assert subprocess.run(["pgrep", "-f", marker], capture_output=True).returncode == 1, "nothing of the script is left"
        applet.expect("SCRIPT_FINISHED", "cancelled_by_customer")


def test_a_script_past_its_time_limit_is_ended_even_when_it_ignores_sigterm(gateway_for_module, applets):
    gateway = gateway_for_module
    with scripted_session(gateway, applets, "Script too long", "#!/bin/sh\ntrap '' TERM\necho waiting\nsleep 600\n", time_limit=1) as (session, applet, token, script, console):
        begun = time.monotonic()
        started = run(console, script["id"])
        chunks, result = outcome(console, started["runId"])
        assert result["outcome"] == "timed_out" and chunks[0]["text"] == "waiting\n", result
        # One second, then SIGTERM (ignored), then SIGKILL after the grace time.
        assert 1 <= time.monotonic() - begun < 15


def test_the_technician_stops_a_script_and_holding_the_session_stops_another(gateway_for_module, applets):
    gateway = gateway_for_module
    with scripted_session(gateway, applets, "Script held", "#!/bin/sh\necho on\nsleep 600\n") as (session, applet, token, script, console):
        started = run(console, script["id"])
        console.next(lambda m: m["type"] == "script_output" and m["runId"] == started["runId"])
        console.send({"type": "script_cancel", "sessionId": session["id"], "runId": started["runId"]})
        assert outcome(console, started["runId"])[1]["outcome"] == "cancelled_by_technician"

        started = run(console, script["id"])
        console.next(lambda m: m["type"] == "script_output" and m["runId"] == started["runId"])
        gateway.api("POST", f"sessions/{session['id']}/hold", token=token, expect=200)
        # The applet ends it; the log says how (the console is no longer told: the session is on hold).
        deadline = time.time() + 15
        while time.time() < deadline:
            results = [entry["event"]["params"]["result"] for entry in log_events(gateway, token, session["id"])
                       if entry["event"]["code"] == "script_finished"]
            if len(results) == 2:
                break
            time.sleep(0.2)
        assert results == ["cancelled_by_technician", "stopped"], results


def test_a_script_whose_hash_does_not_match_is_refused_by_the_applet(gateway_for_module, applets):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Script tampered")
    marker = uuid.uuid4().hex
    script = add_script(gateway, token, f"#!/bin/sh\necho {marker}\n")
    # The stored hash no longer matches the stored script (a tampered row): the applet refuses it.
    database = sqlite3.connect(f"{gateway.data_dir}/lifeline.sqlite")
    database.execute("UPDATE scripts SET script_sha256 = ? WHERE id = ?", ("0" * 64, script["id"]))
    database.commit()
    database.close()
    console = Console(gateway, token, session["id"])
    try:
        started = run(console, script["id"])
        chunks, result = outcome(console, started["runId"])
        assert chunks == [] and result["outcome"] == "refused" and result["refusal"] == "hash_mismatch", result
        assert hashlib.sha256(f"#!/bin/sh\necho {marker}\n".encode()).hexdigest() in result["message"]
        applet.expect("SCRIPT_FINISHED", "refused:_hash_mismatch")
        assert subprocess.run(["pgrep", "-f", marker], capture_output=True).returncode == 1
    finally:
        console.close()


def test_a_hundred_megabytes_of_output_is_read_and_hashed_and_not_all_sent(gateway_for_module, applets):
    gateway = gateway_for_module
    with scripted_session(gateway, applets, "Script loud", "#!/bin/sh\nhead -c 100000000 /dev/zero | tr '\\0' 'x'\necho\necho done\n") as (session, applet, token, script, console):
        started = run(console, script["id"])
        chunks, result = outcome(console, started["runId"], timeout=60)
        expected = hashlib.sha256()
        for _ in range(100):
            expected.update(b"x" * 1_000_000)
        expected.update(b"\ndone\n")
        assert result["outcome"] == "exited" and result["exitCode"] == 0, result
        assert result["outputBytes"] == 100_000_006 and result["outputSha256"] == expected.hexdigest()
        assert result["outputTruncated"] is True
        sent = sum(len(chunk["text"].encode()) for chunk in chunks)
        assert 0 < sent <= 1024 * 1024, sent


def test_without_the_permission_nothing_runs_and_another_library_is_not_found(gateway_for_module, applets):
    gateway = gateway_for_module
    admin = gateway.login()
    nico = technician_with(gateway, ["start_private_sessions", "connect_by_pin"], "noscripts@e2e.test", "Nico")
    admins_script = add_script(gateway, admin, "#!/bin/sh\necho admin\n")
    # Nico's own library needs deploy_scripts; the administrator's script is not Nico's to see or run.
    assert gateway.api("POST", "scripts", {"name": "x", "fileName": "x.sh", "content": "echo"}, token=nico)[1]["error"]["code"] == "permission_denied"
    assert gateway.api("GET", "scripts", token=nico, expect=200)[1]["scripts"] == []
    assert gateway.api("PUT", f"scripts/{admins_script['id']}", {"name": "x", "fileName": "x.sh", "content": "echo"},
                       token=admin, expect=200)
    session, applet = start_active_session_as(nico, gateway, applets, "No scripts")
    console = Console(gateway, nico, session["id"])
    try:
        assert run(console, admins_script["id"])["code"] == "script_not_found"
        assert run(console, "no-such-script")["code"] == "script_not_found"
    finally:
        console.close()
    # The administrator's own script in Nico's session: not the administrator's session.
    console = Console(gateway, admin, session["id"])
    try:
        assert run(console, admins_script["id"])["code"] == "session_not_found"
    finally:
        console.close()
    assert not any(line.startswith("SCRIPT_") for line in applet.seen), applet.seen


def raw(gateway, method, path, data, token, content_type="application/octet-stream"):
    request = urllib.request.Request(f"{gateway.url}/api/v1/{path}", data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_library_orders_stars_exports_and_imports_its_scripts(gateway_for_module):
    gateway = gateway_for_module
    lia = technician_with(gateway, ["deploy_scripts"], "library@e2e.test", "Lia")
    first = add_script(gateway, lia, "#!/bin/sh\necho one\n", name="One", description="First\nof two",
                       parameters=[{"name": "level", "label": "Level", "kind": "choice", "choices": ["low", "high"], "required": True}])
    second = add_script(gateway, lia, "#!/usr/bin/env python3\nprint('two')\r\n", name="Two & <more>", favourite=True)
    resource = bytes(range(256)) * 100
    status, body = raw(gateway, "PUT", f"scripts/{first['id']}/resource?name=data.bin", resource, lia)
    assert status == 200 and json.loads(body)["resourceSha256"] == hashlib.sha256(resource).hexdigest()

    # Order: the second goes up; stars: five at most.
    gateway.api("POST", f"scripts/{second['id']}/move", {"direction": "up"}, token=lia, expect=200)
    names = [script["definition"]["name"] for script in gateway.api("GET", "scripts", token=lia)[1]["scripts"]]
    assert names == ["Two & <more>", "One"]
    for index in range(4):
        add_script(gateway, lia, "#!/bin/sh\n", name=f"Star {index}", favourite=True)
    assert add_script(gateway, lia, "#!/bin/sh\n", name="Sixth star", favourite=True, expect=409)["error"]["code"] == "too_many_favourites"

    # Export, then import into an empty library: the same scripts, resource and all.
    status, exported = raw(gateway, "GET", "scripts/export", None, lia)
    assert status == 200 and b'<scripts version="1">' in exported
    before = gateway.api("GET", "scripts", token=lia)[1]["scripts"]
    for script in before:
        gateway.api("DELETE", f"scripts/{script['id']}", token=lia, expect=204)
    status, body = raw(gateway, "POST", "scripts/import", exported, lia, "application/xml")
    assert status == 200 and json.loads(body) == {"added": len(before), "unchanged": 0}, body
    after = gateway.api("GET", "scripts", token=lia)[1]["scripts"]
    keep = ("definition", "favourite", "scriptSha256", "resourceSha256", "resourceSize", "position")
    assert [{key: script.get(key) for key in keep} for script in after] == [{key: script.get(key) for key in keep} for script in before]
    status, body = raw(gateway, "POST", "scripts/import", exported, lia, "application/xml")
    assert json.loads(body) == {"added": 0, "unchanged": len(before)}

    # Hostile or broken files add nothing and say why.
    for bad, words in [(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><scripts version="1"/>', "DOCTYPE"),
                       (b'<scripts version="1"><script name="x" file="../x.sh"><content>echo</content></script></scripts>', "file name"),
                       (b'<scripts version="1"><script name="x" file="x.sh"><content>echo</content></scripts>', "not well-formed")]:
        status, body = raw(gateway, "POST", "scripts/import", bad, lia, "application/xml")
        error = json.loads(body)["error"]
        assert status == 400 and error["code"] == "bad_scripts_file" and words in error["message"], body
    assert len(gateway.api("GET", "scripts", token=lia)[1]["scripts"]) == len(before)


def test_the_scripts_tab_writes_a_script_deploys_it_and_shows_its_output(gateway_for_module, applets, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from test_console_session import select_row, sign_in

    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Scripts tab")
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-scripts"))).click()
    assert "No script selected" in browser.find_element(By.ID, "script-none").text

    # A new script with one parameter, written in the dialog.
    name = f"Greet {uuid.uuid4().hex[:6]}"
    browser.find_element(By.ID, "script-new").click()
    form = wait.until(EC.visibility_of_element_located((By.ID, "script-form")))
    form.find_element(By.NAME, "name").send_keys(name)
    form.find_element(By.NAME, "description").send_keys("Says hello to whom you name.")
    content = form.find_element(By.NAME, "content")
    content.clear()
    content.send_keys('#!/bin/sh\necho "hello $1"\necho "from $LIFELINE_PARAM_WHO" >&2\n')
    browser.find_element(By.ID, "script-parameter-add").click()
    row = browser.find_element(By.CSS_SELECTOR, "#script-parameter-rows .script-parameter-row")
    row.find_element(By.NAME, "parameter-name").send_keys("who")
    row.find_element(By.NAME, "parameter-label").send_keys("Who")
    row.find_element(By.NAME, "parameter-required").click()
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    wait.until(lambda b: not b.find_element(By.ID, "script-dialog").is_displayed() or b.find_element(By.ID, "script-form-status").is_displayed())
    assert not browser.find_element(By.ID, "script-dialog").is_displayed(), browser.find_element(By.ID, "script-form-status").text
    wait.until(lambda b: b.find_element(By.ID, "script-name").text == name)
    assert "Says hello" in browser.find_element(By.ID, "script-description").text

    # Starred, it is among the favourites.
    browser.find_element(By.CSS_SELECTOR, "#script-list li.chosen .script-star").click()
    wait.until(lambda b: name in b.find_element(By.ID, "script-favourites").text)

    # Deployed with its value: the output arrives, then how it ended.
    field = browser.find_element(By.CSS_SELECTOR, "#script-parameters [data-parameter='who']")
    field.send_keys("Wanda; rm -rf /")
    browser.find_element(By.ID, "script-deploy").click()
    wait.until(lambda b: "Finished with exit code 0" in b.find_element(By.ID, "script-status").text)
    output = browser.find_element(By.ID, "script-output").text
    assert "hello Wanda; rm -rf /" in output and "from Wanda; rm -rf /" in output, output
    assert "SHA-256" in browser.find_element(By.ID, "script-status").text
    applet.expect("SCRIPT_FINISHED", "exit_0")
    stderr_lines = browser.find_elements(By.CSS_SELECTOR, "#script-output .script-line.stderr")
    assert stderr_lines and "from Wanda" in stderr_lines[0].text


def test_scripts_marked_run_at_applet_start_run_in_order_once_the_session_is_active(gateway_for_module, applets):
    gateway = gateway_for_module
    tess = technician_with(gateway, ["start_private_sessions", "connect_by_pin", "deploy_scripts", "hold_sessions"], "starter@e2e.test", "Tess")
    first = add_script(gateway, tess, "#!/bin/sh\necho \"first $1\"\n", name="First at start", runAtStart=True,
                       parameters=[{"name": "who", "label": "Who", "kind": "text", "defaultValue": "everyone"}])
    add_script(gateway, tess, "#!/bin/sh\necho never\n", name="Not at start")
    second = add_script(gateway, tess, "#!/bin/sh\necho second\n", name="Second at start", runAtStart=True)
    console_session = gateway.api("POST", "sessions", {"name": "Start scripts", "method": "pin"}, token=tess, expect=201)[1]
    applet = applets(gateway.url, "--pin", console_session["pin"])
    applet.expect("WELCOME")
    console = Console(gateway, tess, console_session["id"])
    try:
        # Nothing runs while the session waits; starting it runs both, one after the other.
        gateway.api("POST", f"sessions/{console_session['id']}/start", token=tess, expect=200)
        runs = []
        for script in (first, second):
            started = console.next(lambda m: m["type"] == "script_started", timeout=20)
            assert started.get("requestId") is None and started["scriptId"] == script["id"], started
            chunks, result = outcome(console, started["runId"])
            runs.append(("".join(chunk["text"] for chunk in chunks), result["outcome"], result["exitCode"]))
        assert runs == [("first everyone\n", "exited", 0), ("second\n", "exited", 0)]
        applet.expect("SCRIPT_STARTED", "First at start")
        assert "atStart=true" in applet.expect("SCRIPT_STARTED", "Second at start")
        # Holding and resuming the session does not run them again.
        gateway.api("POST", f"sessions/{console_session['id']}/hold", token=tess, expect=200)
        gateway.api("POST", f"sessions/{console_session['id']}/start", token=tess, expect=200)
        time.sleep(1)
        assert not [m for m in console.backlog if m["type"] == "script_started"]
    finally:
        console.close()


def test_an_administrator_embeds_a_script_for_a_group_from_the_admin_center(gateway_for_module, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select
    from test_console_session import sign_in

    gateway = gateway_for_module
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Embedders", "permissions": ["run_embedded_scripts"]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "embedded@e2e.test", "name": "Emma", "password": "Emma password 1",
                                               "groupId": group["id"]}, token=admin, expect=201)
    mine = add_script(gateway, admin, "#!/bin/sh\ncat \"$LIFELINE_RESOURCE\"\n", name=f"Embed me {uuid.uuid4().hex[:6]}", runAtStart=True)
    resource = b"resource bytes\n"
    assert raw(gateway, "PUT", f"scripts/{mine['id']}/resource?name=notes.txt", resource, admin)[0] == 200

    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/#/group/{group['id']}/scripts")
    wait.until(EC.visibility_of_element_located((By.ID, "group-script-add")))
    assert browser.find_element(By.ID, "group-scripts-none").is_displayed()
    Select(browser.find_element(By.ID, "group-script-pick")).select_by_visible_text(mine["definition"]["name"])
    browser.find_element(By.CSS_SELECTOR, "#group-script-add button[type='submit']").click()
    wait.until(lambda b: mine["definition"]["name"] in b.find_element(By.ID, "group-scripts").text)
    assert "Yes" in browser.find_element(By.CSS_SELECTOR, "#group-scripts tbody tr").text
    # The group keeps its own copy: the administrator's (run at start) leaves their library, so the
    # module's other sessions run nothing at start.
    gateway.api("DELETE", f"scripts/{mine['id']}", token=admin, expect=204)

    # Emma sees it among the embedded scripts, resource and all, and may not change it.
    emma = gateway.login("embedded@e2e.test", "Emma password 1")
    listing = gateway.api("GET", "scripts", token=emma, expect=200)[1]
    [embedded] = listing["embedded"]
    assert embedded["definition"]["name"] == mine["definition"]["name"] and embedded["groupId"] == group["id"]
    assert embedded["resourceSha256"] == hashlib.sha256(resource).hexdigest()
    assert listing["canRunEmbedded"] is True and listing["canDeploy"] is False
    assert raw(gateway, "GET", f"scripts/{embedded['id']}/resource", None, emma) == (200, resource)
    assert gateway.api("DELETE", f"scripts/{embedded['id']}", token=emma)[0] == 403


def test_the_window_shows_the_running_script_and_its_button_stops_it(gateway_for_module, applets, desktop):
    from test_applet_window import SHOTS, open_window, press

    gateway = gateway_for_module
    session, applet, token, window = open_window(gateway, applets, desktop, "Wilma")
    press(desktop, window, "alt+a")
    gateway.wait_for_state(session["id"], "waiting", token)
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    script = add_script(gateway, token, "#!/bin/sh\necho cleaning\nsleep 600\n", name="Clean the print queue",
                        description="Cancels the jobs stuck in the queue.")
    console = Console(gateway, token, session["id"])
    try:
        started = run(console, script["id"])
        applet.expect("Administrator is running the script Clean the print queue on this computer.")
        applet.expect("Cancels the jobs stuck in the queue.")
        console.next(lambda m: m["type"] == "script_output" and m["runId"] == started["runId"])
        time.sleep(0.3)
        desktop.screenshot(SHOTS / "applet-window-script.png", window=window)
        # The permissions panel's row for the script: its Revoke button stops it.
        press(desktop, window, "alt+r")
        _, result = outcome(console, started["runId"])
        assert result["outcome"] == "cancelled_by_customer", result
        applet.expect("You stopped the script Clean the print queue.")
    finally:
        console.close()
