// The File Manager tab (K1): the technician's files on the left, the customer's on the right.
// The customer is asked first (the gateway passes `file_manager_open` to the applet, which asks
// them); the right pane then reads their computer through `file_manager_request`s. The left pane
// is a folder the technician opens with the browser's File System Access API, or this browser's
// own storage (the origin-private file system) where that API is missing — said plainly.
import { t } from '../lib/i18n.js';
import { shownName } from '../lib/file-list.js';
import { mountFilePane } from './file-pane.js';

let requestCounter = 0;

/** The customer's computer, over the console socket; answers come back through `reply`. */
function customerSource(send, sessionId) {
  const pending = new Map(); // requestId → {resolve, reject, entries, onPage}
  const request = (body, onPage) => new Promise((resolve, reject) => {
    requestCounter += 1;
    const requestId = `fm-${Date.now().toString(36)}-${requestCounter}`;
    pending.set(requestId, { resolve, reject, entries: [], onPage });
    send('file_manager_request', { sessionId, requestId, request: body });
  });
  const changed = (reply) => {
    if (reply.kind === 'failed') throw new Error(reply.message);
    return reply;
  };
  const shownPath = (path) => {
    const tail = path.names.map(shownName).join('/');
    const base = path.root === 'home' ? '~' : path.root === 'system' ? '' : path.root.replace(/^mount:/, '');
    return tail ? `${base}/${tail}` : (base || '/');
  };
  return {
    id: 'customer',
    roots: async () => changed(await request({ op: 'roots' })).roots,
    list: async (path, hidden, onPage) => changed(await request({ op: 'list', path, hidden }, onPage)).entries,
    makeFolder: async (path) => changed(await request({ op: 'make_folder', path })),
    rename: async (path, newName) => changed(await request({ op: 'rename', path, newName })),
    remove: async (path) => changed(await request({ op: 'delete', path })),
    shown: shownPath,
    /** A `file_manager_reply` for this session: pages gather, the last settles the request. */
    reply(requestId, reply) {
      const waiting = pending.get(requestId);
      if (!waiting) return;
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
          return;
        }
        pending.delete(requestId);
        waiting.resolve({ kind: 'entries', entries: waiting.entries });
        return;
      }
      pending.delete(requestId);
      waiting.resolve(reply);
    },
    /** The file manager closed: every request still waiting fails with the reason. */
    abandon(reason) {
      for (const waiting of pending.values()) waiting.reject(new Error(reason));
      pending.clear();
    },
  };
}

/** A folder of the technician's (a FileSystemDirectoryHandle), walked by names. */
function localSource(directory) {
  const walk = async (names) => {
    let folder = directory;
    for (const name of names) folder = await folder.getDirectoryHandle(shownName(name));
    return folder;
  };
  const parentOf = async (path) => [await walk(path.names.slice(0, -1)), shownName(path.names[path.names.length - 1])];
  const exists = async (folder, name) => {
    for await (const key of folder.keys()) if (key === name) return true;
    return false;
  };
  return {
    id: 'local',
    roots: async () => [{ id: 'local', label: directory.name || t('files.browserStorage') }],
    async list(path) {
      const folder = await walk(path.names);
      const entries = [];
      for await (const [name, handle] of folder.entries()) {
        if (handle.kind === 'directory') {
          entries.push({ name, kind: 'folder', size: 0, modified: 0 });
        } else {
          const file = await handle.getFile();
          entries.push({ name, kind: 'file', size: file.size, modified: file.lastModified / 1000 });
        }
      }
      return entries;
    },
    async makeFolder(path) {
      const [folder, name] = await parentOf(path);
      if (await exists(folder, name)) throw new Error(t('files.exists', { name }));
      await folder.getDirectoryHandle(name, { create: true });
    },
    async rename(path, newName) {
      const [folder, name] = await parentOf(path);
      if (await exists(folder, newName)) throw new Error(t('files.exists', { name: newName }));
      const handle = await folder.getDirectoryHandle(name).catch(() => folder.getFileHandle(name));
      if (!handle.move) throw new Error(t('files.noRename'));
      await handle.move(newName);
    },
    async remove(path) {
      const [folder, name] = await parentOf(path);
      await folder.removeEntry(name, { recursive: true });
    },
    shown: (path) => [directory.name || t('files.browserStorage'), ...path.names.map(shownName)].join('/'),
  };
}

export function mountFileManager(panel, { send, onError }) {
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
    localView = mountFilePane(localPane, localSource(directory), { onError: failed, onSwitch: () => customerView?.focus() });
    localView.start();
  }

  function showCustomer() {
    customer?.abandon(t('files.switched'));
    customer = customerSource(send, session.id);
    customerView = mountFilePane(customerPane, customer, { onError: failed, onSwitch: () => (localView ?? customerView)?.focus() });
    customerView.start().then(() => customerView.focus());
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
  };
}
