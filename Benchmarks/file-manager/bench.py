"""The file manager's copies (K3) as a technician does them — the console in headless Chromium,
this browser's storage on the left, the customer's folder on the right, Ctrl+C and Ctrl+R — next
to scp and rsync over ssh on loopback, same data, same run. Usage (run.sh starts sshd first):
    python3 bench.py <bin dir> <big file MiB> <tree files>
Prints one line per measure: what, the tool, the bytes, the seconds, MB/s; then each ratio."""
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "e2e"))
from browser_storage import clear_local, make_local, pattern, read_local  # noqa: E402
from gateway import EMAIL, PASSWORD, gateway  # noqa: E402
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BIN, BIG_MIB, TREE_FILES = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# What to run (all by default): "big" (the big file each way), "tree" (the tree to the customer
# and the mirrors), "back" (the tree back and the browser's own floors). The tree's parts alone
# serve while working on the mirror.
PARTS = set(os.environ.get("BENCH_PARTS", "big,tree,back").split(","))
MIRROR_ROUNDS = 3
PORT = 8792
SSH = os.environ.get("SSH_OPTIONS", "").split()
SSH_COMMAND = "ssh -p 2222 " + " ".join(SSH)
random.seed(17)

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


def note(text):
    print(f"  [{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def timed(label, tool, size, work):
    # Nothing the run before left unwritten is flushed on this one's time (rsync and scp never
    # sync; Lifeline syncs each file before it is put in place).
    os.sync()
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
        clear_local(b)
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
        plan = WebDriverWait(self.browser, 3600, poll_frequency=0.02).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".file-plan")))
        plan.find_element(By.CSS_SELECTOR, ".file-plan-go").click()
        self.wait_done()

    def profile(self):
        """With BENCH_JS_PROFILE (a path prefix), the page's JavaScript is profiled from here."""
        if os.environ.get("BENCH_JS_PROFILE"):
            self.browser.execute_cdp_cmd("Profiler.enable", {})
            self.browser.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 200})
            self.browser.execute_cdp_cmd("Profiler.start", {})

    def profiled(self, name):
        """The profile since `profile()`, kept as BENCH_JS_PROFILE-<name>.cpuprofile (Chromium's DevTools reads it)."""
        if os.environ.get("BENCH_JS_PROFILE"):
            with open(f"{os.environ['BENCH_JS_PROFILE']}-{name}.cpuprofile", "w") as out:
                json.dump(self.browser.execute_cdp_cmd("Profiler.stop", {})["profile"], out)

    def phases(self):
        """The console's own measures of its last synchronise or mirror (plan, listings, copy)."""
        measures = self.browser.execute_script(
            "const found = performance.getEntriesByType('measure').filter((m) => m.name.startsWith('files: '))"
            ".map((m) => [m.name.slice(7), m.duration / 1000]); performance.clearMeasures(); return found;")
        totals = {}
        for name, seconds in measures:
            count, total = totals.get(name, (0, 0.0))
            totals[name] = (count + 1, total + seconds)
        # Repeated parts (each bundle's) as their count and mean.
        return ", ".join(f"{name} {total:.2f} s" if count == 1 else f"{name} {count}× {total / count * 1000:.0f} ms"
                         for name, (count, total) in totals.items())

    def enter(self, side, name):
        self.press(side, name, Keys.ENTER)
        WebDriverWait(self.browser, 60).until(lambda b: b.find_element(By.ID, f"file-where-{side}").text.endswith(name))


# The browser alone, no network: the same files written into (or read from) its storage from the
# page's memory, sixteen at a time — the least any copy through a browser's file API can take.
BROWSER_FLOOR = """
const [files, mode, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
(async () => {
  const root = await navigator.storage.getDirectory();
  const base = await root.getDirectoryHandle('floor', { create: true });
  const folders = new Map([['', base]]);
  const folderOf = async (path) => {
    if (!folders.has(path)) {
      const cut = path.lastIndexOf('/');
      folders.set(path, (await folderOf(cut < 0 ? '' : path.slice(0, cut))).getDirectoryHandle(path.slice(cut + 1), { create: true }));
    }
    return folders.get(path);
  };
  const entries = Object.entries(files).filter(([, spec]) => spec !== null);
  for (const [path, spec] of Object.entries(files)) if (spec === null) await folderOf(path);
  const bytes = new Uint8Array(1 << 20);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < entries.length) {
      const [path, [size]] = entries[next++];
      const cut = path.lastIndexOf('/');
      const handle = await (await folderOf(cut < 0 ? '' : path.slice(0, cut))).getFileHandle(path.slice(cut + 1), { create: mode === 'write' });
      if (mode === 'write') {
        const writable = await handle.createWritable();
        await writable.write(bytes.subarray(0, size));
        await writable.close();
      } else {
        await (await handle.getFile()).arrayBuffer();
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  done(performance.now() - started);
})().catch((error) => done(String(error)));
"""

# The browser alone listing what the write above made: each folder's entries and each file's size
# and time (getFile), sixteen files of a folder and eight folders at a time as the console lists —
# what a mirror's plan needs of the technician's side before it can compare anything.
LISTING_FLOOR = """
const done = arguments[arguments.length - 1];
(async () => {
  const started = performance.now();
  let files = 0;
  const visit = async (folder) => {
    const entries = [];
    for await (const [, handle] of folder.entries()) entries.push(handle);
    let next = 0;
    const describe = async () => {
      while (next < entries.length) {
        const handle = entries[next++];
        if (handle.kind === 'file') { await handle.getFile(); files += 1; }
      }
    };
    await Promise.all(Array.from({ length: 16 }, describe));
    const folders = entries.filter((handle) => handle.kind === 'directory');
    let nextFolder = 0;
    await Promise.all(Array.from({ length: 8 }, async () => { while (nextFolder < folders.length) await visit(folders[nextFolder++]); }));
  };
  await visit(await (await navigator.storage.getDirectory()).getDirectoryHandle('floor'));
  done([performance.now() - started, files]);
})().catch((error) => done(String(error)));
"""

# The browser alone writing one big file into its storage from memory in 4 MiB pieces, then
# reading it back as a stream: what a big copy to or from the technician's side cannot beat.
BIG_FLOOR = """
const [size, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle('floor-big.bin', { create: true });
  const piece = new Uint8Array(4 << 20).fill(7);
  let started = performance.now();
  const writable = await handle.createWritable();
  for (let offset = 0; offset < size; offset += piece.length) await writable.write(piece.subarray(0, Math.min(piece.length, size - offset)));
  await writable.close();
  const wrote = performance.now() - started;
  started = performance.now();
  const reader = (await handle.getFile()).stream().getReader();
  let read = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) read += chunk.value.length;
  const readTime = performance.now() - started;
  await root.removeEntry('floor-big.bin');
  done([wrote, readTime, read]);
})().catch((error) => done(String(error)));
"""


def browser_floor(browser, spec, mode):
    milliseconds = browser.execute_async_script(BROWSER_FLOOR, spec, mode)
    assert isinstance(milliseconds, (int, float)), milliseconds
    return milliseconds / 1000


def scp(*arguments):
    subprocess.run(["scp", "-q", "-P", "2222", *SSH, *arguments], check=True)


def rsync(*arguments):
    subprocess.run(["rsync", "-a", "-e", SSH_COMMAND, *arguments], check=True)


def main():
    work = tempfile.mkdtemp(prefix="lifeline-fm-bench-")
    home, peer = os.path.join(work, "home"), os.path.join(work, "peer")
    os.makedirs(home)
    os.makedirs(peer)
    applet = console = None
    ratios = []
    running = gateway(BIN, PORT)
    served = running.__enter__()
    api, token = served.api, served.token
    try:
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

        big = BIG_MIB * 1024 * 1024
        if "big" in PARTS:
            # One big file, technician → customer, then back, against scp each way.
            make_local(console.browser, {"big.bin": [big, 7]})
            console.refresh("local", "big.bin")
            note("the big file to the customer")
            ours = timed("big file to the customer", "Lifeline (console → applet)", big, lambda: console.copy("local", "big.bin"))
            print(f"{'':28} {'of which: ' + console.phases()}", flush=True)
            assert hashlib.sha256(open(os.path.join(home, "big.bin"), "rb").read()).hexdigest() == hashlib.sha256(pattern(big, 7)).hexdigest()
            with open(os.path.join(work, "big.bin"), "wb") as out:
                out.write(pattern(big, 7))
            theirs = timed("big file to the customer", "scp", big, lambda: scp(os.path.join(work, "big.bin"), f"127.0.0.1:{peer}/"))
            ratios.append(("big file to the customer vs scp", theirs / ours))
            os.rename(os.path.join(home, "big.bin"), os.path.join(home, "from-customer.bin"))
            console.refresh("customer", "from-customer.bin")
            ours = timed("big file to the technician", "Lifeline (applet → console)", big, lambda: console.copy("customer", "from-customer.bin"))
            print(f"{'':28} {'of which: ' + console.phases()}", flush=True)
            got = read_local(console.browser)
            assert got["from-customer.bin"][1] == hashlib.sha256(pattern(big, 7)).hexdigest()
            theirs = timed("big file to the technician", "scp", big, lambda: scp(f"127.0.0.1:{peer}/big.bin", os.path.join(work, "back.bin")))
            ratios.append(("big file to the technician vs scp", theirs / ours))
            clear_local(console.browser)
            for name in ("from-customer.bin",):
                os.remove(os.path.join(home, name))
            shutil.rmtree(peer)
            os.makedirs(peer)

        # A tree, technician → customer, against scp -r and rsync -a.
        note("making the tree on the technician's side")
        spec = tree_spec(TREE_FILES)
        tree_bytes = sum(entry[0] for entry in spec.values() if entry)
        make_local(console.browser, spec)
        note("tree made")
        console.refresh("local", "tree")
        console.profile()
        ours = timed(f"tree of {TREE_FILES} files to the customer", "Lifeline (console → applet)", tree_bytes, lambda: console.copy("local", "tree"))
        console.profiled("to-customer")
        print(f"{'':28} {'of which: ' + console.phases()}", flush=True)
        source = os.path.join(work, "source")
        write_tree(source, spec)
        assert digest_tree(os.path.join(home, "tree")) == digest_tree(os.path.join(source, "tree"))
        scp_seconds = timed(f"tree of {TREE_FILES} files to the customer", "scp -r", tree_bytes,
                            lambda: scp("-r", os.path.join(source, "tree"), f"127.0.0.1:{peer}/scp-tree"))
        rsync_seconds = timed(f"tree of {TREE_FILES} files to the customer", "rsync -a (ssh)", tree_bytes,
                              lambda: rsync(os.path.join(source, "tree") + "/", f"127.0.0.1:{peer}/rsync-tree/"))
        ratios.append(("tree to the customer vs scp -r", scp_seconds / ours))
        ratios.append(("tree to the customer vs rsync -a", rsync_seconds / ours))

        # 1 % of the files changed on the technician's side: mirror against rsync -a, three times
        # (other files each time), the console's own measures of its plan and copy printed.
        console.enter("local", "tree")
        console.enter("customer", "tree")
        for round in range(MIRROR_ROUNDS):
            changed = [path for path, entry in spec.items() if entry][round * 37 :: 100]
            change = {path: [spec[path][0] + 7 + round, 250 - round] for path in changed}
            make_local(console.browser, change)
            for path, entry in change.items():
                with open(os.path.join(source, path), "wb") as out:
                    out.write(pattern(*entry))
            changed_bytes = sum(entry[0] for entry in change.values())
            ours = timed(f"re-sync after {len(changed)} changes", "Lifeline (mirror Ctrl+R)", changed_bytes, lambda: console.mirror("local"))
            print(f"{'':28} {'of which: ' + console.phases()}", flush=True)
            assert digest_tree(os.path.join(home, "tree")) == digest_tree(os.path.join(source, "tree"))
            theirs = timed(f"re-sync after {len(changed)} changes", "rsync -a (ssh)", changed_bytes,
                           lambda: rsync(os.path.join(source, "tree") + "/", f"127.0.0.1:{peer}/rsync-tree/"))
            ratios.append((f"re-sync {round + 1} vs rsync -a (target ≥ 0.5)", theirs / ours))
        if "back" not in PARTS:
            for label, ratio in ratios:
                print(f"{label}: {ratio:.2f}× (Lifeline's speed over the peer's)")
            return
        console.browser.find_element(By.ID, "file-list-local").send_keys(Keys.BACKSPACE)
        console.browser.find_element(By.ID, "file-list-customer").send_keys(Keys.BACKSPACE)

        # The tree back, customer → technician, against scp -r and rsync -a.
        clear_local(console.browser)
        console.refresh("customer", "tree")
        console.phases()  # what came before is not this copy's
        console.profile()
        ours = timed(f"tree of {TREE_FILES} files to the technician", "Lifeline (applet → console)", tree_bytes,
                     lambda: console.copy("customer", "tree"))
        console.profiled("to-technician")
        print(f"{'':28} {'of which: ' + console.phases()}", flush=True)
        scp_seconds = timed(f"tree of {TREE_FILES} files to the technician", "scp -r", tree_bytes,
                            lambda: scp("-r", f"127.0.0.1:{peer}/scp-tree", os.path.join(work, "scp-back")))
        rsync_seconds = timed(f"tree of {TREE_FILES} files to the technician", "rsync -a (ssh)", tree_bytes,
                              lambda: rsync(f"127.0.0.1:{peer}/rsync-tree/", os.path.join(work, "rsync-back") + "/"))
        ratios.append(("tree to the technician vs scp -r", scp_seconds / ours))
        ratios.append(("tree to the technician vs rsync -a", rsync_seconds / ours))
        back = {path: entry for path, entry in read_local(console.browser, "tree").items() if entry}
        assert back == {path.replace(os.sep, "/"): entry for path, entry in digest_tree(os.path.join(home, "tree")).items()}

        # What the browser's file API alone costs for the same files (no network, no hashing).
        seconds = browser_floor(console.browser, spec, "write")
        print(f"{'browser alone, no network':28} {'writing the tree into its storage':34} {tree_bytes / 1e6:9.1f} MB {seconds:8.2f} s", flush=True)
        seconds = browser_floor(console.browser, spec, "read")
        print(f"{'browser alone, no network':28} {'reading the tree from its storage':34} {tree_bytes / 1e6:9.1f} MB {seconds:8.2f} s", flush=True)
        # A mirror's plan needs every file's size and time on the browser's side: getFile each.
        milliseconds, files = console.browser.execute_async_script(LISTING_FLOOR)
        assert files == sum(1 for entry in spec.values() if entry), files
        print(f"{'browser alone, no network':28} {'listing it: sizes and times':34} {files:6d} files {milliseconds / 1000:8.2f} s", flush=True)
        wrote, read, count = console.browser.execute_async_script(BIG_FLOOR, big)
        assert count == big, count
        print(f"{'browser alone, no network':28} {'writing the big file (4 MiB pieces)':34} {big / 1e6:9.1f} MB {wrote / 1000:8.2f} s", flush=True)
        print(f"{'browser alone, no network':28} {'reading the big file (a stream)':34} {big / 1e6:9.1f} MB {read / 1000:8.2f} s", flush=True)
        for label, ratio in ratios:
            print(f"{label}: {ratio:.2f}× (Lifeline's speed over the peer's)")
    finally:
        if console:
            console.browser.quit()
        if applet:
            applet.kill()
        running.__exit__(None, None, None)
        shutil.rmtree(work, ignore_errors=True)


main()
