"""The file manager's copies (K3) as a technician does them — the console in headless Chromium,
this browser's storage on the left, the customer's folder on the right, Ctrl+C and Ctrl+R — next
to scp and rsync over ssh on loopback, same data, same run. Usage (run.sh starts sshd first):
    python3 bench.py <bin dir> <big file MiB> <tree files>
Prints one line per measure: what, the tool, the bytes, the seconds, MB/s; then each ratio."""
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import json

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BIN, BIG_MIB, TREE_FILES = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
PORT = 8792
EMAIL, PASSWORD = "bench@lifeline.test", "benchmark password 1"
SSH = os.environ.get("SSH_OPTIONS", "").split()
SSH_COMMAND = "ssh -p 2222 " + " ".join(SSH)
random.seed(17)

# Files written on the technician's side from a description: {path: [size, seed] or null}; the
# bytes are a pattern of the seed repeating every 256 bytes, so Python can write the same.
MAKE_LOCAL = """
const [files, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const root = await navigator.storage.getDirectory();
  const folders = new Map([['', root]]);
  const folderOf = async (path) => {
    if (folders.has(path)) return folders.get(path);
    const cut = path.lastIndexOf('/');
    const parent = await folderOf(cut < 0 ? '' : path.slice(0, cut));
    const made = await parent.getDirectoryHandle(path.slice(cut + 1), { create: true });
    folders.set(path, made);
    return made;
  };
  const block = new Uint8Array(1 << 20);
  for (const [path, spec] of Object.entries(files)) {
    if (spec === null) { await folderOf(path); continue; }
    const [size, seed] = spec;
    for (let i = 0; i < block.length; i += 1) block[i] = (i * 31 + seed) & 255;
    const cut = path.lastIndexOf('/');
    const folder = await folderOf(cut < 0 ? '' : path.slice(0, cut));
    const writable = await (await folder.getFileHandle(path.slice(cut + 1), { create: true })).createWritable();
    for (let at = 0; at < size; at += block.length) await writable.write(block.subarray(0, Math.min(block.length, size - at)));
    await writable.close();
  }
  done(true);
})().catch((error) => done(String(error)));
"""

# The technician's side read back: {path: [size, sha256]} for files.
READ_LOCAL = """
const [prefix, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const out = {};
  let folder = await navigator.storage.getDirectory();
  for (const name of prefix.split('/').filter(Boolean)) folder = await folder.getDirectoryHandle(name);
  const walk = async (folder, at) => {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') { await walk(handle, at + name + '/'); continue; }
      const file = await handle.getFile();
      const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      out[at + name] = [file.size, [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')];
    }
  };
  await walk(folder, '');
  done(out);
})().catch((error) => done({ error: String(error) }));
"""

CLEAR_LOCAL = """
const done = arguments[arguments.length - 1];
(async () => {
  const root = await navigator.storage.getDirectory();
  for await (const name of root.keys()) await root.removeEntry(name, { recursive: true });
  done(true);
})().catch((error) => done(String(error)));
"""


def pattern(size, seed):
    block = bytes(((i * 31 + seed) & 255) for i in range(256))
    return (block * (size // 256 + 1))[:size]


def tree_spec(count):
    """`count` files in folders of 200, mostly small (1–16 KB), 3 % from 16 KB to 1 MB."""
    spec = {}
    for index in range(count):
        folder = f"tree/d{index // 200:03d}"
        spec.setdefault(folder, None)
        size = random.randint(16 * 1024, 1024 * 1024) if random.random() < 0.03 else random.randint(1024, 16 * 1024)
        spec[f"{folder}/f{index:05d}.bin"] = [size, index % 251]
    return {"tree": None, **spec}


def write_tree(base, spec):
    for path, entry in spec.items():
        full = os.path.join(base, path)
        if entry is None:
            os.makedirs(full, exist_ok=True)
        else:
            with open(full, "wb") as out:
                out.write(pattern(*entry))


def digest_tree(base):
    found = {}
    for root, _, files in os.walk(base):
        for name in files:
            full = os.path.join(root, name)
            found[os.path.relpath(full, base)] = [os.path.getsize(full), hashlib.sha256(open(full, "rb").read()).hexdigest()]
    return found


def api(method, path, body=None, token=None):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/api/v1/{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def timed(label, tool, size, work):
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{label:28} {tool:34} {size / 1e6:9.1f} MB {seconds:8.2f} s {size / 1e6 / seconds:8.1f} MB/s", flush=True)
    return seconds


class Console:
    """The technician's console in Chromium, on the session's File Manager tab."""

    def __init__(self, session_id):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"]:
            options.add_argument(argument)
        self.browser = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
        self.browser.set_script_timeout(3600)
        b, wait = self.browser, WebDriverWait(self.browser, 30)
        b.get(f"http://127.0.0.1:{PORT}/console/")
        wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(EMAIL)
        b.find_element(By.ID, "login-password").send_keys(PASSWORD)
        b.find_element(By.ID, "login-submit").click()
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f'#session-list tr[data-session-id="{session_id}"]'))).click()
        wait.until(EC.element_to_be_clickable((By.ID, "tool-files"))).click()
        assert b.execute_async_script(CLEAR_LOCAL) is True
        wait.until(EC.element_to_be_clickable((By.ID, "file-manager-open"))).click()
        wait.until(EC.visibility_of_element_located((By.ID, "file-manager-panes")))
        b.find_element(By.ID, "file-local-storage").click()
        wait.until(EC.visibility_of_element_located((By.ID, "file-list-local")))
        self.copies = 0

    def rows(self, side):
        return self.browser.execute_script(f"return [...document.querySelectorAll('#file-list-{side} .file-row')].map((row) => row.dataset.name)")

    def refresh(self, side, expect):
        self.browser.find_element(By.ID, f"file-refresh-{side}").click()
        WebDriverWait(self.browser, 120).until(lambda _: expect in self.rows(side))

    def press(self, side, name, *keys):
        names = self.rows(side)
        pane = self.browser.find_element(By.ID, f"file-list-{side}")
        pane.send_keys(Keys.HOME, *([Keys.ARROW_DOWN] * names.index(name)), *keys)

    def wait_done(self):
        self.copies += 1
        ended = ".file-copy[data-state='done'], .file-copy[data-state='failed'], .file-copy[data-state='cancelled']"
        WebDriverWait(self.browser, 3600, poll_frequency=0.02).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ended)) >= self.copies)
        newest = self.browser.find_element(By.CSS_SELECTOR, ".file-copy")
        assert newest.get_attribute("data-state") == "done", newest.text

    def copy(self, side, name):
        self.press(side, name, Keys.CONTROL, "c")
        self.wait_done()

    def mirror(self, side):
        self.browser.find_element(By.ID, f"file-list-{side}").send_keys(Keys.CONTROL, "r")
        plan = WebDriverWait(self.browser, 3600).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".file-plan")))
        plan.find_element(By.CSS_SELECTOR, ".file-plan-go").click()
        self.wait_done()

    def enter(self, side, name):
        self.press(side, name, Keys.ENTER)
        WebDriverWait(self.browser, 60).until(lambda b: b.find_element(By.ID, f"file-where-{side}").text.endswith(name))


def scp(*arguments):
    subprocess.run(["scp", "-q", "-P", "2222", *SSH, *arguments], check=True)


def rsync(*arguments):
    subprocess.run(["rsync", "-a", "-e", SSH_COMMAND, *arguments], check=True)


def main():
    work = tempfile.mkdtemp(prefix="lifeline-fm-bench-")
    home, peer = os.path.join(work, "home"), os.path.join(work, "peer")
    os.makedirs(home)
    os.makedirs(peer)
    data = tempfile.mkdtemp(prefix="lifeline-fm-bench-data-")
    env = {**os.environ, "LIFELINE_ADMIN_EMAIL": EMAIL, "LIFELINE_ADMIN_PASSWORD": PASSWORD}
    server = subprocess.Popen([f"{BIN}/lifeline-server", "--host", "127.0.0.1", "--port", str(PORT), "--data-dir", data],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    applet = console = None
    ratios = []
    try:
        for _ in range(100):
            try:
                api("GET", "health")
                break
            except OSError:
                time.sleep(0.1)
        token = api("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})["token"]
        session = api("POST", "sessions", {"name": "Bench", "method": "pin"}, token)
        applet = subprocess.Popen([f"{BIN}/lifeline-applet", "--gateway", f"http://127.0.0.1:{PORT}", "--pin", session["pin"],
                                   "--non-interactive", "--remote-consent", "accept"], env={**os.environ, "HOME": home},
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if api("GET", f"sessions/{session['id']}", None, token)["state"] == "waiting":
                break
            time.sleep(0.1)
        api("POST", f"sessions/{session['id']}/start", None, token)
        console = Console(session["id"])

        # One big file, technician → customer, then back, against scp each way.
        big = BIG_MIB * 1024 * 1024
        assert console.browser.execute_async_script(MAKE_LOCAL, {"big.bin": [big, 7]}) is True
        console.refresh("local", "big.bin")
        ours = timed("big file to the customer", "Lifeline (console → applet)", big, lambda: console.copy("local", "big.bin"))
        assert hashlib.sha256(open(os.path.join(home, "big.bin"), "rb").read()).hexdigest() == hashlib.sha256(pattern(big, 7)).hexdigest()
        with open(os.path.join(work, "big.bin"), "wb") as out:
            out.write(pattern(big, 7))
        theirs = timed("big file to the customer", "scp", big, lambda: scp(os.path.join(work, "big.bin"), f"127.0.0.1:{peer}/"))
        ratios.append(("big file to the customer vs scp", theirs / ours))
        os.rename(os.path.join(home, "big.bin"), os.path.join(home, "from-customer.bin"))
        console.refresh("customer", "from-customer.bin")
        ours = timed("big file to the technician", "Lifeline (applet → console)", big, lambda: console.copy("customer", "from-customer.bin"))
        got = console.browser.execute_async_script(READ_LOCAL, "")
        assert got["from-customer.bin"][1] == hashlib.sha256(pattern(big, 7)).hexdigest()
        theirs = timed("big file to the technician", "scp", big, lambda: scp(f"127.0.0.1:{peer}/big.bin", os.path.join(work, "back.bin")))
        ratios.append(("big file to the technician vs scp", theirs / ours))
        assert console.browser.execute_async_script(CLEAR_LOCAL) is True
        for name in ("from-customer.bin",):
            os.remove(os.path.join(home, name))
        shutil.rmtree(peer)
        os.makedirs(peer)

        # A tree, technician → customer, against scp -r and rsync -a.
        spec = tree_spec(TREE_FILES)
        tree_bytes = sum(entry[0] for entry in spec.values() if entry)
        assert console.browser.execute_async_script(MAKE_LOCAL, spec) is True
        console.refresh("local", "tree")
        ours = timed(f"tree of {TREE_FILES} files to the customer", "Lifeline (console → applet)", tree_bytes, lambda: console.copy("local", "tree"))
        source = os.path.join(work, "source")
        write_tree(source, spec)
        assert digest_tree(os.path.join(home, "tree")) == digest_tree(os.path.join(source, "tree"))
        scp_seconds = timed(f"tree of {TREE_FILES} files to the customer", "scp -r", tree_bytes,
                            lambda: scp("-r", os.path.join(source, "tree"), f"127.0.0.1:{peer}/scp-tree"))
        rsync_seconds = timed(f"tree of {TREE_FILES} files to the customer", "rsync -a (ssh)", tree_bytes,
                              lambda: rsync(os.path.join(source, "tree") + "/", f"127.0.0.1:{peer}/rsync-tree/"))
        ratios.append(("tree to the customer vs scp -r", scp_seconds / ours))
        ratios.append(("tree to the customer vs rsync -a", rsync_seconds / ours))

        # 1 % of the files changed on the technician's side: mirror against rsync -a.
        changed = [path for path, entry in spec.items() if entry][:: 100]
        change = {path: [spec[path][0] + 7, 250] for path in changed}
        assert console.browser.execute_async_script(MAKE_LOCAL, change) is True
        for path, entry in change.items():
            with open(os.path.join(source, path), "wb") as out:
                out.write(pattern(*entry))
        changed_bytes = sum(entry[0] for entry in change.values())
        console.enter("local", "tree")
        console.enter("customer", "tree")
        ours = timed(f"re-sync after {len(changed)} changes", "Lifeline (mirror Ctrl+R)", changed_bytes, lambda: console.mirror("local"))
        assert digest_tree(os.path.join(home, "tree")) == digest_tree(os.path.join(source, "tree"))
        theirs = timed(f"re-sync after {len(changed)} changes", "rsync -a (ssh)", changed_bytes,
                       lambda: rsync(os.path.join(source, "tree") + "/", f"127.0.0.1:{peer}/rsync-tree/"))
        ratios.append(("re-sync vs rsync -a (target ≥ 0.5)", theirs / ours))
        console.browser.find_element(By.ID, "file-list-local").send_keys(Keys.BACKSPACE)
        console.browser.find_element(By.ID, "file-list-customer").send_keys(Keys.BACKSPACE)

        # The tree back, customer → technician, against scp -r and rsync -a.
        assert console.browser.execute_async_script(CLEAR_LOCAL) is True
        console.refresh("customer", "tree")
        ours = timed(f"tree of {TREE_FILES} files to the technician", "Lifeline (applet → console)", tree_bytes,
                     lambda: console.copy("customer", "tree"))
        scp_seconds = timed(f"tree of {TREE_FILES} files to the technician", "scp -r", tree_bytes,
                            lambda: scp("-r", f"127.0.0.1:{peer}/scp-tree", os.path.join(work, "scp-back")))
        rsync_seconds = timed(f"tree of {TREE_FILES} files to the technician", "rsync -a (ssh)", tree_bytes,
                              lambda: rsync(f"127.0.0.1:{peer}/rsync-tree/", os.path.join(work, "rsync-back") + "/"))
        ratios.append(("tree to the technician vs scp -r", scp_seconds / ours))
        ratios.append(("tree to the technician vs rsync -a", rsync_seconds / ours))
        back = console.browser.execute_async_script(READ_LOCAL, "tree")
        assert back == {path.replace(os.sep, "/"): entry for path, entry in digest_tree(os.path.join(home, "tree")).items()}
        for label, ratio in ratios:
            print(f"{label}: {ratio:.2f}× (Lifeline's speed over the peer's)")
    finally:
        if console:
            console.browser.quit()
        if applet:
            applet.kill()
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


main()
