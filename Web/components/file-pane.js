// One pane of the file manager (K1, K2, K4, K5): a place (root and names), its entries in a
// virtualised list — only the rows in view are drawn, so a folder of 100,000 entries scrolls as
// one of ten — sorting, selection and the manual's keys. What the pane shows comes from a
// `source` (the customer's computer through the gateway, or a folder of the technician's).
import { t } from '../lib/i18n.js';
import { changeSelection, extension, formatSize, nameKey, parseTypedPath, shownName, sortEntries } from '../lib/file-list.js';

const ROW_HEIGHT = 24;
const SORT_KEYS = ['name', 'type', 'size', 'date'];

/** "drwxr-x---" from the kind and the permission bits. */
export function permissionText(entry) {
  const kind = { folder: 'd', symlink: 'l', file: '-' }[entry.kind] ?? '?';
  const bits = 'rwxrwxrwx'.split('').map((letter, index) => ((entry.mode >> (8 - index)) & 1 ? letter : '-')).join('');
  return kind + bits;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * `source`: {id, roots(), list(path, hidden), makeFolder(path), rename(path, name), remove(path), shown(path)}.
 * `onError(message)` shows a failure; `onSwitch()` moves to the other pane (Tab);
 * `onTransfer({entries, path, move})` copies (Ctrl+C) or moves (Ctrl+X) the chosen entries to the
 * other pane; `onDrop({from, names, move})` takes entries dragged here from the other pane;
 * `onSync(mode)` synchronises (Ctrl+S) or mirrors this pane's folder onto the other's (Ctrl+R).
 */
export function mountFilePane(container, source, {
  onError, onSwitch, onTransfer = () => {}, onDrop = () => {}, onSync = () => {}, ask = window.prompt.bind(window), confirm = window.confirm.bind(window),
}) {
  const state = { roots: [], path: null, entries: [], sorted: [], selected: new Set(), cursor: 0, sort: 'name', descending: false, hidden: false, loading: false };

  container.replaceChildren();
  container.classList.add('file-pane');
  container.dataset.source = source.id;
  const rootPick = element('select', 'file-root');
  rootPick.id = `file-root-${source.id}`;
  rootPick.setAttribute('aria-label', t('files.root'));
  const where = element('span', 'file-where');
  where.id = `file-where-${source.id}`;
  const toolbar = element('div', 'file-toolbar');
  const button = (key, action, id) => {
    const node = element('button', '', t(key));
    node.type = 'button';
    node.id = `file-${id}-${source.id}`;
    node.addEventListener('click', action);
    return node;
  };
  const hiddenBox = element('input');
  hiddenBox.type = 'checkbox';
  hiddenBox.id = `file-hidden-${source.id}`;
  const hiddenLabel = element('label', 'inline');
  hiddenLabel.append(hiddenBox, ' ', t('files.hidden'));
  toolbar.append(rootPick, button('files.up', () => up(), 'up'), button('files.refresh', () => refresh(), 'refresh'),
    button('files.newFolder', () => makeFolder(), 'new-folder'), button('files.rename', () => rename(), 'rename'),
    button('files.delete', () => remove(), 'delete'), button('files.copy', () => transfer(false), 'copy'),
    button('files.move', () => transfer(true), 'move'), button('files.sync', () => onSync('sync'), 'sync'),
    button('files.mirror', () => onSync('mirror'), 'mirror'), hiddenLabel);
  const header = element('div', 'file-row file-header');
  for (const key of SORT_KEYS) {
    const cell = element('button', `file-cell file-${key}`, t(`files.${key}`));
    cell.type = 'button';
    cell.addEventListener('click', () => sortBy(key));
    header.append(cell);
  }
  const list = element('div', 'file-list');
  list.id = `file-list-${source.id}`;
  list.tabIndex = 0;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-multiselectable', 'true');
  const spacer = element('div', 'file-spacer');
  const rows = element('div', 'file-rows');
  list.append(spacer, rows);
  const footer = element('p', 'muted file-footer');
  footer.id = `file-footer-${source.id}`;
  footer.setAttribute('role', 'status');
  container.append(toolbar, element('p', 'file-path', ''), header, list, footer);
  container.querySelector('.file-path').append(where);

  rootPick.addEventListener('change', () => go({ root: rootPick.value, names: [] }));
  hiddenBox.addEventListener('change', () => {
    state.hidden = hiddenBox.checked;
    refresh();
  });
  list.addEventListener('scroll', () => draw());
  list.addEventListener('keydown', keydown);
  list.addEventListener('focus', () => container.classList.add('active'));
  list.addEventListener('blur', () => container.classList.remove('active'));
  // Dragged from the other pane (a copy; with Shift, a move) or from the desktop.
  list.addEventListener('dragover', (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = event.shiftKey ? 'move' : 'copy';
  });
  list.addEventListener('drop', (event) => {
    event.preventDefault();
    const from = event.dataTransfer.getData('application/x-lifeline-pane');
    if (from && from === source.id) return;
    onDrop({ from, names: from ? JSON.parse(event.dataTransfer.getData('application/x-lifeline-names') || '[]') : [],
      items: from ? [] : [...event.dataTransfer.items], move: event.shiftKey, path: state.path });
  });

  function current() { return state.sorted[state.cursor]; }

  function resort() {
    const before = current();
    state.sorted = sortEntries(state.entries, state.sort, state.descending);
    if (before) state.cursor = Math.max(0, state.sorted.findIndex((entry) => nameKey(entry.name) === nameKey(before.name)));
  }

  function draw() {
    spacer.style.height = `${state.sorted.length * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(list.scrollTop / ROW_HEIGHT) - 5);
    const count = Math.ceil((list.clientHeight || 320) / ROW_HEIGHT) + 10;
    const drawn = [];
    for (let index = first; index < Math.min(state.sorted.length, first + count); index += 1) {
      const entry = state.sorted[index];
      const key = nameKey(entry.name);
      const row = element('div', `file-row file-${entry.kind}`);
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(state.selected.has(key)));
      row.dataset.name = shownName(entry.name);
      if (index === state.cursor) row.classList.add('cursor');
      row.style.top = `${index * ROW_HEIGHT}px`;
      // Who owns it and its permission bits, as ls shows them, on hover (the customer's side says).
      if (entry.owner) row.title = `${entry.owner} · ${permissionText(entry)}`;
      const name = entry.kind === 'symlink' && entry.target !== undefined
        ? `${shownName(entry.name)} → ${shownName(entry.target)}` : shownName(entry.name);
      row.append(element('span', 'file-cell file-name', name),
        element('span', 'file-cell file-type', entry.kind === 'folder' ? t('files.folder') : (entry.kind === 'file' ? extension(entry.name) : t(`files.kind_${entry.kind}`))),
        element('span', 'file-cell file-size', entry.kind === 'folder' ? '' : formatSize(entry.size)),
        element('span', 'file-cell file-date', entry.modified ? new Date(entry.modified * 1000).toLocaleString() : ''));
      row.draggable = true;
      row.addEventListener('dragstart', (event) => {
        if (!state.selected.has(key)) state.selected = new Set([key]);
        event.dataTransfer.setData('application/x-lifeline-pane', source.id);
        event.dataTransfer.setData('application/x-lifeline-names', JSON.stringify(targets().map((chosen) => chosen.name)));
        event.dataTransfer.effectAllowed = 'copyMove';
      });
      row.addEventListener('click', (event) => click(index, event));
      row.addEventListener('dblclick', () => open(index));
      drawn.push(row);
    }
    rows.replaceChildren(...drawn);
    footer.textContent = state.loading ? t('files.loading')
      : t('files.items', { count: state.sorted.length, selected: state.selected.size });
    where.textContent = state.path ? source.shown(state.path) : '';
  }

  function click(index, event) {
    const key = nameKey(state.sorted[index].name);
    if (event.shiftKey) {
      const [from, to] = [Math.min(index, state.cursor), Math.max(index, state.cursor)];
      for (let i = from; i <= to; i += 1) state.selected.add(nameKey(state.sorted[i].name));
    } else if (event.ctrlKey || event.metaKey) {
      if (state.selected.has(key)) state.selected.delete(key); else state.selected.add(key);
    } else {
      state.selected = new Set([key]);
    }
    state.cursor = index;
    list.focus();
    draw();
  }

  function reveal() {
    const top = state.cursor * ROW_HEIGHT;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW_HEIGHT > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW_HEIGHT - list.clientHeight;
  }

  async function go(path) {
    state.loading = true;
    draw();
    try {
      const entries = await source.list(path, state.hidden, (partial) => {
        // Pages as they arrive: a long folder shows its first entries at once.
        state.entries = partial;
        resort();
        draw();
      });
      state.path = path;
      state.entries = entries;
      state.selected = new Set();
      state.cursor = 0;
      list.scrollTop = 0;
      resort();
    } catch (error) {
      onError(error.message);
    } finally {
      state.loading = false;
      draw();
    }
  }

  function refresh() { if (state.path) go(state.path); }

  function up() {
    if (!state.path || state.path.names.length === 0) return;
    go({ root: state.path.root, names: state.path.names.slice(0, -1) });
  }

  function open(index = state.cursor) {
    const entry = state.sorted[index];
    if (entry?.kind === 'folder') go({ root: state.path.root, names: [...state.path.names, entry.name] });
  }

  function sortBy(key) {
    state.descending = state.sort === key ? !state.descending : false;
    state.sort = key;
    resort();
    draw();
  }

  /** The entries the next action applies to: the selection, else the row under the cursor. */
  function targets() {
    const chosen = state.sorted.filter((entry) => state.selected.has(nameKey(entry.name)));
    return chosen.length > 0 ? chosen : (current() ? [current()] : []);
  }

  async function act(work) {
    // A long delete says it is at work until the customer's computer answers.
    state.loading = true;
    draw();
    try {
      await work();
    } catch (error) {
      onError(error.message);
    }
    state.loading = false;
    refresh();
  }

  function makeFolder() {
    if (!state.path) return;
    const name = ask(t('files.folderName'));
    if (name) act(() => source.makeFolder({ root: state.path.root, names: [...state.path.names, name] }));
  }

  function rename() {
    const entry = current();
    if (!entry) return;
    const name = ask(t('files.newName', { name: shownName(entry.name) }), shownName(entry.name));
    if (name && name !== shownName(entry.name)) act(() => source.rename({ root: state.path.root, names: [...state.path.names, entry.name] }, name));
  }

  function remove() {
    const chosen = targets();
    if (chosen.length === 0 || !confirm(t('files.confirmDelete', { count: chosen.length }))) return;
    act(async () => {
      for (const entry of chosen) await source.remove({ root: state.path.root, names: [...state.path.names, entry.name] });
    });
  }

  function transfer(move) {
    const chosen = targets();
    if (state.path && chosen.length > 0) onTransfer({ entries: chosen, path: state.path, move });
  }

  function select(action, promptKey) {
    const pattern = promptKey ? ask(t(promptKey), '*') : '';
    if (promptKey && !pattern) return;
    state.selected = changeSelection(state.selected, state.sorted, action, pattern);
    draw();
  }

  function keydown(event) {
    const ctrl = event.ctrlKey || event.metaKey;
    const handled = () => { event.preventDefault(); event.stopPropagation(); };
    if (event.key === 'Tab' && !event.shiftKey) { handled(); onSwitch(); return; }
    if (ctrl && ['1', '2', '3', '4'].includes(event.key)) { handled(); sortBy(SORT_KEYS[Number(event.key) - 1]); return; }
    if (ctrl && event.key === 'Backspace') { handled(); rootPick.focus(); return; }
    if (ctrl && event.key.toLowerCase() === 'a') { handled(); select('all'); return; }
    if (ctrl && event.key.toLowerCase() === 'n') { handled(); makeFolder(); return; }
    if (ctrl && event.key.toLowerCase() === 'c') { handled(); transfer(false); return; }
    if (ctrl && event.key.toLowerCase() === 'x') { handled(); transfer(true); return; }
    if (ctrl && event.key.toLowerCase() === 's') { handled(); onSync('sync'); return; }
    if (ctrl && event.key.toLowerCase() === 'r') { handled(); onSync('mirror'); return; }
    if (ctrl && event.key.toLowerCase() === 'g') {
      handled();
      const typed = ask(t('files.goTo'), state.path ? source.shown(state.path) : '');
      if (typed && state.path) go(parseTypedPath(typed, state.path));
      return;
    }
    if (ctrl) return;
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity }[event.key];
    if (step !== undefined) {
      handled();
      const last = state.sorted.length - 1;
      const next = Math.min(last, Math.max(0, Number.isFinite(step) ? state.cursor + step : (step < 0 ? 0 : last)));
      if (event.shiftKey) for (let i = Math.min(next, state.cursor); i <= Math.max(next, state.cursor); i += 1) state.selected.add(nameKey(state.sorted[i].name));
      state.cursor = next;
      reveal();
      draw();
      return;
    }
    const action = {
      Enter: () => open(), Backspace: () => up(), F5: () => refresh(), F2: () => rename(), Delete: () => remove(),
      ' ': () => { const entry = current(); if (entry) { const key = nameKey(entry.name); if (state.selected.has(key)) state.selected.delete(key); else state.selected.add(key); draw(); } },
      '+': () => select('select', 'files.selectPattern'), '-': () => select('deselect', 'files.deselectPattern'),
      '*': () => select('invert'), Escape: () => select('none'),
    }[event.key];
    if (action) { handled(); action(); }
  }

  return {
    /** Loads the roots and opens the first (home for the customer). */
    async start() {
      try {
        state.roots = await source.roots();
        rootPick.replaceChildren(...state.roots.map((root) => Object.assign(element('option', '', root.label), { value: root.id })));
        if (state.roots.length > 0) await go({ root: state.roots[0].id, names: [] });
      } catch (error) {
        onError(error.message);
      }
    },
    focus: () => list.focus(),
    refresh,
    source,
    /** The entries shown now, by name, for a drop from this pane. */
    entriesNamed(names) {
      const wanted = new Set(names.map(nameKey));
      return state.entries.filter((entry) => wanted.has(nameKey(entry.name)));
    },
    focusRoots: () => rootPick.focus(),
    /** What the pane shows, for the panel and tests. */
    get path() { return state.path; },
  };
}
