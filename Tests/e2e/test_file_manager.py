"""The file manager's customer side (K1–K5) with a real applet and a real console socket: the
customer's yes, roots and listings read without following links (a name that is not UTF-8 kept
byte-exact), folders made, renamed and deleted on disk, each change logged; then a corpus of
hostile paths — `..` everywhere, absolute paths, NUL and slashes in names, unknown roots, symbolic
links leading out, a folder swapped for a link between listing and writing — of which none reads
or writes a byte outside the customer's home folder; and the console's tab driven from the keyboard."""
import base64
import itertools
import json
import os
import shutil
import tempfile
import time
import uuid

import pytest
import websocket
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import start_active_session
from test_applet_window import desktop, find_window, open_window, press  # noqa: F401 (the module's desktop fixture)
from test_console_session import select_row, sign_in


class Console:
    """A technician console's socket: sends requests, collects the answers by request id."""

    def __init__(self, gateway, token, session_id):
        self.session_id = session_id
        self.socket = websocket.create_connection(gateway.url.replace("http", "ws", 1) + "/ws/console",
                                                  header=[f"Authorization: Bearer {token}"], timeout=15)
        self.backlog = []

    def send(self, message):
        self.socket.send(json.dumps({"v": 1, **message}))

    def next(self, predicate, timeout=15):
        for index, message in enumerate(self.backlog):
            if predicate(message):
                return self.backlog.pop(index)
        self.socket.settimeout(timeout)
        while True:
            message = json.loads(self.socket.recv())
            if predicate(message):
                return message
            self.backlog.append(message)

    def open(self):
        self.send({"type": "file_manager_open", "sessionId": self.session_id})
        return self.next(lambda m: m["type"] == "file_manager" and m["phase"] in ("open", "denied"))

    def ask(self, request):
        """The whole answer to one request: a listing's pages joined, or the error it got."""
        request_id = uuid.uuid4().hex
        self.send({"type": "file_manager_request", "sessionId": self.session_id, "requestId": request_id, "request": request})
        entries = []
        while True:
            message = self.next(lambda m: (m["type"] == "file_manager_reply" and m["requestId"] == request_id)
                                or (m["type"] == "error" and m.get("sessionId") == self.session_id))
            if message["type"] == "error":
                return {"kind": "refused", "code": message["code"], "message": message["message"]}
            reply = message["reply"]
            if reply["kind"] != "entries":
                return reply
            entries += reply["entries"]
            if reply["done"]:
                return {"kind": "entries", "entries": entries}

    def close(self):
        self.socket.close()


def name_bytes(name):
    return base64.b64decode(name["raw"]) if isinstance(name, dict) else name.encode()


def wire(name):
    """A name as the console sends it: text when UTF-8, else its raw bytes."""
    if isinstance(name, bytes):
        try:
            return name.decode("utf-8")
        except UnicodeDecodeError:
            return {"raw": base64.b64encode(name).decode()}
    return name


def path(*names, root="home"):
    return {"root": root, "names": [wire(n) for n in names]}


@pytest.fixture
def sandbox():
    base = tempfile.mkdtemp(prefix="lifeline-fm-")
    home = os.path.join(base, "home")
    outside = os.path.join(base, "outside")
    os.makedirs(os.path.join(home, "docs", "empty"))
    os.makedirs(outside)
    open(os.path.join(home, "docs", "a.txt"), "w").write("hello")
    open(os.path.join(home, ".hidden"), "w").write("secret")
    open(os.path.join(home, "zero"), "w").close()
    os.chmod(os.path.join(home, "zero"), 0o644)
    open(os.path.join(home.encode(), b"r\xe9sum\xe9.txt"), "wb").write(b"latin-1 name")
    open(os.path.join(outside, "sentinel"), "w").write("do not touch")
    os.symlink("../outside", os.path.join(home, "out"))
    os.symlink(os.path.join(outside, "sentinel"), os.path.join(home, "sentinel-link"))
    yield base, home, outside
    shutil.rmtree(base, ignore_errors=True)


def snapshot(folder):
    """Every name, type and content below `folder`, to compare before and after."""
    seen = {}
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            full = os.path.join(root, name)
            seen[full] = (os.path.islink(full), os.path.isdir(full), None if os.path.isdir(full) else open(full, "rb").read())
    return seen


def test_browse_make_rename_delete_with_the_customers_yes(gateway_for_module, applets, sandbox):
    gateway = gateway_for_module
    base, home, outside = sandbox
    session, applet, token = start_active_session(gateway, applets, "Files", home=home, remote_consent="accept")
    console = Console(gateway, token, session["id"])
    try:
        assert console.open()["phase"] == "open"
        applet.expect("FILE_MANAGER_OPEN")
        roots = console.ask({"op": "roots"})
        assert {"home", "system"} <= {root["id"] for root in roots["roots"]}

        listing = console.ask({"op": "list", "path": path()})
        entries = {name_bytes(e["name"]): e for e in listing["entries"]}
        assert b".hidden" not in entries
        assert entries[b"docs"]["kind"] == "folder"
        assert entries[b"zero"]["kind"] == "file" and entries[b"zero"]["size"] == 0
        assert entries[b"out"]["kind"] == "symlink" and entries[b"out"]["target"] == "../outside"
        odd = entries[b"r\xe9sum\xe9.txt"]
        assert odd["name"]["shown"] == "r\\xE9sum\\xE9.txt"
        assert odd["size"] == len(b"latin-1 name") and odd["owner"]
        hidden = console.ask({"op": "list", "path": path(), "hidden": True})
        assert b".hidden" in {name_bytes(e["name"]) for e in hidden["entries"]}

        assert console.ask({"op": "make_folder", "path": path("new folder")})["kind"] == "done"
        assert os.path.isdir(os.path.join(home, "new folder"))
        applet.expect("FILE_MANAGER_CHANGE", "make_folder ~/new folder")
        # The non-UTF-8 name, sent back as its bytes, renames exactly that file.
        assert console.ask({"op": "rename", "path": path(b"r\xe9sum\xe9.txt"), "newName": "resume.txt"})["kind"] == "done"
        assert open(os.path.join(home, "resume.txt"), "rb").read() == b"latin-1 name"
        # Renaming onto an existing name never replaces it.
        clash = console.ask({"op": "rename", "path": path("zero"), "newName": "resume.txt"})
        assert clash["kind"] == "failed" and clash["code"] == "exists"
        # A folder with all it holds; a link is removed, its target left alone.
        removed = console.ask({"op": "delete", "path": path("docs")})
        assert removed == {"kind": "done", "removed": {"files": 1, "folders": 2, "bytes": 5}}
        assert not os.path.exists(os.path.join(home, "docs"))
        assert console.ask({"op": "delete", "path": path("sentinel-link")})["kind"] == "done"
        assert open(os.path.join(outside, "sentinel")).read() == "do not touch"
        missing = console.ask({"op": "list", "path": path("docs")})
        assert missing["kind"] == "failed" and missing["code"] == "not_found"

        log = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
        assert "The customer accepted: the file manager is open." in log
        assert "Administrator made the folder ~/new folder on the customer's computer." in log
        assert "Administrator renamed ~/r\\xE9sum\\xE9.txt to resume.txt on the customer's computer." in log
        assert any(line.startswith("Administrator deleted ~/docs on the customer's computer (1 files, 2 folders") for line in log)

        # The customer's red X closes it at once; requests are refused again.
        applet.say("/revoke")
        console.next(lambda m: m["type"] == "file_manager" and m["phase"] == "closed")
        applet.expect("FILE_MANAGER_CLOSED")
        after = console.ask({"op": "roots"})
        assert after["kind"] == "refused" and after["code"] == "file_manager_not_open"
    finally:
        console.close()


def test_a_customer_who_says_no_shows_nothing(gateway_for_module, applets, sandbox):
    gateway = gateway_for_module
    _, home, _ = sandbox
    session, applet, token = start_active_session(gateway, applets, "No files", home=home, remote_consent="deny")
    console = Console(gateway, token, session["id"])
    try:
        assert console.open()["phase"] == "denied"
        applet.expect("FILE_MANAGER_DENIED")
        refused = console.ask({"op": "list", "path": path()})
        assert refused["kind"] == "refused" and refused["code"] == "file_manager_not_open"
    finally:
        console.close()


def hostile_corpus():
    """At least 200 paths that try to leave the home folder, each with an operation."""
    dots = ["..", ".", "...", "../..", "./..", "..\\..", "%2e%2e", "%2E%2E%2F", "..%2f", "%c0%ae%c0%ae", "．．", "\u2025",
            "..;", "..%00", "..\u0000x", "a/..", "/", "//", "/etc", "/etc/passwd", "../outside/sentinel", "out", "out/sentinel",
            "\u0000", "a\u0000b", "", " ", "~", "~root", "$HOME", "*", "sentinel-link"]
    prefixes = [[], ["docs"], ["docs", "empty"], ["out"], ["nowhere"]]
    corpus = []
    for prefix, name in itertools.product(prefixes, dots):
        names = prefix + name.split("/") if name.startswith("../") or name in ("a/..", "../..", "./..") else prefix + [name]
        corpus.append(names)
        corpus.append(prefix + [name, "sentinel"])
    for chain in [["out"], ["out", "sentinel"], ["out", ".."], ["docs", "..", "..", "outside"], [".."] * 20]:
        corpus.append(chain)
    corpus += [["a" * 256], ["x"] * 300]
    requests = []
    for index, names in enumerate(corpus):
        operation = ["list", "make_folder", "delete", "rename"][index % 4]
        request = {"op": operation, "path": {"root": "home", "names": names}}
        if operation == "rename":
            request["newName"] = ["../escaped", "/tmp/escaped", "ok-name", "..", "a/b"][index % 5]
        requests.append(request)
    for root in ["../", "/", "mount:/etc", "home/..", "", "mount:" + "/tmp"]:
        requests.append({"op": "list", "path": {"root": root, "names": []}})
        requests.append({"op": "make_folder", "path": {"root": root, "names": ["escaped"]}})
    return requests


def test_hostile_paths_never_reach_outside_the_root(gateway_for_module, applets, sandbox):
    gateway = gateway_for_module
    base, home, outside = sandbox
    os.makedirs(os.path.join(home, "swap"))
    session, applet, token = start_active_session(gateway, applets, "Hostile", home=home, remote_consent="accept")
    console = Console(gateway, token, session["id"])
    before = snapshot(outside)
    corpus = hostile_corpus()
    assert len(corpus) >= 200
    try:
        assert console.open()["phase"] == "open"
        outcomes = {}
        for request in corpus:
            answer = console.ask(request)
            outcomes[answer.get("code", answer["kind"])] = outcomes.get(answer.get("code", answer["kind"]), 0) + 1
            # Nothing read outside: no listing ever shows the sentinel.
            if answer["kind"] == "entries":
                assert all(name_bytes(e["name"]) != b"sentinel" for e in answer["entries"]), request
            # Anything that went through stayed inside the home folder (a plain odd name made there).
            if answer["kind"] == "done":
                names = request["path"]["names"]
                assert request["path"]["root"] == "home" and all(n not in ("..", ".") and "/" not in n for n in names), request
                # A link deleted inside the root (allowed): put back, so the next requests meet it.
                for link, target in [("out", "../outside"), ("sentinel-link", os.path.join(outside, "sentinel"))]:
                    if not os.path.lexists(os.path.join(home, link)):
                        os.symlink(target, os.path.join(home, link))
            else:
                assert answer.get("message"), f"{request}: no clear error"
        # A folder listed, then swapped for a link leading out, before writing into it.
        assert console.ask({"op": "list", "path": path("swap")})["kind"] == "entries"
        os.rmdir(os.path.join(home, "swap"))
        os.symlink(outside, os.path.join(home, "swap"))
        swapped = console.ask({"op": "make_folder", "path": path("swap", "planted")})
        assert swapped["kind"] == "failed" and swapped["code"] == "symlink_refused", swapped
        assert console.ask({"op": "delete", "path": path("swap", "sentinel")})["kind"] == "failed"
        assert console.ask({"op": "list", "path": path("swap")})["kind"] == "failed"
        assert snapshot(outside) == before, "nothing outside the root changed"
        assert not os.path.exists(os.path.join(base, "escaped")) and not os.path.exists("/tmp/escaped")
        print(f"{len(corpus)} hostile requests: {outcomes}")
        assert outcomes.get("bad_request", 0) > 50
        assert outcomes.get("symlink_refused", 0) > 20, "links on the way are refused, not followed"
    finally:
        console.close()


def test_in_the_window_the_question_is_a_dialog_and_the_panel_takes_it_back(gateway_for_module, applets, desktop, sandbox):  # noqa: F811
    gateway = gateway_for_module
    _, home, _ = sandbox
    session, applet, token, window = open_window(gateway, applets, desktop, "Wanda", home=home)
    press(desktop, window, "alt+a")
    gateway.wait_for_state(session["id"], "waiting", token)
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    console = Console(gateway, token, session["id"])
    try:
        console.send({"type": "file_manager_open", "sessionId": session["id"]})
        request = find_window(desktop, "a request from your technician")
        press(desktop, request, "alt+a")
        console.next(lambda m: m["type"] == "file_manager" and m["phase"] == "open")
        applet.expect("Administrator can now see your files.")
        assert console.ask({"op": "make_folder", "path": path("from the window")})["kind"] == "done"
        applet.expect("Administrator made the folder ~/from the window.")
        # The permissions panel lists it; its Revoke closes the file manager for the technician at once.
        press(desktop, window, "alt+r")
        console.next(lambda m: m["type"] == "file_manager" and m["phase"] == "closed")
        applet.expect("The file manager closed: you closed it.")
        # Asked again and denied in the dialog: nothing is shown.
        console.send({"type": "file_manager_open", "sessionId": session["id"]})
        press(desktop, find_window(desktop, "a request from your technician"), "alt+d")
        console.next(lambda m: m["type"] == "file_manager" and m["phase"] == "denied")
        applet.expect("You refused. Your files are not shown.")
    finally:
        console.close()


def rows(browser, source):
    """The names the pane draws, read in one go (the rows are redrawn as answers arrive)."""
    return browser.execute_script(f"return [...document.querySelectorAll('#file-list-{source} .file-row')].map((row) => row.dataset.name)")


def answer_prompt(browser, text=None):
    """Types into the page's prompt (or confirms its question) as the technician would."""
    alert = WebDriverWait(browser, 10).until(EC.alert_is_present())
    if text is not None:
        alert.send_keys(text)
    alert.accept()


def test_the_console_tab_shows_both_sides_and_works_from_the_keyboard(gateway_for_module, applets, browser, sandbox):
    gateway = gateway_for_module
    _, home, _ = sandbox
    for index in range(1, 7):
        open(os.path.join(home, f"report-{index}.log"), "w").write("x" * index * 100)
    session, applet, token = start_active_session(gateway, applets, "Tab", home=home, remote_consent="accept")
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-files"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "file-manager-open"))).click()
    wait.until(EC.visibility_of_element_located((By.ID, "file-manager-panes")))
    applet.expect("FILE_MANAGER_OPEN")
    # The customer's home, folders first, the non-UTF-8 name shown with its byte escaped.
    wait.until(lambda b: "docs" in rows(b, "customer"))
    names = rows(browser, "customer")
    assert names[0] == "docs" and "r\\xE9sum\\xE9.txt" in names and ".hidden" not in names
    assert "out → ../outside" not in names and "out" in names
    # Hovering a row says who owns it and its permissions, as ls does.
    title = browser.execute_script("return document.querySelector('#file-list-customer .file-row[data-name=\"zero\"]').title")
    assert title.endswith("-rw-r--r--") and title.split(" · ")[0], title
    customer = browser.find_element(By.ID, "file-list-customer")
    # Ctrl+3 sorts by size; + selects by pattern; * inverts.
    customer.send_keys(Keys.CONTROL, "3")
    wait.until(lambda b: [n for n in rows(b, "customer") if n.startswith("report-")] == [f"report-{i}.log" for i in range(1, 7)])
    customer.send_keys("+")
    answer_prompt(browser, "report-*.log")
    wait.until(EC.text_to_be_present_in_element((By.ID, "file-footer-customer"), "11 items, 6 selected"))
    customer.send_keys("*")
    wait.until(EC.text_to_be_present_in_element((By.ID, "file-footer-customer"), "11 items, 5 selected"))
    customer.send_keys(Keys.ESCAPE)
    wait.until(EC.text_to_be_present_in_element((By.ID, "file-footer-customer"), "0 selected"))
    # Ctrl+N makes a folder on the customer's computer; Enter opens it; Backspace comes back up.
    customer.send_keys(Keys.CONTROL, "n")
    answer_prompt(browser, "made in the console")
    wait.until(lambda b: "made in the console" in rows(b, "customer"))
    assert os.path.isdir(os.path.join(home, "made in the console"))
    customer.send_keys(Keys.HOME, Keys.ENTER)
    wait.until(EC.text_to_be_present_in_element((By.ID, "file-where-customer"), "~/docs"))
    wait.until(lambda b: rows(b, "customer") == ["empty", "a.txt"])
    customer.send_keys(Keys.BACKSPACE)
    wait.until(lambda b: "docs" in rows(b, "customer") and "a.txt" not in rows(b, "customer"))
    # F2 renames the row under the cursor, Del deletes it after the confirmation.
    target = rows(browser, "customer").index("made in the console")
    customer.send_keys(Keys.HOME, *([Keys.ARROW_DOWN] * target), Keys.F2)
    answer_prompt(browser, "renamed in the console")
    wait.until(lambda b: "renamed in the console" in rows(b, "customer"))
    assert os.path.isdir(os.path.join(home, "renamed in the console"))
    target = rows(browser, "customer").index("renamed in the console")
    customer.send_keys(Keys.HOME, *([Keys.ARROW_DOWN] * target), Keys.DELETE)
    answer_prompt(browser)
    wait.until(lambda b: "renamed in the console" not in rows(b, "customer"))
    assert not os.path.exists(os.path.join(home, "renamed in the console"))
    # The technician's side: this browser's storage (the same handles as a chosen folder).
    browser.find_element(By.ID, "file-local-storage").click()
    local = wait.until(EC.visibility_of_element_located((By.ID, "file-list-local")))
    local.send_keys(Keys.CONTROL, "n")
    answer_prompt(browser, "technician folder")
    wait.until(lambda b: "technician folder" in rows(b, "local"))
    # Tab moves between the panes; the active one is outlined.
    local.send_keys(Keys.TAB)
    wait.until(lambda b: "active" in b.find_element(By.ID, "file-pane-customer").get_attribute("class"))
    # Closing from the console: the applet hears it, the panes go.
    browser.find_element(By.ID, "file-manager-close").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "file-manager-panes")))
    applet.expect("FILE_MANAGER_CLOSED")


def test_a_folder_of_100000_entries_arrives_in_pages_and_draws_only_what_is_in_view(gateway_for_module, applets, browser, sandbox):
    gateway = gateway_for_module
    _, home, _ = sandbox
    crowd = os.path.join(home, "crowd")
    os.mkdir(crowd)
    for index in range(100_000):
        os.close(os.open(os.path.join(crowd, f"f{index:06d}"), os.O_CREAT | os.O_WRONLY, 0o644))
    session, applet, token = start_active_session(gateway, applets, "Crowd", home=home, remote_consent="accept")
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-files"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "file-manager-open"))).click()
    wait.until(lambda b: "crowd" in rows(b, "customer"))
    customer = browser.find_element(By.ID, "file-list-customer")
    customer.send_keys(Keys.HOME, Keys.ENTER)
    started = time.time()
    long_wait = WebDriverWait(browser, 120)
    long_wait.until(EC.text_to_be_present_in_element((By.ID, "file-footer-customer"), "100000 items"))
    print(f"100,000 entries listed and shown in {time.time() - started:.1f} s")
    assert len(rows(browser, "customer")) < 60, "only the rows in view are drawn"
    # The end of the list is one key away and drawn at once.
    customer.send_keys(Keys.END)
    wait.until(lambda b: "f099999" in rows(b, "customer"))


def test_the_list_rules_sort_select_and_read_typed_paths(gateway_for_module, browser):
    """Web/lib/file-list.js in the real browser, as a table."""
    browser.get(f"{gateway_for_module.url}/console/")
    results = browser.execute_async_script("""
        const done = arguments[0];
        import('/lib/file-list.js').then((list) => {
          const entry = (name, kind, size, modified) => ({ name, kind, size, modified });
          const entries = [entry('b10.txt', 'file', 5, 3), entry('B2.txt', 'file', 50, 1), entry('zeta', 'folder', 0, 2),
                           entry({ raw: 'cukJ', shown: 'r\\\\xE9s' }, 'file', 1, 9), entry('a.LOG', 'file', 7, 4), entry('alpha', 'folder', 0, 8)];
          const names = (sorted) => sorted.map((e) => list.shownName(e.name));
          const selected = list.changeSelection(new Set(), entries, 'select', '*.txt;*.log');
          done({
            byName: names(list.sortEntries(entries, 'name')),
            byNameDown: names(list.sortEntries(entries, 'name', true)),
            bySize: names(list.sortEntries(entries, 'size')),
            byDate: names(list.sortEntries(entries, 'date')),
            byType: names(list.sortEntries(entries, 'type')),
            selected: selected.size,
            deselected: list.changeSelection(selected, entries, 'deselect', 'b*').size,
            inverted: list.changeSelection(selected, entries, 'invert').size,
            all: list.changeSelection(new Set(), entries, 'all').size,
            question: list.patternTest('r?s')({ raw: 'x', shown: 'rés' }),
            sizes: [0, 999, 1000, 12345, 3400000, 5e12].map(list.formatSize),
            typed: [list.parseTypedPath('~/Documents/../Pictures', { root: 'system', names: ['etc'] }),
                    list.parseTypedPath('/var/log', { root: 'home', names: ['a'] }),
                    list.parseTypedPath('sub/../../x', { root: 'home', names: ['a', 'b'] })],
            keys: [list.nameKey('a'), list.nameKey({ raw: 'cukJ', shown: 'x' })],
          });
        });""")
    assert results["byName"] == ["alpha", "zeta", "a.LOG", "B2.txt", "b10.txt", "r\\xE9s"]
    assert results["byNameDown"] == ["zeta", "alpha", "r\\xE9s", "b10.txt", "B2.txt", "a.LOG"]
    assert results["bySize"] == ["alpha", "zeta", "r\\xE9s", "b10.txt", "a.LOG", "B2.txt"]
    assert results["byDate"] == ["zeta", "alpha", "B2.txt", "b10.txt", "a.LOG", "r\\xE9s"]
    assert results["byType"] == ["alpha", "zeta", "r\\xE9s", "a.LOG", "B2.txt", "b10.txt"]
    assert (results["selected"], results["deselected"], results["inverted"], results["all"]) == (3, 1, 3, 6)
    assert results["question"] is True
    assert results["sizes"] == ["0 B", "999 B", "1.0 KB", "12 KB", "3.4 MB", "5.0 TB"]
    assert results["typed"] == [{"root": "home", "names": ["Pictures"]}, {"root": "system", "names": ["var", "log"]},
                                {"root": "home", "names": ["a", "x"]}]
    assert results["keys"] == ["s:a", "b:cukJ"]


def test_the_streaming_sha256_matches_webcrypto_for_any_cut(gateway_for_module, browser):
    """Web/lib/sha256.js (files are hashed as they stream) against the browser's own SHA-256,
    for lengths around the block and padding edges, fed in pieces of every awkward size."""
    browser.get(f"{gateway_for_module.url}/console/")
    results = browser.execute_async_script("""
        const done = arguments[0];
        import('/lib/sha256.js').then(async ({ SHA256 }) => {
          const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
          const out = [];
          for (const length of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65537, 1048576 + 7]) {
            const bytes = new Uint8Array(length);
            for (let i = 0; i < length; i += 1) bytes[i] = (i * 31 + (i >> 8)) & 255;
            const expected = hex(await crypto.subtle.digest('SHA-256', bytes));
            for (const piece of [1, 7, 64, 1000, 1 << 20]) {
              const hash = new SHA256();
              for (let at = 0; at < length; at += piece) hash.update(bytes.subarray(at, at + piece));
              out.push([length, piece, hash.hex() === expected]);
            }
          }
          const big = new Uint8Array(64 << 20);
          const started = performance.now();
          new SHA256().update(big).hex();
          done({ out, mbPerSecond: 64 / ((performance.now() - started) / 1000) });
        });""")
    assert all(ok for _, _, ok in results["out"]), [r for r in results["out"] if not r[2]]
    print(f"streaming SHA-256 in Chromium: {results['mbPerSecond']:.0f} MB/s")


def test_a_file_read_from_the_customer_arrives_whole_with_its_sha256(gateway_for_module, applets, sandbox):
    """K3, customer → technician: `read` gets a transfer from the gateway; the applet announces the
    size, posts the bytes; the console fetches them as they pass (nothing kept on the gateway);
    the SHA-256 the applet took matches what arrived; the copy is logged."""
    import hashlib
    import threading
    import urllib.request
    gateway = gateway_for_module
    _, home, _ = sandbox
    content = os.urandom(5 * 1_048_576)
    open(os.path.join(home, "big.bin"), "wb").write(content)
    session, applet, token = start_active_session(gateway, applets, "Read", home=home, remote_consent="accept")
    console = Console(gateway, token, session["id"])
    try:
        assert console.open()["phase"] == "open"
        console.send({"type": "file_manager_request", "sessionId": session["id"], "requestId": "r1", "request": {"op": "read", "path": path("big.bin")}})
        sending = console.next(lambda m: m["type"] == "file_manager_reply" and m["requestId"] == "r1")["reply"]
        assert sending["kind"] == "sending" and sending["size"] == len(content), sending
        fetched = {}

        def fetch():
            request = urllib.request.Request(f"{gateway.url}/api/v1/sessions/{session['id']}/file-manager/{sending['transferId']}",
                                             headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                fetched["body"] = response.read()

        reader = threading.Thread(target=fetch)
        reader.start()
        done = console.next(lambda m: m["type"] == "file_manager_reply" and m["requestId"] == "r1", timeout=60)["reply"]
        reader.join(60)
        # The block SHA-256 (of the 8 MiB blocks' SHA-256s) is what a browser checks natively.
        blocks = hashlib.sha256(b"".join(hashlib.sha256(content[at:at + 8 * 1_048_576]).digest()
                                         for at in range(0, len(content), 8 * 1_048_576))).hexdigest()
        assert done == {"kind": "transferred", "size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "blocks": blocks}
        assert fetched["body"] == content
        applet.expect("FILE_MANAGER_COPY", "to_technician ~/big.bin")
        log = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
        assert f"Administrator copied ~/big.bin (5.0 MB) from the customer's computer. SHA-256 {done['sha256']}." in log, \
            [line for line in log if "copied" in line]
        # Only plain files: a link is not followed, a folder is not a file.
        for name, code in [("sentinel-link", "symlink_refused"), ("docs", "not_a_file")]:
            refused = console.ask({"op": "read", "path": path(name)})
            assert refused["kind"] == "failed" and refused["code"] == code, refused
    finally:
        console.close()
