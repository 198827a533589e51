// Bundles of small files (K3): up to 256 files whose bytes travel one after another in one
// transfer (`read_files`, `write_files`), so a tree of thousands of small files costs a request
// per bundle instead of per file. Each file is still checked against the conflict rule first,
// verified by its own block SHA-256, and put in place only once verified.
//
// Both sides offer `readFiles(paths, {signal, entries})` → {files: [{size, modified, mode, blob?, bytes?} |
// {error}], stream?, verified?} and `writeFiles(targets, open, {conflict, signal, onBytes})` →
// per target {kind: 'written'|'skipped'|'exists'|'failed', …}, where `open(indices)` reads the
// wanted files from the other side.
import { t } from '../lib/i18n.js';
import { shownName } from '../lib/file-list.js';
import { blockHashOfBlob, blockHashOfBytes } from '../lib/block-hash.js';
import { measured } from '../lib/measured.js';

/** Files of at most this size go in bundles. */
export const BUNDLE_FILE_SIZE = 1024 * 1024;
/** A bundle closes at this many files or bytes. */
export const BUNDLE_FILES = 128;
export const BUNDLE_BYTES = 8 * 1024 * 1024;

const cancelled = () => Object.assign(new Error(t('files.cancelled')), { name: 'AbortError' });
const failure = (reply) => Object.assign(new Error(reply.message), { code: reply.code });

/** Exactly `count` bytes at a time from a stream of chunks. */
class ExactReader {
  constructor(stream) {
    this.reader = stream.getReader();
    this.chunk = new Uint8Array(0);
    this.offset = 0;
  }

  async take(count, onBytes) {
    const bytes = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      if (this.offset === this.chunk.length) {
        const { done, value } = await this.reader.read();
        if (done) throw new Error(t('files.interrupted'));
        this.chunk = value;
        this.offset = 0;
      }
      const piece = Math.min(count - filled, this.chunk.length - this.offset);
      bytes.set(this.chunk.subarray(this.offset, this.offset + piece), filled);
      filled += piece;
      this.offset += piece;
      onBytes?.(piece);
    }
    return bytes;
  }

  cancel() { this.reader.cancel().catch(() => {}); }
}

/** What a bundle uploads: the files' bytes in one piece of memory when they were read into it —
 * a Blob made of them was copied again into the browser's blob store, then read out of it by the
 * network process, the busiest part of a copy of many small files — else the files themselves. */
function body(files) {
  if (!files.every((file) => file.bytes)) return new Blob(files.map((file) => file.blob));
  const joined = new Uint8Array(files.reduce((sum, file) => sum + file.bytes.length, 0));
  let at = 0;
  for (const file of files) {
    joined.set(file.bytes, at);
    at += file.bytes.length;
  }
  return joined;
}

/** The customer's side, over the console socket (`request`) and the transfer routes. */
export function customerBundles({ request, put, transferUrl }) {
  return {
    /** Announced together; the bytes of those that go come as one stream. */
    readFiles(paths, { signal } = {}) {
      return new Promise((resolve, reject) => {
        const verified = request({ op: 'read_files', paths }, {
          onReply: async (reply) => {
            if (reply.kind !== 'sending_files') return;
            const files = reply.files.map((one) => (one.kind === 'sending' ? one : { error: failure(one) }));
            const total = files.reduce((sum, one) => sum + (one.size ?? 0), 0);
            try {
              let stream = null;
              if (total > 0) {
                const response = await fetch(transferUrl(reply.transferId), { signal, cache: 'no-store' });
                if (!response.ok) throw new Error((await response.json().catch(() => ({})))?.error?.message ?? t('files.interrupted'));
                stream = response.body;
              }
              const ended = verified.then((end) => (end.kind === 'failed' ? Promise.reject(failure(end)) : end.files));
              ended.catch(() => {}); // awaited by the reader of the stream; a failure is its to report
              resolve({ files, stream, verified: ended });
            } catch (error) {
              reject(error);
            }
          },
        });
        verified.then((reply) => { if (reply.kind === 'failed') reject(failure(reply)); }, reject);
      });
    },

    /** The conflict rule for each on the customer's side, then the wanted ones put as one stream. */
    async writeFiles(targets, open, { conflict, signal, onBytes }) {
      const results = new Array(targets.length);
      const incoming = await measured('files: bundle read here', open(targets.map((_, index) => index)));
      const sent = []; // indices of targets whose file could be read here
      incoming.files.forEach((file, index) => {
        if (file.error) results[index] = { kind: 'failed', error: file.error };
        else sent.push(index);
      });
      if (sent.length === 0) return results;
      let ours = new Map(); // the wanted files' block SHA-256, computed while they are put
      let upload = null;
      const asked = performance.now();
      let answered = asked;
      const reply = await request({
        op: 'write_files',
        files: sent.map((index) => {
          const file = incoming.files[index];
          return { path: targets[index].path, size: file.blob.size, mode: file.mode ?? 0o644, modified: file.modified, conflict };
        }),
      }, {
        onReply: (answer) => {
          if (answer.kind !== 'receiving_files') return;
          answered = performance.now();
          performance.measure('files: bundle answered', { start: asked, end: answered });
          const wanted = sent.filter((_, position) => answer.files[position].kind === 'receiving');
          if (wanted.length === 0) return;
          ours = new Map(wanted.map((index) => {
            const file = incoming.files[index];
            return [index, file.bytes ? blockHashOfBytes(file.bytes) : blockHashOfBlob(file.blob)];
          }));
          upload = put(answer.transferId, body(wanted.map((index) => incoming.files[index])), { signal, onBytes }).catch((error) => error);
        },
      });
      performance.measure('files: bundle sent and placed', { start: answered, end: performance.now() });
      const uploadProblem = await upload;
      if (signal?.aborted) throw cancelled();
      if (reply.kind === 'failed') throw failure(reply);
      if (uploadProblem instanceof Error) throw uploadProblem;
      await Promise.all(sent.map(async (index, position) => {
        const answer = reply.files[position];
        if (answer.kind === 'written') {
          results[index] = answer.blocks === await ours.get(index) ? answer
            : { kind: 'failed', error: new Error(t('files.hashMismatch', { name: shownName(answer.name) })) };
        } else {
          results[index] = answer.kind === 'failed' ? { kind: 'failed', error: failure(answer) } : answer;
        }
      }));
      return results;
    },
  };
}

/** A folder of the technician's: `walk` helpers from localSource. */
export function localBundles({ parentOf, entryIn, freeName, openRead, readable }) {
  return {
    /** `entries`: the listed entries of the paths, whose snapshots are read when still valid. */
    async readFiles(paths, { entries = [] } = {}) {
      // Each file read into memory once: its hash and the upload both come from these bytes.
      // A snapshot the listing took is read when the file is still as it was then (else the
      // browser refuses it: the file is looked up again by its name).
      const read = async (path, listed) => {
        const file = listed ? readable(listed) : await openRead(path);
        return { ...file, bytes: new Uint8Array(await file.blob.arrayBuffer()) };
      };
      const files = await Promise.all(paths.map((path, index) => read(path, entries[index]?.file)
        .catch((error) => (entries[index]?.file ? read(path) : Promise.reject(error)))
        .catch((error) => ({ error }))));
      return { files };
    },

    /** The conflict rule here first, then the wanted files from the stream, each written through
     * the browser's swap file and put in place (closed) only once its hash matches. */
    async writeFiles(targets, open, { conflict, signal, onBytes }) {
      const results = new Array(targets.length);
      const wanted = [];
      // Each destination folder's names read once: most names of a copy are free.
      const namesIn = new Map();
      const mayHold = async (folder, name) => {
        if (!namesIn.has(folder)) {
          const names = new Set();
          for await (const key of folder.keys()) names.add(key);
          namesIn.set(folder, names);
        }
        return namesIn.get(folder).has(name);
      };
      for (const [index, { path, entry }] of targets.entries()) {
        const [folder, name] = await parentOf(path);
        const existing = await mayHold(folder, name) ? await entryIn(folder, name) : null;
        let target = name;
        if (existing) {
          if (existing.kind === 'folder' && conflict !== 'rename') {
            results[index] = { kind: 'failed', error: new Error(t('files.folderThere', { name })) };
            continue;
          }
          if (conflict === 'ask') { results[index] = { kind: 'exists', entry: existing }; continue; }
          if (conflict === 'skip' || (conflict === 'keep_newer' && existing.modified >= entry.modified)) { results[index] = { kind: 'skipped' }; continue; }
          if (conflict === 'rename') target = await freeName(folder, name);
        }
        wanted.push({ index, folder, target, made: !existing || target !== name });
      }
      if (wanted.length === 0) return results;
      const incoming = await measured('files: bundle opened there', open(wanted.map(({ index }) => index)));
      let mark = performance.now();
      const measure = (name) => {
        const now = performance.now();
        performance.measure(name, { start: mark, end: now });
        mark = now;
      };
      const reader = incoming.stream ? new ExactReader(incoming.stream) : null;
      const stop = () => reader?.cancel();
      signal?.addEventListener('abort', stop);
      const writing = [];
      try {
        for (const [position, one] of wanted.entries()) {
          const file = incoming.files[position];
          if (file.error) { results[one.index] = { kind: 'failed', error: file.error }; continue; }
          const bytes = file.size > 0 ? await reader.take(file.size, onBytes) : new Uint8Array(0);
          if (signal?.aborted) throw cancelled();
          // Written while the next file is read; closed (put in place) only once verified.
          writing.push({
            one, position, file,
            stored: (async () => {
              const writable = await (await one.folder.getFileHandle(one.target, { create: true })).createWritable();
              try { await writable.write(bytes); } catch (error) { await writable.abort().catch(() => {}); throw error; }
              return writable;
            })(),
            blocks: blockHashOfBytes(bytes),
          });
        }
        measure('files: bundle streamed');
        const theirs = await incoming.verified;
        measure('files: bundle verified there');
        await Promise.all(writing.map(async ({ one, position, file, stored, blocks }) => {
          const writable = await stored.catch((error) => error);
          const end = theirs[position];
          const problem = writable instanceof Error ? writable
            : end.kind !== 'transferred' ? failure(end)
              : end.blocks !== await blocks ? new Error(t('files.hashMismatch', { name: one.target })) : null;
          if (problem) {
            if (!(writable instanceof Error)) await writable.abort().catch(() => {});
            if (one.made) await one.folder.removeEntry(one.target).catch(() => {});
            results[one.index] = { kind: 'failed', error: problem };
            return;
          }
          await writable.close();
          results[one.index] = { kind: 'written', name: one.target, size: file.size, sha256: end.sha256, blocks: end.blocks };
        }));
        measure('files: bundle placed here');
        return results;
      } catch (error) {
        // Nothing of a bundle that broke off is put in place.
        await Promise.all(writing.map(async ({ one, stored }) => {
          const writable = await stored.catch(() => null);
          await writable?.abort().catch(() => {});
          if (one.made) await one.folder.removeEntry(one.target).catch(() => {});
        }));
        throw error;
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    },
  };
}
