// The console's layout controls (issue 15): the session list folds to a narrow strip (showing
// how many customers wait) and the chat's width follows its splitter; both are remembered in
// this browser. When a remote desktop opens, the list folds by itself to give the customer's
// screen the room; the technician can open it again.
import { t } from '../lib/i18n.js';
import { labelIconButton } from '../lib/icons.js';
import { mountSplitter } from '../components/splitter.js';

const QUEUE_KEY = 'lifeline.queueCollapsed';

export function mountWorkspaceLayout() {
  const $ = (id) => document.getElementById(id);
  const [layout, toggle, count, workspace] = ['layout', 'toggle-queue', 'queue-count', 'workspace'].map($);

  function foldQueue(folded, { remember = true } = {}) {
    layout.classList.toggle('queue-collapsed', folded);
    toggle.setAttribute('aria-expanded', String(!folded));
    labelIconButton(toggle, t(folded ? 'queue.expand' : 'queue.collapse'));
    if (remember) localStorage.setItem(QUEUE_KEY, folded ? '1' : '');
  }
  toggle.addEventListener('click', () => foldQueue(!layout.classList.contains('queue-collapsed')));

  mountSplitter($('chat-resize'), {
    target: $('chat-pane'), variable: '--chat-width', storageKey: 'lifeline.chatWidth',
    min: 240, max: () => Math.max(320, workspace.clientWidth * 0.6), defaultWidth: 320,
  });

  return {
    /** Called once the console's language is loaded: labels and the remembered fold. */
    start() {
      foldQueue(localStorage.getItem(QUEUE_KEY) === '1', { remember: false });
    },
    /** The list unfolds for what lives in it (the history). */
    showQueue() {
      if (layout.classList.contains('queue-collapsed')) foldQueue(false, { remember: false });
    },
    /** A remote desktop opened for the shown session: the screen gets the room. */
    remoteShown() {
      foldQueue(true, { remember: false });
    },
    /** How many customers wait, shown on the folded strip. */
    waiting(number) {
      count.textContent = String(number);
      count.hidden = number === 0;
      count.title = t('queue.waiting', { count: number });
    },
  };
}
