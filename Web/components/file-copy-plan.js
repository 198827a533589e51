// What a copy of chosen entries carries (K3): everything under them, walked as their folders are
// listed — several at once, links never followed — and handed on in batches as each listing
// arrives, so the first files travel while the rest of a large tree is still being listed.
import { t } from '../lib/i18n.js';
import { atMost } from '../lib/at-most.js';

/** Failures after which no other file of the copy can pass. */
export const STOPPING = new Set(['closed', 'stopped', 'file_manager_not_open', 'file_manager_in_use', 'permission_denied', 'session_not_active', 'not_allowed']);

/** Folders listed at once, by a copy and by a plan of synchronise: a tree of many folders waits
 * on each listing's round trip otherwise, and the gateway lets a session have 64 requests waiting. */
export const LISTINGS_AT_ONCE = 8;

export const join = (path, name) => ({ root: path.root, names: [...path.names, name] });

export function aborted() {
  return Object.assign(new Error(t('files.cancelled')), { name: 'AbortError' });
}

/** Batches pushed by one side, taken in order by a `for await`; `end(error)` ends it. */
function batchChannel() {
  const batches = [];
  let wake = null;
  let ended = false;
  let failure = null;
  const woken = () => { wake?.(); wake = null; };
  return {
    push(batch) { batches.push(batch); woken(); },
    end(error) { ended = true; failure = error ?? null; woken(); },
    async* [Symbol.asyncIterator]() {
      for (;;) {
        if (batches.length > 0) yield batches.shift();
        else if (ended) { if (failure) throw failure; return; }
        else await new Promise((resolve) => { wake = resolve; });
      }
    },
  };
}

/**
 * The items `{entry, path, relative}` under the chosen `entries` of `folder`, in batches: each
 * entry comes before what it holds (a folder is made before anything in it). A folder that
 * cannot be listed is reported to `onFailure(item, error)` and left out with what it holds.
 */
export function planCopy(source, folder, entries, signal, onFailure) {
  const out = batchChannel();
  const start = performance.now();
  const item = (path, entry, relative) => ({ entry, path: join(path, entry.name), relative: [...relative, entry.name] });
  (async () => {
    const settled = await source.settle?.() ?? false;
    const turn = atMost(LISTINGS_AT_ONCE);
    const visit = async (folderItem) => {
      let children;
      try {
        children = await turn(() => {
          if (signal.aborted) throw aborted();
          return source.list(folderItem.path, true, undefined, { settled });
        });
      } catch (error) {
        onFailure(folderItem, error);
        return;
      }
      const batch = children.map((child) => item(folderItem.path, child, folderItem.relative));
      out.push(batch);
      await Promise.all(batch.filter((one) => one.entry.kind === 'folder').map(visit));
    };
    const tops = entries.map((entry) => item(folder, entry, []));
    out.push(tops);
    await Promise.all(tops.filter((one) => one.entry.kind === 'folder').map(visit));
  })().then(() => out.end(), (error) => out.end(error)).finally(() => {
    performance.measure('files: copy listed', { start, end: performance.now() });
  });
  return out;
}
