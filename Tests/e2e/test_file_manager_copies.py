"""The file manager's copies (K3) in the console with a real applet: a folder tree copied from the
customer's computer into the technician's side (this browser's origin-private file system, the
same handles as a chosen folder) and another copied to the customer's computer — empty folders,
0-byte files, a name that is not UTF-8, a link noted and not followed — each file verified by
SHA-256 on both sides and landing with its time; a name already there asked once with "apply to
all"; a move that removes only what arrived; every copy in the session log."""
import glob
import hashlib
import json
import os
import shutil
import signal
import tempfile
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from browser_storage import clear_local, make_local, pattern, read_local
from conftest import start_active_session
from test_console_session import select_row, sign_in
from test_file_manager import Console, path, rows





def local_pattern(path, size):
    """What `make` writes for a path."""
    return pattern(size, len(path))


def make(browser, files):
    """Files on the technician's side, {path: size, or None for a folder}, seeded by their path."""
    make_local(browser, {path: None if size is None else [size, len(path)] for path, size in files.items()})


def sha(data):
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def home():
    base = tempfile.mkdtemp(prefix="lifeline-copies-")
    home = os.path.join(base, "home")
    tree = os.path.join(home, "tree")
    os.makedirs(os.path.join(tree, "empty"))
    os.makedirs(os.path.join(tree, "sub"))
    open(os.path.join(tree, "a.txt"), "w").write("hello")
    open(os.path.join(tree, "zero"), "w").close()
    open(os.path.join(tree.encode(), b"r\xe9s.txt"), "wb").write(b"latin-1 name")
    open(os.path.join(tree, "sub", "b.bin"), "wb").write(os.urandom(9 * 1024 * 1024 + 17))
    os.symlink("a.txt", os.path.join(tree, "link"))
    yield home
    shutil.rmtree(base, ignore_errors=True)


def open_panes(browser, gateway, applets, home, sign_in_as=None, **applet_options):
    session, applet, token = start_active_session(gateway, applets, "Copies", home=home, remote_consent="accept", **applet_options)
    wait = sign_in(browser, gateway)
    clear_local(browser)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-files"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "file-manager-open"))).click()
    wait.until(EC.visibility_of_element_located((By.ID, "file-manager-panes")))
    browser.find_element(By.ID, "file-local-storage").click()
    wait.until(EC.visibility_of_element_located((By.ID, "file-list-local")))
    wait.until(lambda b: "tree" in rows(b, "customer"))
    return session, applet, token, wait


def put_cursor(browser, source, name):
    names = rows(browser, source)
    pane = browser.find_element(By.ID, f"file-list-{source}")
    pane.send_keys(Keys.HOME, *([Keys.ARROW_DOWN] * names.index(name)))
    return pane


def finished_copy(browser, wait, count, timeout=180):
    """The newest copy's state once `count` copies have ended, with its text (a long copy on a
    busy machine takes its time; the wait ends as soon as it is over)."""
    ended = ".file-copy[data-state='done'], .file-copy[data-state='failed'], .file-copy[data-state='cancelled']"
    WebDriverWait(browser, timeout).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ended)) >= count)
    newest = browser.find_element(By.CSS_SELECTOR, ".file-copy")
    return newest.get_attribute("data-state"), newest.text


def test_folder_trees_both_ways_verified_with_conflicts_asked_once_and_a_move(gateway_for_module, applets, browser, home):
    gateway = gateway_for_module
    session, applet, token, wait = open_panes(browser, gateway, applets, home)
    tree = os.path.join(home, "tree")

    # Customer → technician: Ctrl+C on the customer's "tree" copies it into the technician's side.
    put_cursor(browser, "customer", "tree").send_keys(Keys.CONTROL, "c")
    state, text = finished_copy(browser, wait, 1)
    assert state == "done", text
    assert "4 copied" in text and "link" in text, text  # the link is noted, not followed
    local = read_local(browser)
    assert local["tree"] is None and local["tree/empty"] is None and local["tree/sub"] is None, local
    assert local["tree/a.txt"] == [5, sha(b"hello")]
    assert local["tree/zero"] == [0, sha(b"")]
    assert local["tree/r%E9s.txt"] == [12, sha(b"latin-1 name")]
    assert local["tree/sub/b.bin"] == [os.path.getsize(os.path.join(tree, "sub", "b.bin")),
                                       sha(open(os.path.join(tree, "sub", "b.bin"), "rb").read())]
    assert "tree/link" not in local and not any(name.startswith(".") or ".crswap" in name for name in local), local
    wait.until(lambda b: "tree" in rows(b, "local"))

    # Technician → customer: a tree made on the technician's side, Ctrl+C from the left pane.
    made = {"outbox": None, "outbox/nothing": None, "outbox/deep/er": None, "outbox/zero.dat": 0,
            "outbox/deep/er/big.bin": 5 * 1024 * 1024 + 3, "outbox/note.txt": 42}
    make(browser, made)
    browser.find_element(By.ID, "file-refresh-local").click()
    wait.until(lambda b: "outbox" in rows(b, "local"))
    put_cursor(browser, "local", "outbox").send_keys(Keys.CONTROL, "c")
    state, text = finished_copy(browser, wait, 2)
    assert state == "done", text
    outbox = os.path.join(home, "outbox")
    for made_path, size in made.items():
        on_disk = os.path.join(home, made_path)
        if size is None:
            assert os.path.isdir(on_disk) and not os.path.islink(on_disk), made_path
        else:
            assert open(on_disk, "rb").read() == local_pattern(made_path, size), made_path
    assert not [name for _, _, names in os.walk(outbox) for name in names if name.startswith(".lifeline-part")]
    # Each file keeps its time (the browser's last change); the browser has no permission bits.
    before = time.time()
    assert abs(os.path.getmtime(os.path.join(outbox, "note.txt")) - before) < 120
    assert oct(os.stat(os.path.join(outbox, "note.txt")).st_mode & 0o777) == "0o644"
    # The customer sees each file arrive, those of a bundle too, in the order they finish.
    applet.expect_each(["FILE_MANAGER_COPY from_technician ~/outbox/note.txt", "FILE_MANAGER_COPY from_technician ~/outbox/deep/er/big.bin"])

    # The same again: the first taken name is asked, "keep both" for all applies to every file.
    put_cursor(browser, "local", "outbox").send_keys(Keys.CONTROL, "c")
    question = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".file-conflict")))
    assert "is already there" in question.text
    question.find_element(By.CSS_SELECTOR, ".file-conflict-all").click()
    question.find_element(By.CSS_SELECTOR, "button[data-choice='rename']").click()
    state, text = finished_copy(browser, wait, 3)
    assert state == "done", text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".file-conflict")) == 0  # asked once
    for kept in ("note (2).txt", "zero (2).dat", os.path.join("deep", "er", "big (2).bin")):
        assert os.path.isfile(os.path.join(outbox, kept)), kept
    assert open(os.path.join(outbox, "note.txt"), "rb").read() == local_pattern("outbox/note.txt", 42)

    # A move from the customer: "sub" arrives on the technician's side, then leaves the customer's.
    applet_sub = os.path.join(tree, "sub", "b.bin")
    moved = sha(open(applet_sub, "rb").read())
    browser.find_element(By.ID, "file-list-customer").send_keys(Keys.HOME)
    put_cursor(browser, "customer", "tree").send_keys(Keys.ENTER)
    wait.until(lambda b: "sub" in rows(b, "customer"))
    browser.find_element(By.ID, "file-list-local").send_keys(Keys.HOME)
    put_cursor(browser, "customer", "sub").send_keys(Keys.CONTROL, "x")
    state, text = finished_copy(browser, wait, 4)
    assert state == "done", text
    assert not os.path.exists(os.path.join(tree, "sub"))
    assert read_local(browser)["sub/b.bin"][1] == moved

    log = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
    assert any("copied ~/outbox/deep/er/big.bin (5.0 MB) to the customer's computer. SHA-256" in line for line in log), log
    assert any("copied ~/tree/sub/b.bin (9.0 MB) from the customer's computer. SHA-256" in line for line in log), log
    assert any("deleted ~/tree/sub on the customer's computer" in line for line in log), log
    # The small files went in bundles: one line for each, every file with its SHA-256 in the audit log.
    assert "Administrator copied 3 files (17 bytes) from ~/tree on the customer's computer. " \
           "Each file's SHA-256 is in the audit log." in log, log
    assert "Administrator copied 2 files (42 bytes) to ~/outbox on the customer's computer. " \
           "Each file's SHA-256 is in the audit log." in log, log
    audit = gateway.api("GET", "admin/audit", token=token)[1]
    bundled = [json.loads(entry["after"]) for entry in audit
               if entry["action"] == "customer_files_changed" and "copy_files_" in (entry.get("after") or "")]
    from_customer = next(entry for entry in bundled if entry["operation"] == "copy_files_from_customer")
    assert {(file["path"], file["bytes"], file["sha256"]) for file in from_customer["files"]} == {
        ("~/tree/a.txt", 5, sha(b"hello")), ("~/tree/zero", 0, sha(b"")), ("~/tree/r\\xE9s.txt", 12, sha(b"latin-1 name"))}, from_customer


def part_size(folder):
    parts = glob.glob(os.path.join(folder, ".lifeline-part-*"))
    return os.path.getsize(parts[0]) if parts else 0


def wait_for_part(folder, at_least, timeout=60):
    """Until an arriving file's part holds `at_least` bytes; its size then."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        size = part_size(folder)
        if size >= at_least:
            return size
        time.sleep(0.005)
    raise AssertionError(f"the part file never reached {at_least} bytes")


def reopen(browser, wait):
    wait.until(EC.element_to_be_clickable((By.ID, "file-manager-open"))).click()
    wait.until(EC.visibility_of_element_located((By.ID, "file-manager-panes")))
    # The technician's folder is remembered for the session.
    assert not browser.find_element(By.ID, "file-local-storage").is_displayed()
    wait.until(lambda b: "big.bin" in rows(b, "local"))


def test_the_red_x_stops_a_copy_at_once_and_a_killed_applet_resumes_where_it_stopped(gateway_for_module, applets, browser, home):
    gateway = gateway_for_module
    runtime = tempfile.mkdtemp(prefix="lifeline-runtime-")
    os.chmod(runtime, 0o700)
    size = 200 * 1024 * 1024 + 5
    session, applet, token, wait = open_panes(browser, gateway, applets, home, env_extra={"XDG_RUNTIME_DIR": runtime})
    make(browser, {"big.bin": size})
    browser.find_element(By.ID, "file-refresh-local").click()
    wait.until(lambda b: "big.bin" in rows(b, "local"))

    # The customer's red X while 200 MB arrive: the applet stops writing and keeps nothing.
    put_cursor(browser, "local", "big.bin").send_keys(Keys.CONTROL, "c")
    wait_for_part(home, 8 * 1024 * 1024)
    applet.say("/close files")
    state, text = finished_copy(browser, wait, 1)
    assert state == "failed" and "The customer closed the file manager" in text, text
    applet.expect("FILE_MANAGER_CLOSED")
    time.sleep(0.5)
    assert part_size(home) == 0 and not os.path.exists(os.path.join(home, "big.bin")), os.listdir(home)

    # Again; this time the applet is killed halfway (a crash, a pulled cable): what arrived stays.
    reopen(browser, wait)
    put_cursor(browser, "local", "big.bin").send_keys(Keys.CONTROL, "c")
    wait_for_part(home, 40 * 1024 * 1024)
    applet.process.send_signal(signal.SIGKILL)
    applet.wait()
    state, text = finished_copy(browser, wait, 2)
    assert state == "failed", text
    left = part_size(home)
    assert 40 * 1024 * 1024 <= left < size, left

    # Started again, the applet rejoins the session; the same copy resumes after what arrived.
    again = applets(gateway.url, "--pin", session["pin"], home=home, remote_consent="accept", env_extra={"XDG_RUNTIME_DIR": runtime})
    again.expect("WELCOME", "state=active")
    reopen(browser, wait)
    put_cursor(browser, "local", "big.bin").send_keys(Keys.CONTROL, "c")
    state, text = finished_copy(browser, wait, 3)
    assert state == "done" and "resumed" in text, text
    arrived = open(os.path.join(home, "big.bin"), "rb").read()
    assert len(arrived) == size and arrived == local_pattern("big.bin", size)
    assert part_size(home) == 0
    log = [entry["text"] for entry in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
    assert any("copied ~/big.bin (200.0 MB) to the customer's computer. SHA-256 " + sha(arrived) in line for line in log), log
    shutil.rmtree(runtime, ignore_errors=True)


def test_copies_without_the_permissions_are_refused_and_said_so(gateway_for_module, applets, browser, home):
    gateway = gateway_for_module
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Browse only", "permissions": [
        "start_private_sessions", "connect_by_pin", "file_manager"]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "bo@e2e.test", "name": "Bo", "password": "Bo password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    bo = gateway.login("bo@e2e.test", "Bo password 1")
    session = gateway.api("POST", "sessions", {"name": "Refused", "method": "pin"}, token=bo, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], home=home, remote_consent="accept")
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=bo, expect=200)
    browser.delete_all_cookies()
    wait = sign_in(browser, gateway, email="bo@e2e.test", password="Bo password 1")
    clear_local(browser)
    make(browser, {"up.txt": 10})
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-files"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "file-manager-open"))).click()
    wait.until(EC.visibility_of_element_located((By.ID, "file-manager-panes")))
    browser.find_element(By.ID, "file-local-storage").click()
    wait.until(lambda b: "up.txt" in rows(b, "local") and "tree" in rows(b, "customer"))

    # Browsing works; copying either way is refused by the gateway, and the copy says why.
    put_cursor(browser, "customer", "tree").send_keys(Keys.CONTROL, "c")
    state, text = finished_copy(browser, wait, 1)
    assert state == "failed" and "does not allow this" in text, text
    put_cursor(browser, "local", "up.txt").send_keys(Keys.CONTROL, "c")
    state, text = finished_copy(browser, wait, 2)
    assert state == "failed" and "does not allow this" in text, text
    assert not os.path.exists(os.path.join(home, "up.txt")) and part_size(home) == 0
    assert "tree" not in read_local(browser)
    # The console does not even ask; the gateway would refuse it anyway, each way.
    console = Console(gateway, bo, session["id"])
    assert console.open()["phase"] == "open"
    assert console.ask({"op": "read", "path": path("tree", "a.txt")})["code"] == "permission_denied"
    assert console.ask({"op": "write", "path": path("up.txt"), "size": 10, "modified": 1})["code"] == "permission_denied"
    assert console.ask({"op": "partial", "path": path("up.txt")})["code"] == "permission_denied"
    console.close()


# What the browser hands a page when files are dropped on it from the desktop: a DataTransfer of
# files. A real drag from outside the browser cannot be driven headless; this is the same event.
DROP = """
const [files, done] = [arguments[0], arguments[arguments.length - 1]];
const transfer = new DataTransfer();
for (const [name, text] of files) transfer.items.add(new File([text], name, { lastModified: 1600000000000 }));
document.getElementById('file-list-customer').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
done(true);
"""


def test_files_dropped_from_the_desktop_land_on_the_customers_side(gateway_for_module, applets, browser, home):
    gateway = gateway_for_module
    session, applet, token, wait = open_panes(browser, gateway, applets, home)
    browser.execute_async_script(DROP, [["dropped.txt", "from the desktop"], ["second.txt", "two"]])
    state, text = finished_copy(browser, wait, 1)
    assert state == "done" and "2 copied" in text, text
    assert open(os.path.join(home, "dropped.txt")).read() == "from the desktop"
    assert open(os.path.join(home, "second.txt")).read() == "two"
    assert os.path.getmtime(os.path.join(home, "dropped.txt")) == 1_600_000_000
    wait.until(lambda b: "dropped.txt" in rows(b, "customer"))
    applet.expect("FILE_MANAGER_COPY from_technician ~/dropped.txt")
