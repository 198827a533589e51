// Copies and moves between the two panes of the file manager (K3). A copy is planned first —
// the chosen entries walked, folders before what they hold, links noted and never followed —
// then carried out one file at a time with its progress, rate and time left. A name already
// taken is asked once (overwrite, skip, keep the newer, keep both) with "apply to all"; every
// file is verified by SHA-256 on both sides; Cancel stops at once. A move removes each chosen
// entry only once everything in it arrived.
import { describeError, t } from '../lib/i18n.js';
import { formatSize, nameKey, shownName } from '../lib/file-list.js';
import { BUNDLE_BYTES, BUNDLE_FILES, BUNDLE_FILE_SIZE } from './file-bundles.js';
import { aborted, join, planCopy, STOPPING } from './file-copy-plan.js';

/** Files copied at the same time, and of them bundles of small files. */
const PARALLEL_FILES = 16;
const PARALLEL_BUNDLES = 4;

const resumeKey = (to, destination) => `${to.id}|${destination.root}|${destination.names.map(shownName).join('/')}`;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** "1.2 MB/s · 35 s left". */
function pace(done, total, startedAt, listing) {
  const seconds = (performance.now() - startedAt) / 1000;
  if (seconds < 0.5 || done === 0) return '';
  const rate = done / seconds;
  // The total still grows while folders are listed: no time left to tell yet.
  if (listing) return t('files.paceListing', { rate: formatSize(rate) });
  const left = Math.max(0, Math.ceil((total - done) / rate));
  return t('files.pace', { rate: formatSize(rate), left: left < 90 ? `${left} s` : `${Math.ceil(left / 60)} min` });
}

/**
 * The list of copies under the panes. `start({from, to, fromFolder, toFolder, entries, move})`
 * runs one; `onDone()` refreshes the panes.
 */
export function mountFileCopies(container, { onDone }) {
  const resumable = new Set(); // destinations an interrupted copy left a part of (customer's side)

  function askConflict(job, item, existing) {
    return new Promise((resolve) => {
      const box = element('div', 'file-conflict');
      box.setAttribute('role', 'alertdialog');
      const ours = item.entry;
      box.append(element('p', '', t('files.conflict', {
        name: item.relative.map(shownName).join('/'),
        there: `${formatSize(existing.size ?? 0)}, ${existing.modified ? new Date(existing.modified * 1000).toLocaleString() : '—'}`,
        arriving: `${formatSize(ours.size ?? 0)}, ${ours.modified ? new Date(ours.modified * 1000).toLocaleString() : '—'}`,
      })));
      const all = element('input');
      all.type = 'checkbox';
      all.className = 'file-conflict-all';
      const label = element('label', 'inline');
      label.append(all, ' ', t('files.applyToAll'));
      const buttons = element('p', 'file-conflict-choices');
      for (const choice of ['overwrite', 'skip', 'keep_newer', 'rename']) {
        const button = element('button', '', t(`files.conflict_${choice}`));
        button.type = 'button';
        button.dataset.choice = choice;
        button.addEventListener('click', () => {
          box.remove();
          resolve({ choice, all: all.checked });
        });
        buttons.append(button);
      }
      box.append(buttons, label);
      job.view.question.replaceChildren(box);
      buttons.querySelector('button').focus();
      job.controller.signal.addEventListener('abort', () => { box.remove(); resolve({ choice: 'skip', all: true }); });
    });
  }

  function render(job) {
    const { view } = job;
    view.bar.max = Math.max(1, job.total);
    view.bar.value = job.done;
    const counts = t('files.copyCounts', { files: job.files, skipped: job.skipped, failed: job.failures.length })
      + (job.deletions?.length ? ` · ${t('files.deletedCount', { count: job.deleted })}` : '');
    view.detail.textContent = `${formatSize(job.done)} / ${formatSize(job.total)} · ${counts}`
      + (job.phase === 'running' ? ` · ${pace(job.done, job.total, job.startedAt, job.listing)}` : '');
    view.current.textContent = job.phase === 'running' ? (job.current ?? '') : '';
    view.root.dataset.state = job.phase;
    view.cancel.hidden = job.phase !== 'running' && job.phase !== 'planning';
    view.dismiss.hidden = !view.cancel.hidden;
    view.title.textContent = t(`files.${job.title ?? (job.move ? 'moving' : 'copying')}_${job.phase}`,
      { count: job.items?.length ?? job.entries.length, to: job.toLabel });
    const line = ({ name, message }) => (name ? `${name}: ${message}` : message);
    view.failures.replaceChildren(...job.failures.map((failure) => element('li', '', line(failure))),
      ...job.notes.map((note) => element('li', 'muted', line(note))));
  }

  function makeView(job) {
    const root = element('div', 'file-copy');
    const title = element('p', 'file-copy-title');
    const bar = element('progress');
    const detail = element('p', 'muted file-copy-detail');
    detail.setAttribute('role', 'status');
    const current = element('p', 'muted file-copy-current');
    const question = element('div');
    const failures = element('ul', 'file-copy-failures');
    const cancel = element('button', '', t('files.cancel'));
    cancel.type = 'button';
    cancel.className = 'file-copy-cancel';
    cancel.addEventListener('click', () => job.controller.abort());
    const dismiss = element('button', '', t('files.dismiss'));
    dismiss.type = 'button';
    dismiss.className = 'file-copy-dismiss';
    dismiss.addEventListener('click', () => root.remove());
    root.append(title, bar, detail, current, question, failures, cancel, dismiss);
    container.prepend(root);
    return { root, title, bar, detail, current, question, failures, cancel, dismiss };
  }

  /** One file: the destination's answer, asked about when the name is taken; verified on arrival. */
  async function copyFile(job, item, destination) {
    const { from, to } = job;
    const key = resumeKey(to, destination);
    let conflict = job.policy ?? 'ask';
    let counted = 0;
    const onBytes = (count) => {
      counted += count;
      job.done += count;
    };
    for (;;) {
      const resume = resumable.has(key) ? { probe: true } : {};
      const result = await to.write(destination, () => from.openRead(item.path, { signal: job.controller.signal }), item.entry,
        { conflict, signal: job.controller.signal, onBytes, ...resume })
        .catch((error) => {
          // What arrived on the customer's side waits there for the next attempt (not after a
          // cancel or the customer's red X, which leave nothing).
          if (to.id === 'customer' && error.name !== 'AbortError' && error.code !== 'stopped') resumable.add(key);
          throw error;
        });
      if (result.kind !== 'exists') {
        resumable.delete(key);
        if (result.resumedFrom > 0) {
          job.notes.push({ name: item.relative.map(shownName).join('/'), message: t('files.resumed', { size: formatSize(result.resumedFrom) }) });
        }
        // What a resume did not send still counts as done.
        job.done += Math.max(0, (item.entry.size ?? 0) - counted);
        return result;
      }
      // One question at a time; an answer for all settles the questions waiting behind it.
      const asked = job.asking.then(() => (job.policy ? { choice: job.policy, all: true } : askConflict(job, item, result.entry)));
      job.asking = asked.catch(() => {});
      const answer = await asked;
      if (job.controller.signal.aborted) throw aborted();
      if (answer.all) job.policy = answer.choice;
      conflict = answer.choice;
    }
  }

  async function run(job) {
    const { from, to, toFolder, controller } = job;
    // The chosen entries a move must keep: something in them did not arrive, or was skipped.
    const keptTops = new Set();
    const fail = (item, error) => {
      keptTops.add(nameKey(item.relative[0]));
      job.failures.push({ name: item.relative.map(shownName).join('/'), message: describeError(error) });
    };
    job.phase = 'planning';
    render(job);
    const ticker = setInterval(() => render(job), 250);
    try {
      // Synchronise and mirror come with their items planned and what the destination loses.
      for (const doomed of job.deletions ?? []) {
        if (controller.signal.aborted) throw aborted();
        job.current = doomed.relative.map(shownName).join('/');
        try {
          await to.remove({ root: toFolder.root, names: [...toFolder.names, ...doomed.relative] });
          job.deleted += 1;
        } catch (error) {
          if (STOPPING.has(error.code)) throw error;
          job.failures.push({ name: job.current, message: describeError(error) });
        }
      }
      job.phase = 'running';
      job.startedAt = performance.now();
      // Files go several at a time (small ones are mostly waiting on round trips); a folder is
      // made before anything in it is started, since the plan lists it first.
      const running = new Set();
      let fatal = null;
      const settle = (item, error) => {
        if (error.name === 'AbortError' || controller.signal.aborted) return;
        // Nothing more can pass: the file manager closed, the customer stopped it, a permission is missing.
        if (STOPPING.has(error.code)) fatal = fatal ?? error;
        else fail(item, error);
      };
      const copyOne = async (item, destination) => {
        try {
          const result = await copyFile(job, item, destination);
          if (result.kind === 'skipped') {
            job.skipped += 1;
            keptTops.add(nameKey(item.relative[0])); // a move keeps what it did not copy
          } else {
            job.files += 1;
          }
        } catch (error) {
          settle(item, error);
        }
      };
      // Small files go in bundles: one request and one stream for many (file-bundles.js).
      const canBundle = Boolean(from.readFiles && to.writeFiles);
      let bundle = [];
      let bundleBytes = 0;
      let bundlesRunning = 0;
      const copyBundle = async (members) => {
        try {
          const results = await to.writeFiles(
            members.map(({ item, destination }) => ({ path: destination, entry: item.entry })),
            (indices) => from.readFiles(indices.map((index) => members[index].item.path),
              { signal: controller.signal, entries: indices.map((index) => members[index].item.entry) }),
            { conflict: job.policy ?? 'ask', signal: controller.signal, onBytes: (count) => { job.done += count; } },
          );
          const taken = [];
          results.forEach((result, index) => {
            const { item } = members[index];
            if (result.kind === 'written') {
              job.files += 1;
            } else if (result.kind === 'skipped') {
              job.skipped += 1;
              job.done += item.entry.size ?? 0;
              keptTops.add(nameKey(item.relative[0]));
            } else if (result.kind === 'exists') {
              taken.push(members[index]);
            } else {
              settle(item, result.error);
            }
          });
          // A name already taken is asked about as for a single file.
          for (const { item, destination } of taken) {
            if (controller.signal.aborted || fatal) break;
            await copyOne(item, destination);
          }
        } catch (error) {
          for (const { item } of members) settle(item, error);
        }
      };
      const flush = async () => {
        if (bundle.length === 0) return;
        const members = bundle;
        bundle = [];
        bundleBytes = 0;
        while (bundlesRunning >= PARALLEL_BUNDLES) await Promise.race(running);
        bundlesRunning += 1;
        const task = copyBundle(members).finally(() => {
          running.delete(task);
          bundlesRunning -= 1;
        });
        running.add(task);
      };
      // A copy's items come as its folders are listed (synchronise and mirror bring theirs).
      const batches = job.items ? [job.items] : planCopy(from, job.fromFolder, job.entries, controller.signal, settle);
      job.items = [];
      job.listing = !Array.isArray(batches);
      const items = async function* each() {
        for await (const batch of batches) {
          for (const item of batch) {
            job.items.push(item);
            job.total += item.entry.kind === 'file' ? item.entry.size ?? 0 : 0;
          }
          yield* batch;
        }
        job.listing = false;
      };
      for await (const item of items()) {
        if (controller.signal.aborted || fatal) break;
        const destination = { root: toFolder.root, names: [...toFolder.names, ...item.relative] };
        job.current = item.relative.map(shownName).join('/');
        const size = item.entry.size ?? 0;
        if (item.entry.kind === 'file' && canBundle && size <= BUNDLE_FILE_SIZE && !resumable.has(resumeKey(to, destination))) {
          bundle.push({ item, destination });
          bundleBytes += size;
          if (bundle.length >= BUNDLE_FILES || bundleBytes >= BUNDLE_BYTES) await flush();
        } else if (item.entry.kind === 'file') {
          const task = copyOne(item, destination).finally(() => running.delete(task));
          running.add(task);
          if (running.size >= PARALLEL_FILES) await Promise.race(running);
        } else if (item.entry.kind === 'folder') {
          try { await to.ensureFolder(destination); } catch (error) { settle(item, error); }
        } else {
          // Links are never followed; a browser's folder cannot hold one, nor a device.
          job.skipped += 1;
          keptTops.add(nameKey(item.relative[0]));
          job.notes.push({ name: job.current, message: t(item.entry.kind === 'symlink' ? 'files.linkNotCopied' : 'files.otherNotCopied') });
        }
      }
      if (!controller.signal.aborted && !fatal) await flush();
      while (running.size > 0) await Promise.all(running);
      if (controller.signal.aborted) throw aborted();
      if (fatal) throw fatal;
      if (job.move) {
        for (const entry of job.entries) {
          if (keptTops.has(nameKey(entry.name))) continue;
          try { await from.remove(join(job.fromFolder, entry.name)); } catch (error) { fail({ relative: [entry.name] }, error); }
        }
      }
      job.phase = job.failures.length > 0 ? 'failed' : 'done';
    } catch (error) {
      job.phase = controller.signal.aborted ? 'cancelled' : 'failed';
      if (!controller.signal.aborted) job.failures.push({ name: job.current ?? '', message: describeError(error) });
    } finally {
      clearInterval(ticker);
      render(job);
      onDone();
    }
  }

  return {
    /** `refused`: a permission the technician's group lacks; the copy ends at once saying so. */
    start({ from, to, fromFolder, toFolder, entries, move, toLabel, refused, items, deletions, policy = null, title }) {
      const job = {
        from, to, fromFolder, toFolder, entries: entries ?? [], move, toLabel, items, deletions, title, deleted: 0, controller: new AbortController(),
        phase: 'planning', total: 0, done: 0, files: 0, skipped: 0, failures: [], notes: [], policy, asking: Promise.resolve(), startedAt: performance.now(),
      };
      job.view = makeView(job);
      if (refused) {
        job.phase = 'failed';
        job.failures.push({ name: '', message: t('files.notAllowed', { permission: refused }) });
        render(job);
        return Promise.resolve();
      }
      return run(job);
    },
  };
}
