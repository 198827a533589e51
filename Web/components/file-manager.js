// The File Manager tab (K1): the technician's files on the left, the customer's on the right.
// The customer is asked first (the gateway passes `file_manager_open` to the applet, which asks
// them); the right pane then reads their computer through `file_manager_request`s. The left pane
// is a folder the technician opens with the browser's File System Access API, or this browser's
// own storage (the origin-private file system) where that API is missing — said plainly.
import { t } from '../lib/i18n.js';
import { mountFileCopies } from './file-copies.js';
import { mountFilePane } from './file-pane.js';
import { customerSource, localSource } from './file-sources.js';
import { measured } from '../lib/measured.js';
import { planSync, showPlan } from './file-sync.js';

/** A dropped file where the browser gives no handle (no File System Access API): files only. */
const fileHandle = (file) => ({ kind: 'file', name: file.name, getFile: async () => file });

/** Files and folders dropped from the desktop, as a source with one folder holding them. The
 * items are read before anything is awaited: the browser takes them back once the drop is over. */
async function droppedSource(items) {
  const handles = (await Promise.all(items.filter((item) => item.kind === 'file').map((item) => {
    const file = item.getAsFile();
    const handle = item.getAsFileSystemHandle?.() ?? Promise.resolve(null);
    return handle.then((found) => found ?? (file ? fileHandle(file) : null), () => (file ? fileHandle(file) : null));
  }))).filter(Boolean);
  const source = localSource({
    name: t('files.dropped'),
    async getDirectoryHandle(name) { return handles.find((handle) => handle.kind === 'directory' && handle.name === name); },
    async getFileHandle(name) { return handles.find((handle) => handle.kind === 'file' && handle.name === name); },
    async* entries() { for (const handle of handles) yield [handle.name, handle]; },
  });
  return { source, entries: await source.list({ root: 'local', names: [] }) };
}

export function mountFileManager(panel, { send, onError, canUse = () => true }) {
  const $ = (selector) => panel.querySelector(selector);
  const openButton = $('#file-manager-open');
  const closeButton = $('#file-manager-close');
  const status = $('#file-manager-status');
  const panes = $('#file-manager-panes');
  const localPane = $('#file-pane-local');
  const customerPane = $('#file-pane-customer');
  const localChoice = $('#file-local-choice');
  const pickFolder = $('#file-local-pick');
  const useStorage = $('#file-local-storage');
  const noPicker = $('#file-local-no-picker');
  const copies = mountFileCopies($('#file-copies'), { onDone: () => { localView?.refresh(); customerView?.refresh(); } });
  let session = null;
  let phases = new Map(); // session id → asking / open / denied / closed (and its reason)
  let customer = null;
  let customerView = null;
  let localView = null;
  const localFolders = new Map(); // session id → the technician's folder for it

  pickFolder.hidden = typeof window.showDirectoryPicker !== 'function';
  noPicker.hidden = !pickFolder.hidden;
  const failed = (message) => onError(new Error(message));

  openButton.addEventListener('click', () => {
    if (session) send('file_manager_open', { sessionId: session.id });
  });
  closeButton.addEventListener('click', () => {
    if (session) send('file_manager_close', { sessionId: session.id });
  });
  pickFolder.addEventListener('click', async () => {
    try {
      useLocal(await window.showDirectoryPicker({ id: 'lifeline-files', mode: 'readwrite' }));
    } catch (error) {
      if (error.name !== 'AbortError') failed(error.message);
    }
  });
  useStorage.addEventListener('click', async () => useLocal(await navigator.storage.getDirectory()));

  function useLocal(directory) {
    if (!session) return;
    localFolders.set(session.id, directory);
    showLocal();
  }

  function showLocal() {
    const directory = session && localFolders.get(session.id);
    localChoice.hidden = Boolean(directory);
    localPane.hidden = !directory;
    if (!directory) return;
    localView?.source.close();
    const local = localSource(directory, { keep: true });
    localView = mountFilePane(localPane, local, {
      onError: failed, onSwitch: () => customerView?.focus(),
      onTransfer: ({ entries, path, move }) => toOther(local, path, entries, move),
      onDrop: (drop) => dropped(drop, localView, local),
      onSync: (mode) => synchronise(local, mode),
    });
    localView.start();
  }

  function showCustomer() {
    customer?.abandon(t('files.switched'));
    customer = customerSource(send, session.id);
    const source = customer;
    customerView = mountFilePane(customerPane, source, {
      onError: failed, onSwitch: () => (localView ?? customerView)?.focus(),
      onTransfer: ({ entries, path, move }) => toOther(source, path, entries, move),
      onDrop: (drop) => dropped(drop, customerView, source),
      onSync: (mode) => synchronise(source, mode),
    });
    customerView.start().then(() => customerView.focus());
  }

  /** What a copy needs of the technician's group (the gateway checks each request again). */
  function missingPermission(from, to, move) {
    const needed = [];
    if (to.id === 'customer') needed.push('file_manager_upload');
    if (from.id === 'customer') needed.push('file_manager_download');
    if (move && from.id === 'customer') needed.push('file_manager_modify');
    return needed.find((permission) => !canUse(permission));
  }

  function startCopy(job) {
    copies.start({ ...job, refused: missingPermission(job.from, job.to, job.move), toLabel: job.to.shown(job.toFolder) });
  }

  /** Ctrl+C / Ctrl+X: the chosen entries into the folder the other pane shows. */
  function toOther(from, fromFolder, entries, move) {
    const [to, view] = from.id === 'customer' ? [localView?.source, localView] : [customer, customerView];
    if (!to || !view?.path) return failed(t('files.noOtherPane'));
    startCopy({ from, to, fromFolder, toFolder: view.path, entries, move });
  }

  /** Ctrl+S / Ctrl+R from the pane showing `active`: planned, shown, then carried out. */
  async function synchronise(active, mode) {
    const [leftView, rightView] = active.id === 'customer' ? [customerView, localView] : [localView, customerView];
    const [left, right] = [leftView?.source, rightView?.source];
    if (!right || !leftView?.path || !rightView?.path) return failed(t('files.noOtherPane'));
    const [leftLabel, rightLabel] = [left.shown(leftView.path), right.shown(rightView.path)];
    const needed = [...(mode === 'sync' || left.id === 'local' ? ['file_manager_upload'] : []),
      ...(mode === 'sync' || left.id === 'customer' ? ['file_manager_download'] : [])];
    const refused = needed.find((permission) => !canUse(permission));
    if (refused) return failed(t('files.notAllowed', { permission: refused }));
    const planning = Object.assign(document.createElement('p'), { className: 'muted file-planning', textContent: t('files.planning') });
    $('#file-copies').prepend(planning);
    let plan;
    try {
      plan = await measured('files: plan', planSync(left, leftView.path, right, rightView.path, mode));
    } catch (error) {
      return failed(error.message);
    } finally {
      planning.remove();
    }
    if (plan.deleteRight.length > 0 && right.id === 'customer' && !canUse('file_manager_modify')) {
      return failed(t('files.notAllowed', { permission: 'file_manager_modify' }));
    }
    if (!await showPlan($('#file-copies'), plan, { mode, leftLabel, rightLabel })) return;
    const title = mode === 'mirror' ? 'mirroring' : 'syncing';
    if (plan.toRight.length > 0 || plan.deleteRight.length > 0) {
      await measured(`files: ${mode} to ${right.id}`, copies.start({ from: left, to: right, fromFolder: leftView.path,
        toFolder: rightView.path, items: plan.toRight, deletions: plan.deleteRight, policy: 'overwrite', title, toLabel: rightLabel }));
    }
    if (plan.toLeft.length > 0) {
      await copies.start({ from: right, to: left, fromFolder: rightView.path, toFolder: leftView.path, items: plan.toLeft,
        policy: 'overwrite', title, toLabel: leftLabel });
    }
  }

  /** A drop on `view`: rows from the other pane, or files and folders from the desktop. */
  async function dropped({ from, names, items, move, path }, view, to) {
    if (!path) return;
    if (from) {
      const [source, other] = from === 'customer' ? [customer, customerView] : [localView?.source, localView];
      if (!source || !other?.path) return;
      startCopy({ from: source, to, fromFolder: other.path, toFolder: path, entries: other.entriesNamed(names), move });
      return;
    }
    const desktop = await droppedSource(items);
    if (desktop.entries.length === 0) return failed(t('files.dropUnreadable'));
    startCopy({ from: desktop.source, to, fromFolder: { root: 'local', names: [] }, toFolder: path, entries: desktop.entries, move: false });
  }

  function render() {
    const phase = session ? phases.get(session.id) : null;
    const open = phase?.phase === 'open';
    openButton.hidden = open || phase?.phase === 'asking';
    closeButton.hidden = !open;
    panes.hidden = !open;
    status.textContent = !phase ? '' : {
      asking: t('files.asking'), open: '', denied: t('files.denied'),
      closed: t('files.closed', { reason: phase.reason ?? '' }),
    }[phase.phase];
  }

  // Alt+F1 and Alt+F2 choose the left and right pane's place, as the manual says.
  panel.addEventListener('keydown', (event) => {
    if (!event.altKey || !['F1', 'F2'].includes(event.key)) return;
    event.preventDefault();
    (event.key === 'F1' ? localView : customerView)?.focusRoots();
  });

  return {
    show(next) {
      const changedSession = next?.id !== session?.id;
      session = next;
      if (changedSession && session && phases.get(session.id)?.phase === 'open') {
        showCustomer();
        showLocal();
      }
      render();
    },
    /** `file_manager`: the customer's answer, or it closed. */
    statusChanged(update) {
      phases.set(update.sessionId, update);
      if (session?.id !== update.sessionId) return;
      if (update.phase === 'open') {
        showCustomer();
        showLocal();
      } else {
        customer?.abandon(update.reason ?? t('files.closed', { reason: '' }));
        customer = null;
        customerView = null;
      }
      render();
    },
    /** `file_manager_reply`. */
    reply(message) {
      if (session?.id === message.sessionId) customer?.reply(message.requestId, message.reply);
    },
    /** An `error` naming a request of ours: that request fails with it (true), shown where it was made. */
    refused(message) {
      return Boolean(customer?.reply(message.requestId, { kind: 'failed', code: message.code, message: message.message }));
    },
  };
}
