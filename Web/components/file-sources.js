// The two sides of the file manager as one interface (file-pane.js lists them, file-copies.js
// copies between them): the customer's computer over the console socket and the gateway's
// transfer routes, and a folder of the technician's (a FileSystemDirectoryHandle).
//
// A source: {id, roots(), list(path, hidden, onPage), makeFolder(path), ensureFolder(path),
// rename(path, name), remove(path), shown(path), openRead(path, {signal}) → {size, modified,
// stream, verified}, write(path, open, entry, {conflict, signal, onBytes, probe}) →
// {kind: 'written'|'skipped'|'exists', …}}.
import { t } from '../lib/i18n.js';
import { browserName, shownName } from '../lib/file-list.js';
import { BLOCK_SIZE, BlockHasher, blockHashOfBlob } from '../lib/block-hash.js';
import { customerBundles, localBundles } from './file-bundles.js';
import { keptListings, MARKER_PREFIX } from './file-kept-listings.js';

let requestCounter = 0;

function failure(reply) {
  return Object.assign(new Error(reply.message), { code: reply.code });
}

/** Reads a stream through in pieces of one hash block (8 MiB; smaller at first, for a small
 * file), each hashed (its block SHA-256) and written as it is: one copy of each byte here, where
 * a piece held apart for the hash and another joined for the write made the page's thread the
 * slowest part of a big copy. */
async function pump(stream, { signal, onBytes, write }) {
  const hash = new BlockHasher();
  const reader = stream.getReader();
  const stop = () => reader.cancel().catch(() => {});
  signal?.addEventListener('abort', stop);
  let piece = new Uint8Array(256 * 1024);
  let filled = 0;
  // One piece is written while the next is read: the download waits for no write but the one
  // before the last, and the disk for no read.
  let writing = Promise.resolve();
  const handOn = async () => {
    if (filled === 0) return;
    const bytes = piece.subarray(0, filled);
    // Each write has a piece of its own, whole until written (and hashed); the next is made
    // when more comes.
    piece = null;
    filled = 0;
    hash.block(bytes);
    await writing;
    writing = write(bytes).then(() => onBytes?.(bytes.length));
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (signal?.aborted) throw Object.assign(new Error(t('files.cancelled')), { name: 'AbortError' });
      for (let offset = 0; offset < value.length;) {
        piece ??= new Uint8Array(BLOCK_SIZE);
        if (filled === piece.length && piece.length < BLOCK_SIZE) {
          const grown = new Uint8Array(Math.min(BLOCK_SIZE, piece.length * 4));
          grown.set(piece);
          piece = grown;
        }
        const take = Math.min(value.length - offset, piece.length - filled);
        piece.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === BLOCK_SIZE) await handOn();
      }
    }
    await handOn();
    await writing;
  } catch (error) {
    await writing.catch(() => {});
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  return hash.hex();
}

/** The customer's computer, over the console socket; answers come back through `reply`. */
export function customerSource(send, sessionId) {
  const pending = new Map(); // requestId → {resolve, reject, entries, onPage, onReply}
  const request = (body, { onPage, onReply } = {}) => new Promise((resolve, reject) => {
    requestCounter += 1;
    const requestId = `fm-${Date.now().toString(36)}-${requestCounter}`;
    pending.set(requestId, { resolve, reject, entries: [], onPage, onReply });
    send('file_manager_request', { sessionId, requestId, request: body });
  });
  const changed = (reply) => {
    if (reply.kind === 'failed') throw failure(reply);
    return reply;
  };
  const shownPath = (path) => {
    const tail = path.names.map(shownName).join('/');
    const base = path.root === 'home' ? '~' : path.root === 'system' ? '' : path.root.replace(/^mount:/, '');
    return tail ? `${base}/${tail}` : (base || '/');
  };
  const transferUrl = (transferId) => `/api/v1/sessions/${sessionId}/file-manager/${transferId}`;

  /** The bytes of a write (a Blob, or bytes in memory), put with XMLHttpRequest for its upload progress. */
  const put = (transferId, blob, { signal, onBytes }) => new Promise((resolve, reject) => {
    const size = blob.size ?? blob.byteLength;
    const xhr = new XMLHttpRequest();
    let reported = 0;
    xhr.open('PUT', transferUrl(transferId));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.addEventListener('progress', (event) => {
      onBytes?.(event.loaded - reported);
      reported = event.loaded;
    });
    xhr.addEventListener('loadend', () => {
      onBytes?.(size - reported > 0 && xhr.status === 204 ? size - reported : 0);
      if (xhr.status === 204) resolve(); else reject(new Error(JSON.parse(xhr.responseText || '{}')?.error?.message ?? t('files.interrupted')));
    });
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(blob);
  });

  const source = {
    id: 'customer',
    roots: async () => changed(await request({ op: 'roots' })).roots,
    list: async (path, hidden, onPage) => changed(await request({ op: 'list', path, hidden }, { onPage })).entries,
    makeFolder: async (path) => changed(await request({ op: 'make_folder', path })),
    async ensureFolder(path) {
      const reply = await request({ op: 'make_folder', path });
      if (reply.kind === 'failed' && reply.code !== 'exists') throw failure(reply);
    },
    rename: async (path, newName) => changed(await request({ op: 'rename', path, newName })),
    remove: async (path) => changed(await request({ op: 'delete', path })),
    shown: shownPath,

    /** A file's size and SHA-256, read on the customer's side. */
    hash: async (path) => changed(await request({ op: 'hash', path })),

    /** A file of the customer's: the applet announces it, the bytes come from the gateway. */
    openRead(path, { signal } = {}) {
      return new Promise((resolve, reject) => {
        const verified = request({ op: 'read', path }, {
          onReply: async (reply) => {
            if (reply.kind !== 'sending') return;
            try {
              const response = await fetch(transferUrl(reply.transferId), { signal, cache: 'no-store' });
              if (!response.ok) throw new Error((await response.json().catch(() => ({})))?.error?.message ?? t('files.interrupted'));
              resolve({ size: reply.size, modified: reply.modified, mode: reply.mode, stream: response.body, verified: verified.then(changed) });
            } catch (error) {
              reject(error);
            }
          },
        });
        verified.then((reply) => { if (reply.kind === 'failed') reject(failure(reply)); }, reject);
      });
    },

    /** A file to the customer: the applet checks the name first, then fetches what is put. */
    async write(path, open, entry, { conflict, signal, onBytes, probe }) {
      const incoming = await open();
      const blob = incoming.blob;
      let from = 0;
      if (probe) {
        // An earlier copy broke off: resume after what arrived, if it is the start of this file.
        const part = changed(await request({ op: 'partial', path }));
        if (part.size > 0 && part.size <= blob.size && await blockHashOfBlob(blob.slice(0, part.size)) === part.blocks) from = part.size;
      }
      const ourHash = blockHashOfBlob(blob);
      let upload = null;
      const reply = await request({
        op: 'write', path, size: blob.size, mode: incoming.mode ?? 0o644, modified: incoming.modified, conflict, from,
      }, {
        onReply: (answer) => {
          if (answer.kind !== 'receiving') return;
          onBytes?.(from);
          upload = put(answer.transferId, blob.slice(from), { signal, onBytes }).catch((error) => error);
        },
      });
      const uploadProblem = await upload;
      if (signal?.aborted) {
        // Cancelled: nothing of it is to stay on the customer's computer.
        await request({ op: 'discard', path }).catch(() => {});
        throw Object.assign(new Error(t('files.cancelled')), { name: 'AbortError' });
      }
      if (reply.kind === 'failed') throw failure(reply);
      if (uploadProblem instanceof Error) throw uploadProblem;
      if (reply.kind === 'written' && reply.blocks !== await ourHash) {
        throw new Error(t('files.hashMismatch', { name: shownName(reply.name) }));
      }
      return { ...reply, resumedFrom: from };
    },

    ...customerBundles({ request, put, transferUrl }),

    /** A `file_manager_reply` for this session: pages gather, the last settles the request. */
    reply(requestId, reply) {
      const waiting = pending.get(requestId);
      if (!waiting) return false;
      if (reply.kind === 'entries') {
        for (const entry of reply.entries) waiting.entries.push(entry);
        if (!reply.done) {
          // The first page at once, then a redraw at most twice a second: sorting a growing
          // list on every page would cost more than the whole listing.
          const now = performance.now();
          if (!waiting.shownAt || now - waiting.shownAt > 500) {
            waiting.shownAt = now;
            waiting.onPage?.(waiting.entries.slice());
          }
          return true;
        }
        pending.delete(requestId);
        waiting.resolve({ kind: 'entries', entries: waiting.entries });
        return true;
      }
      if (reply.kind === 'sending' || reply.kind === 'receiving' || reply.kind === 'sending_files' || reply.kind === 'receiving_files') {
        waiting.onReply?.(reply);
        return true;
      }
      pending.delete(requestId);
      waiting.resolve(reply);
      return true;
    },
    /** The file manager closed: every request still waiting fails with the reason. */
    abandon(reason) {
      for (const waiting of pending.values()) waiting.reject(Object.assign(new Error(reason), { code: 'closed' }));
      pending.clear();
    },
  };
  return source;
}

/** A folder of the technician's (a FileSystemDirectoryHandle), walked by names; `keep`: its
 * listings kept and followed (file-kept-listings.js), at most `maxKept` entries. */
export function localSource(directory, { keep = false, maxKept } = {}) {
  // Folder handles by path, kept while nothing is renamed or removed: a copy of many files into
  // few folders would otherwise walk down from the top once per file.
  const folders = new Map();
  const walk = (names) => {
    const key = names.map(browserName).join('\0');
    if (!folders.has(key)) {
      const found = names.length === 0 ? Promise.resolve(directory)
        : walk(names.slice(0, -1)).then((parent) => parent.getDirectoryHandle(browserName(names[names.length - 1])));
      // A folder not there (yet) is looked for again next time.
      found.catch(() => folders.delete(key));
      folders.set(key, found);
    }
    return folders.get(key);
  };
  const parentOf = async (path) => [await walk(path.names.slice(0, -1)), browserName(path.names[path.names.length - 1])];
  // An entry as a listing gives it: with the snapshot a copy of it reads (not shown, not copied
  // with the entry): finding the file again by its name costs more than reading a small one.
  const described = (name, file) => {
    const entry = { name, kind: 'file', size: file.size, modified: file.lastModified / 1000 };
    return Object.defineProperty(entry, 'file', { value: file });
  };
  // Looked up by name (two tries), not by reading the folder: a copy asks once per file.
  const entryIn = async (folder, name) => {
    try {
      return described(name, await (await folder.getFileHandle(name)).getFile());
    } catch (error) {
      if (error.name !== 'TypeMismatchError') {
        if (error.name === 'NotFoundError') return null;
        throw error;
      }
    }
    await folder.getDirectoryHandle(name);
    return { name, kind: 'folder', size: 0, modified: 0 };
  };
  const freeName = async (folder, name) => {
    const dot = name.lastIndexOf('.');
    const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let copy = 2; ; copy += 1) {
      const candidate = `${base} (${copy})${ext}`;
      if (!await entryIn(folder, candidate)) return candidate;
    }
  };
  // A browser keeps no permission bits: files go as rw-r--r--.
  const readable = (file) => ({ size: file.size, modified: file.lastModified / 1000, mode: 0o644, blob: file });
  const openRead = async (path) => {
    const [folder, name] = await parentOf(path);
    return readable(await (await folder.getFileHandle(name)).getFile());
  };
  const readFolder = async (folder) => {
    const entries = [];
    for await (const [name, handle] of folder.entries()) {
      if (!name.startsWith(MARKER_PREFIX)) entries.push({ name, handle });
    }
    // Sizes and times asked for many files at once: one at a time, a folder of thousands waits on each.
    let next = 0;
    const describe = async () => {
      while (next < entries.length) {
        const index = next;
        next += 1;
        const { name, handle } = entries[index];
        entries[index] = handle.kind === 'directory' ? { name, kind: 'folder', size: 0, modified: 0 } : described(name, await handle.getFile());
      }
    };
    await Promise.all(Array.from({ length: 16 }, describe));
    return entries;
  };
  const kept = keep ? keptListings(directory, { readFolder, describe: entryIn, ...(maxKept ? { maxEntries: maxKept } : {}) }) : null;
  return {
    id: 'local',
    ...localBundles({ parentOf, entryIn, freeName, openRead, readable }),
    roots: async () => [{ id: 'local', label: directory.name || t('files.browserStorage') }],
    /** `settled`: the caller waited for the kept listings to be trusted (`settle()`) already. */
    async list(path, hidden, onPage, { settled = false } = {}) {
      const folder = await walk(path.names);
      if (kept && (settled || await kept.settle())) return kept.list(path.names, folder);
      return readFolder(folder);
    },
    /** One barrier for many listings (a plan's): true, and `list(…, {settled: true})` may use the
     * kept listings without one each. */
    settle: async () => Boolean(kept && await kept.settle()),
    close: () => kept?.close(),
    async makeFolder(path) {
      const [folder, name] = await parentOf(path);
      if (await entryIn(folder, name)) throw new Error(t('files.exists', { name }));
      await folder.getDirectoryHandle(name, { create: true });
    },
    async ensureFolder(path) {
      const [folder, name] = await parentOf(path);
      await folder.getDirectoryHandle(name, { create: true });
    },
    async rename(path, newName) {
      const [folder, name] = await parentOf(path);
      if (await entryIn(folder, newName)) throw new Error(t('files.exists', { name: newName }));
      const handle = await folder.getDirectoryHandle(name).catch(() => folder.getFileHandle(name));
      if (!handle.move) throw new Error(t('files.noRename'));
      folders.clear();
      await handle.move(newName);
    },
    async remove(path) {
      const [folder, name] = await parentOf(path);
      folders.clear();
      await folder.removeEntry(name, { recursive: true });
    },
    shown: (path) => [directory.name || t('files.browserStorage'), ...path.names.map(shownName)].join('/'),

    async hash(path) {
      const { blob } = await this.openRead(path);
      return { size: blob.size, blocks: await blockHashOfBlob(blob) };
    },

    openRead,

    /** Written through the browser's own swap file, which takes the name only on close: a copy
     * whose SHA-256 differs from the customer's side is dropped, never put in place. */
    async write(path, open, entry, { conflict, signal, onBytes }) {
      const [folder, name] = await parentOf(path);
      let target = name;
      const existing = await entryIn(folder, name);
      if (existing) {
        if (existing.kind === 'folder' && conflict !== 'rename') throw new Error(t('files.folderThere', { name }));
        if (conflict === 'ask') return { kind: 'exists', entry: existing };
        if (conflict === 'skip' || (conflict === 'keep_newer' && existing.modified >= entry.modified)) return { kind: 'skipped' };
        if (conflict === 'rename') target = await freeName(folder, name);
      }
      const incoming = await open();
      const handle = await folder.getFileHandle(target, { create: true });
      const writable = await handle.createWritable();
      try {
        const blocks = await pump(incoming.stream, { signal, onBytes, write: (chunk) => writable.write(chunk) });
        const theirs = await incoming.verified;
        if (theirs.blocks !== blocks) throw new Error(t('files.hashMismatch', { name: target }));
        await writable.close();
        return { kind: 'written', name: target, size: incoming.size, sha256: theirs.sha256, blocks };
      } catch (error) {
        await writable.abort().catch(() => {});
        // A name made for this copy goes with it.
        if (!existing || target !== name) await folder.removeEntry(target).catch(() => {});
        throw error;
      }
    },
  };
}
