// The console's keyboard shortcuts (issue 15), listed in one table that both runs them and fills
// the help overlay (?). A shortcut is a single key, taken only while the focus is not in a text
// field, a menu or the customer's screen (which sends every key to the customer; F8 leaves it).
import { t } from '../lib/i18n.js';

/** Whether a key press belongs to what has the focus rather than to the console. */
function typingInto(target) {
  if (!(target instanceof Element)) return false;
  return target.matches('input, textarea, select, [contenteditable=""], [contenteditable="true"], .remote-canvas');
}

/** Clicks a control only when the technician could click it: shown and enabled. */
function press(id) {
  const control = document.getElementById(id);
  if (!control || control.disabled || control.closest('[hidden]') || control.getAttribute('aria-disabled') === 'true') return false;
  control.click();
  return true;
}

/**
 * `actions`: focusChat, openTool(id), moveTool(step), selectActiveTab(index), focusRemote.
 * Returns the help overlay's opener.
 */
export function mountShortcuts(dialog, actions) {
  const SHORTCUTS = [
    { keys: ['?'], label: 'shortcuts.help', run: () => open() },
    { keys: ['n'], label: 'toolbar.new', run: () => press('new-session') },
    { keys: ['s'], label: 'toolbar.start', run: () => press('start-session') },
    { keys: ['h'], label: 'toolbar.hold', run: () => press('hold-session') },
    { keys: ['e'], label: 'toolbar.end', run: () => press('end-session') },
    { keys: ['t'], label: 'toolbar.transfer', run: () => press('transfer-session') },
    { keys: ['c'], label: 'shortcuts.chat', run: () => actions.focusChat() },
    { keys: ['l'], label: 'shortcuts.list', run: () => press('toggle-queue') },
    { keys: ['1', '…', '9'], label: 'shortcuts.sessionTab', match: (key) => /^[1-9]$/.test(key), run: (key) => actions.selectActiveTab(Number(key) - 1) },
    { keys: ['['], label: 'shortcuts.previousTool', run: () => actions.moveTool(-1) },
    { keys: [']'], label: 'shortcuts.nextTool', run: () => actions.moveTool(1) },
    { keys: ['r'], label: 'remote.askControl', run: () => actions.openTool('remote') && (actions.focusRemote() || press('remote-control')) },
    { keys: ['v'], label: 'remote.askView', run: () => actions.openTool('remote') && press('remote-view') },
    { keys: ['f'], label: 'remote.fullscreen', run: () => press('remote-fullscreen') },
    { keys: ['F8'], label: 'shortcuts.release', run: () => {} },
  ];

  function open() {
    const body = dialog.querySelector('tbody');
    body.replaceChildren(...SHORTCUTS.map((shortcut) => {
      const row = document.createElement('tr');
      const keys = document.createElement('td');
      for (const key of shortcut.keys) {
        const kbd = document.createElement(key === '…' ? 'span' : 'kbd');
        kbd.textContent = key;
        keys.append(kbd, ' ');
      }
      const what = document.createElement('td');
      what.textContent = t(shortcut.label);
      row.append(keys, what);
      return row;
    }));
    dialog.showModal();
  }
  dialog.querySelector('#shortcuts-close').addEventListener('click', () => dialog.close());

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
    if (typingInto(event.target) || document.querySelector('dialog[open]')) return;
    const shortcut = SHORTCUTS.find((s) => (s.match ? s.match(event.key) : s.keys.includes(event.key) && event.key !== 'F8'));
    if (!shortcut) return;
    event.preventDefault();
    shortcut.run(event.key);
  });
  return { open };
}
