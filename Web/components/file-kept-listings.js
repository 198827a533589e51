// The technician's folder's listings kept between uses and followed by the browser's
// FileSystemObserver, so a synchronise or mirror of a large tree does not read every file's size
// and time again (the File System Access API has no call giving a folder's at once: one
// `getFile` per file, 20,000 of them cost more than rsync's whole re-synchronisation).
//
// A kept listing is trusted only after a barrier: a marker file is made at the folder's top and
// its record awaited — the observer reports changes in the order they happened, so every change
// made before the marker has then been applied. An observer that reports it lost track
// ('unknown', 'errored'), a barrier that fails or takes too long: everything is listed afresh.
// Only the names a record touched are described again; the rest of a folder stays as listed.

/** Made and removed at the folder's top by each barrier; never listed. */
export const MARKER_PREFIX = '.lifeline-settle-';
/** A barrier whose record has not come by then: the kept listings are not trusted. */
const SETTLE_WAIT_MS = 1000;
/** Entries kept at most (each holds its file's snapshot): a folder of millions is listed afresh
 * each time rather than held in the page's memory. */
const MAX_KEPT_ENTRIES = 250_000;

const keyOf = (names) => names.join('\0');

/**
 * `directory`: the folder handle the source walks. `readFolder(folder)` lists a folder afresh
 * (each entry with its size, time and `file` snapshot); `describe(folder, name)` one entry, null
 * when it is gone. Returns null where the browser has no FileSystemObserver.
 */
export function keptListings(directory, { readFolder, describe, maxEntries = MAX_KEPT_ENTRIES }) {
  if (typeof FileSystemObserver !== 'function') return null;
  let kept = 0; // entries held in `folders`
  // Folder key → {entries: Map name → entry, or null while first listed; stale: names a record touched}.
  const folders = new Map();
  const markers = new Map(); // marker name → resolve, once its record came
  let live = false;

  const forget = (key) => {
    kept -= folders.get(key)?.entries?.size ?? 0;
    folders.delete(key);
  };
  const forgetAll = () => {
    folders.clear();
    kept = 0;
  };
  const forgetBelow = (names) => {
    const key = keyOf(names);
    for (const other of [...folders.keys()]) {
      if (other === key || other.startsWith(`${key}\0`)) forget(other);
    }
  };
  const touched = (names) => {
    if (names.length === 0) return;
    const held = folders.get(keyOf(names.slice(0, -1)));
    held?.stale.add(names[names.length - 1]);
  };
  const take = (record) => {
    const names = record.relativePathComponents ?? [];
    if (names.length === 1 && names[0].startsWith(MARKER_PREFIX)) {
      if (record.type === 'appeared') markers.get(names[0])?.();
      return;
    }
    switch (record.type) {
      case 'appeared':
      case 'modified':
        touched(names);
        break;
      case 'disappeared':
        touched(names);
        forgetBelow(names);
        break;
      case 'moved': {
        const from = record.relativePathMovedFrom ?? [];
        touched(from);
        forgetBelow(from);
        touched(names);
        forgetBelow(names);
        break;
      }
      default:
        // 'unknown' (records were lost) or 'errored' (no more will come).
        forgetAll();
        if (record.type === 'errored') live = false;
    }
  };

  const observer = new FileSystemObserver((records) => records.forEach(take));
  const ready = observer.observe(directory, { recursive: true }).then(() => { live = true; }, (error) => {
    console.warn('The folder is listed afresh each time (the browser cannot follow its changes):', error.message);
  });

  /** Waits until every change made before now has been applied; false: list afresh instead. */
  async function settle() {
    await ready;
    if (!live) return false;
    const name = `${MARKER_PREFIX}${crypto.randomUUID()}`;
    const arrived = new Promise((resolve) => markers.set(name, () => resolve(true)));
    let timer;
    try {
      await directory.getFileHandle(name, { create: true });
      const late = new Promise((resolve) => { timer = setTimeout(() => resolve(false), SETTLE_WAIT_MS); });
      if (await Promise.race([arrived, late])) return true;
    } catch (error) {
      // A folder the technician may only read: no marker can be made there.
      console.warn('The folder is listed afresh (no marker could be made in it):', error.message);
    } finally {
      clearTimeout(timer);
      markers.delete(name);
      await directory.removeEntry(name).catch((error) => {
        if (error.name !== 'NotFoundError') console.warn('A marker could not be removed:', error.message);
      });
    }
    forgetAll();
    return false;
  }

  /** The folder at `names` (its handle `folder`): kept, with the names records touched described again. */
  async function list(names, folder) {
    const key = keyOf(names);
    let held = folders.get(key);
    if (!held || !held.entries) {
      // A slot first, so what changes while it is read is marked for the next time.
      held = { entries: null, stale: new Set() };
      folders.set(key, held);
      const entries = await readFolder(folder);
      if (folders.get(key) !== held) return entries;
      if (kept + entries.length > maxEntries) {
        folders.delete(key);
        return entries;
      }
      held.entries = new Map(entries.map((entry) => [entry.name, entry]));
      kept += entries.length;
      return entries;
    }
    const again = [...held.stale];
    held.stale.clear();
    const described = await Promise.allSettled(again.map((name) => describe(folder, name)));
    // Forgotten meanwhile (a record said the folder went): its count left the total already.
    const counted = folders.get(key) === held;
    let problem = null;
    again.forEach((name, index) => {
      const { status, value, reason } = described[index];
      if (status === 'rejected') {
        held.stale.add(name); // looked at again next time
        problem ??= reason;
        return;
      }
      if (counted) kept += (value ? 1 : 0) - (held.entries.has(name) ? 1 : 0);
      if (value) held.entries.set(name, value);
      else held.entries.delete(name);
    });
    if (problem) throw problem;
    return [...held.entries.values()];
  }

  return {
    settle,
    list,
    close() {
      observer.disconnect();
      forgetAll();
      live = false;
    },
  };
}
