"""The technician's side of the file manager in a test or benchmark browser: this browser's
origin-private file system (the handles a chosen folder has), filled, read back and emptied by
script. File bytes are a pattern of a seed repeating every 256 bytes, so Python writes the same."""

# Files from a description {path: [size, seed], or None for a folder}.
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
    for (let i = 0; i < 256; i += 1) block[i] = (i * 31 + seed) & 255;
    for (let filled = 256; filled < Math.min(size, block.length); filled *= 2) block.copyWithin(filled, 0, filled);
    const cut = path.lastIndexOf('/');
    const folder = await folderOf(cut < 0 ? '' : path.slice(0, cut));
    const writable = await (await folder.getFileHandle(path.slice(cut + 1), { create: true })).createWritable();
    for (let at = 0; at < size; at += block.length) await writable.write(block.subarray(0, Math.min(block.length, size - at)));
    await writable.close();
  }
  done(true);
})().catch((error) => done(String(error)));
"""

# Everything below a folder ('' for the root): {path: [size, sha256], or None for a folder}.
READ_LOCAL = """
const [prefix, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const out = {};
  let folder = await navigator.storage.getDirectory();
  for (const name of prefix.split('/').filter(Boolean)) folder = await folder.getDirectoryHandle(name);
  const walk = async (folder, at) => {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') { out[at + name] = null; await walk(handle, at + name + '/'); continue; }
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


def make_local(browser, files):
    assert browser.execute_async_script(MAKE_LOCAL, files) is True


def read_local(browser, prefix=""):
    found = browser.execute_async_script(READ_LOCAL, prefix)
    assert "error" not in found, found
    return found


def clear_local(browser):
    assert browser.execute_async_script(CLEAR_LOCAL) is True
