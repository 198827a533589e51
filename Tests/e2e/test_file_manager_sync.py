"""Synchronise (Ctrl+S) and mirror (Ctrl+R) in the console with a real applet (K3): the plan shown
before anything changes, newer wins both ways, a mirror's delete list confirmed first — and the
technician's folder's listings, kept between plans and followed by the browser's
FileSystemObserver, missing no change made to that folder by anything but the console."""
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from browser_storage import read_local
from test_file_manager import rows
from test_file_manager_copies import finished_copy, home, local_pattern, make, open_panes, put_cursor, sha  # noqa: F401 (home: a fixture)

def enter(browser, source, name):
    put_cursor(browser, source, name).send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(lambda b: b.find_element(By.ID, f"file-where-{source}").text.endswith(name))


def test_synchronise_both_ways_and_mirror_with_its_delete_list(gateway_for_module, applets, browser, home):
    gateway = gateway_for_module
    work = os.path.join(home, "work")
    os.makedirs(work)
    now = time.time()
    made = {"work": None, "work/a.txt": 10, "work/only-local.txt": 20, "work/sub": None, "work/sub/deep.txt": 30,
            "work/same.txt": 16, "work/newer-customer.txt": 5}
    for name, text, when in (("a.txt", "old customer text", now - 3600), ("only-customer.txt", "theirs", now - 60),
                             ("newer-customer.txt", "changed by the customer", now + 3600)):
        open(os.path.join(work, name), "w").write(text)
        os.utime(os.path.join(work, name), (when, when))
    open(os.path.join(work, "same.txt"), "wb").write(local_pattern("work/same.txt", 16))
    os.utime(os.path.join(work, "same.txt"), (1_000_000, 1_000_000))
    session, applet, token, wait = open_panes(browser, gateway, applets, home)
    make(browser, made)
    browser.find_element(By.ID, "file-refresh-local").click()
    wait.until(lambda b: "work" in rows(b, "local"))
    enter(browser, "local", "work")
    enter(browser, "customer", "work")

    # Ctrl+S: the plan first — what goes each way; the same content (other time) stays.
    browser.find_element(By.ID, "file-list-local").send_keys(Keys.CONTROL, "s")
    plan = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".file-plan")))
    to_customer = plan.find_element(By.CSS_SELECTOR, ".file-plan-list.to-right").text.split("\n")
    to_local = plan.find_element(By.CSS_SELECTOR, ".file-plan-list.to-left").text.split("\n")
    assert sorted(to_customer) == ["a.txt", "only-local.txt", "sub/", "sub/deep.txt"], to_customer
    assert sorted(to_local) == ["newer-customer.txt", "only-customer.txt"], to_local
    assert os.path.getsize(os.path.join(work, "a.txt")) == len("old customer text"), "nothing changes before Start"
    plan.find_element(By.CSS_SELECTOR, ".file-plan-go").click()
    state, text = finished_copy(browser, wait, 2)
    assert state == "done", text
    assert open(os.path.join(work, "a.txt"), "rb").read() == local_pattern("work/a.txt", 10)
    assert open(os.path.join(work, "sub", "deep.txt"), "rb").read() == local_pattern("work/sub/deep.txt", 30)
    local = read_local(browser)
    assert local["work/newer-customer.txt"] == [23, sha(b"changed by the customer")]
    assert local["work/only-customer.txt"] == [6, sha(b"theirs")]
    assert os.path.getmtime(os.path.join(work, "same.txt")) == 1_000_000, "same content: not copied"

    # Again: both sides hold the same, though the times copied into the browser differ.
    browser.find_element(By.ID, "file-list-local").send_keys(Keys.CONTROL, "s")
    plan = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".file-plan")))
    assert "already hold the same" in plan.text
    plan.find_element(By.CSS_SELECTOR, ".file-plan-cancel").click()

    # Mirror from the technician's side: extras on the customer's are listed, and deleted only
    # once the technician ticks that they checked the list.
    os.makedirs(os.path.join(work, "extra folder", "inner"))
    open(os.path.join(work, "extra folder", "inner", "x"), "w").write("x")
    open(os.path.join(work, "extra.txt"), "w").write("extra")
    make(browser, {"work/sub/deep.txt": 31})
    browser.find_element(By.ID, "file-list-local").send_keys(Keys.CONTROL, "r")
    plan = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".file-plan")))
    assert sorted(plan.find_element(By.CSS_SELECTOR, ".file-plan-list.delete").text.split("\n")) == ["extra folder/", "extra.txt"]
    assert plan.find_element(By.CSS_SELECTOR, ".file-plan-list.to-right").text.split("\n") == ["sub/deep.txt"]
    go = plan.find_element(By.CSS_SELECTOR, ".file-plan-go")
    assert not go.is_enabled() and "delete 2" in go.text
    plan.find_element(By.CSS_SELECTOR, ".file-plan-confirm").click()
    # Changed again while the plan waits: what goes is the file as it is now, not as listed.
    make(browser, {"work/sub/deep.txt": 33})
    go.click()
    state, text = finished_copy(browser, wait, 3)
    assert state == "done" and "2 deleted" in text, text
    on_disk = sorted(os.path.relpath(os.path.join(root, name), work) for root, folders, files in os.walk(work) for name in folders + files)
    in_browser = sorted(path[len("work/"):] for path in read_local(browser) if path.startswith("work/"))
    assert on_disk == in_browser, (on_disk, in_browser)
    assert open(os.path.join(work, "sub", "deep.txt"), "rb").read() == local_pattern("work/sub/deep.txt", 33)


# Changes made by script, as another program or tab would make them: one file rewritten with
# another size, one removed, one renamed, a folder replaced by a file of its name, new folders.
CHANGE_BEHIND_THE_CONSOLE = """
const done = arguments[arguments.length - 1];
(async () => {
  const kept = await (await navigator.storage.getDirectory()).getDirectoryHandle('kept');
  const a = await kept.getDirectoryHandle('a');
  const writable = await (await a.getFileHandle('one.txt')).createWritable();
  await writable.write(new Uint8Array(101).fill(1));
  await writable.close();
  await kept.removeEntry('gone.txt');
  await (await (await kept.getDirectoryHandle('b')).getFileHandle('three.txt')).move('moved.txt');
  await kept.removeEntry('folder-then-file', { recursive: true });
  const replaced = await (await kept.getFileHandle('folder-then-file', { create: true })).createWritable();
  await replaced.write(new Uint8Array(7).fill(2));
  await replaced.close();
  const deep = await (await kept.getDirectoryHandle('new', { create: true })).getDirectoryHandle('deep', { create: true });
  await (await deep.getFileHandle('x.txt', { create: true })).createWritable().then((w) => w.write('x').then(() => w.close()));
  done(true);
})().catch((error) => done(String(error)));
"""


# Each file of the technician's side the page asks for its size and time, by name.
COUNT_READS = """
const original = FileSystemFileHandle.prototype.getFile;
window.filesRead = [];
FileSystemFileHandle.prototype.getFile = function getFile() { window.filesRead.push(this.name); return original.call(this); };
"""


def mirror_plan(browser, wait):
    """Ctrl+R's plan: the plan, its lists by kind, and the technician's files read to make it."""
    browser.execute_script("window.filesRead = []")
    browser.find_element(By.ID, "file-list-local").send_keys(Keys.CONTROL, "r")
    plan = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".file-plan")))
    shown = {kind: sorted(element.text.split("\n")) for kind in ("to-right", "delete")
             for element in plan.find_elements(By.CSS_SELECTOR, f".file-plan-list.{kind}")}
    return plan, shown, browser.execute_script("return window.filesRead")


def test_a_kept_listing_misses_no_change_made_behind_the_consoles_back(gateway_for_module, applets, browser, home):
    gateway = gateway_for_module
    work = os.path.join(home, "kept")
    os.makedirs(work)
    session, applet, token, wait = open_panes(browser, gateway, applets, home)
    browser.execute_script(COUNT_READS)
    make(browser, {"kept": None, "kept/a": None, "kept/a/one.txt": 100, "kept/a/two.txt": 200, "kept/b": None,
                   "kept/b/three.txt": 300, "kept/gone.txt": 40, "kept/folder-then-file": None,
                   "kept/folder-then-file/inner.txt": 5})
    browser.find_element(By.ID, "file-refresh-local").click()
    wait.until(lambda b: "kept" in rows(b, "local"))
    enter(browser, "local", "kept")
    enter(browser, "customer", "kept")

    # The first mirror lists the technician's folder and keeps the listing (its top, shown in
    # the pane, was listed then).
    plan, shown, read = mirror_plan(browser, wait)
    assert {"one.txt", "two.txt", "three.txt", "inner.txt"} <= set(read), read
    assert shown["to-right"] == ["a/", "a/one.txt", "a/two.txt", "b/", "b/three.txt", "folder-then-file/",
                                 "folder-then-file/inner.txt", "gone.txt"], shown
    plan.find_element(By.CSS_SELECTOR, ".file-plan-go").click()
    state, text = finished_copy(browser, wait, 1)
    assert state == "done", text

    # Changed behind the console's back: the next plan holds every change, and only those, and
    # reads only what changed.
    assert browser.execute_async_script(CHANGE_BEHIND_THE_CONSOLE) is True
    plan, shown, read = mirror_plan(browser, wait)
    assert "one.txt" in read and "two.txt" not in read and "inner.txt" not in read, read
    assert shown == {"to-right": ["a/one.txt", "b/moved.txt", "folder-then-file", "new/", "new/deep/", "new/deep/x.txt"],
                     "delete": ["b/three.txt", "folder-then-file/", "gone.txt"]}, shown
    plan.find_element(By.CSS_SELECTOR, ".file-plan-confirm").click()
    plan.find_element(By.CSS_SELECTOR, ".file-plan-go").click()
    state, text = finished_copy(browser, wait, 2)
    assert state == "done" and "3 deleted" in text, text
    local = read_local(browser)
    on_disk = sorted(os.path.relpath(os.path.join(root, name), work) for root, folders, files in os.walk(work) for name in folders + files)
    assert on_disk == sorted(path[len("kept/"):] for path in local if path.startswith("kept/")), on_disk
    assert open(os.path.join(work, "a", "one.txt"), "rb").read() == bytes([1]) * 101
    assert open(os.path.join(work, "folder-then-file"), "rb").read() == bytes([2]) * 7
    # The barrier's marker files never stay, nor show.
    assert not [path for path in local if ".lifeline-settle-" in path], local
    browser.find_element(By.ID, "file-list-local").send_keys(Keys.BACKSPACE)
    wait.until(lambda b: "kept" in rows(b, "local"))
    assert not [name for name in rows(browser, "local") if name.startswith(".lifeline-settle-")]

    # Nothing left to do: no change is seen twice.
    enter(browser, "local", "kept")
    plan, shown, read = mirror_plan(browser, wait)
    assert read == [], read
    assert shown == {} and "already hold the same" in plan.text, (shown, plan.text)
    plan.find_element(By.CSS_SELECTOR, ".file-plan-cancel").click()


def test_a_copy_plan_lists_folders_at_once_each_before_what_it_holds_and_goes_past_one_it_cannot_list(gateway_for_module, browser):
    """Web/components/file-copy-plan.js in the real browser against a source of the test's (a
    single part, so a made-up source): 30 folders listed at most eight at once, items in batches
    with each folder before what it holds, and a folder that cannot be listed reported and left out
    while the rest goes on."""
    browser.get(f"{gateway_for_module.url}/console/")
    results = browser.execute_async_script("""
        const done = arguments[0];
        import('/components/file-copy-plan.js').then(async ({ planCopy }) => {
          const tree = { top: ['f1', 'broken', ...Array.from({ length: 30 }, (_, i) => `d${i}`)] };
          for (let i = 0; i < 30; i += 1) tree[`top/d${i}`] = [`d${i}/x.txt`, `d${i}/inner`];
          for (let i = 0; i < 30; i += 1) tree[`top/d${i}/inner`] = [`inner-${i}.txt`];
          let now = 0, most = 0;
          const entry = (name) => ({ name: name.split('/').pop(), kind: /\\.txt$|^f1$/.test(name) ? 'file' : 'folder', size: 1 });
          const source = {
            list: async (path) => {
              now += 1; most = Math.max(most, now);
              await new Promise((resolve) => setTimeout(resolve, 5));
              now -= 1;
              const key = ['top', ...path.names].join('/');
              if (key === 'top/broken') throw Object.assign(new Error('gone'), { code: 'not_found' });
              return tree[key].map(entry);
            },
          };
          const failed = [];
          const order = [];
          const tops = tree.top.map(entry);
          for await (const batch of planCopy(source, { root: 'home', names: [] }, tops, new AbortController().signal,
                                             (item, error) => failed.push([item.relative.join('/'), error.message]))) {
            for (const item of batch) order.push(item.relative.join('/'));
          }
          done({ order, failed, most });
        });""")
    order = results["order"]
    assert len(order) == 2 + 30 * 4 and len(set(order)) == len(order), order
    for position, path in enumerate(order):
        if "/" in path:
            assert order.index(path.rsplit("/", 1)[0]) < position, f"{path} before its folder"
    assert results["failed"] == [["broken", "gone"]]
    assert 1 < results["most"] <= 8, results["most"]


def test_kept_listings_stop_at_their_limit_and_are_read_afresh_beyond_it(gateway_for_module, browser):
    """Web/components/file-sources.js on this browser's storage: a folder listed twice is read
    once while its entries fit the limit of kept entries, and read whole each time beyond it."""
    browser.get(f"{gateway_for_module.url}/console/")
    results = browser.execute_async_script("""
        const done = arguments[0];
        import('/components/file-sources.js').then(async ({ localSource }) => {
          const root = await navigator.storage.getDirectory();
          const folder = await root.getDirectoryHandle('limit', { create: true });
          for (let i = 0; i < 10; i += 1) await folder.getFileHandle(`f${i}`, { create: true });
          let reads = 0;
          const original = FileSystemFileHandle.prototype.getFile;
          FileSystemFileHandle.prototype.getFile = function getFile() { reads += 1; return original.call(this); };
          const twice = async (maxKept) => {
            const source = localSource(folder, { keep: true, maxKept });
            const counts = [];
            for (const round of [1, 2]) {
              const before = reads;
              const names = (await source.list({ root: 'local', names: [] })).map((entry) => entry.name);
              counts.push([reads - before, names.length]);
            }
            source.close();
            return counts;
          };
          const out = { over: await twice(5), within: await twice(100) };
          FileSystemFileHandle.prototype.getFile = original;
          await root.removeEntry('limit', { recursive: true });
          done(out);
        }).catch((error) => done(String(error)));""")
    assert results == {"over": [[10, 10], [10, 10]], "within": [[10, 10], [0, 10]]}, results
