// Active-session tabs (C4, D1): one per session being worked, with its name and time in state.
// A tab can be closed (×) without touching its session, and restored: all at once with the
// restore button, or one by selecting its session in the list again.
import { t } from '../lib/i18n.js';
import { activeTabs, timeText } from '../lib/session-logic.js';

export function mountActiveTabs(container, { onSelect }) {
  const closed = new Set();
  let lastSelected = null;
  let latest = { sessions: [], selectedId: null, now: Date.now() };

  function tab(session, selectedId, now) {
    const wrapper = document.createElement('span');
    wrapper.className = 'active-tab';
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'tab');
    button.dataset.sessionId = session.id;
    button.setAttribute('aria-selected', String(session.id === selectedId));
    button.textContent = `${session.name || t('new.namePlaceholder')} · ${timeText(session, now)}`;
    button.addEventListener('click', () => onSelect(session.id));
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'tab-close';
    close.dataset.sessionId = session.id;
    close.textContent = '×';
    close.title = t('tabs.close');
    close.setAttribute('aria-label', t('tabs.close'));
    close.addEventListener('click', () => {
      closed.add(session.id);
      draw();
    });
    wrapper.append(button, close);
    return wrapper;
  }

  function draw() {
    const { sessions, selectedId, now } = latest;
    const all = activeTabs(sessions);
    // A closed session's tab comes back when its session is selected again.
    if (selectedId !== lastSelected && closed.has(selectedId)) closed.delete(selectedId);
    lastSelected = selectedId;
    for (const id of closed) if (!all.some((session) => session.id === id)) closed.delete(id);
    const hidden = all.filter((session) => closed.has(session.id)).length;
    const restore = document.createElement('button');
    restore.type = 'button';
    restore.id = 'restore-tabs';
    restore.className = 'link';
    restore.textContent = t('tabs.restore', { count: hidden });
    restore.hidden = hidden === 0;
    restore.addEventListener('click', () => {
      closed.clear();
      draw();
    });
    container.replaceChildren(...all.filter((session) => !closed.has(session.id)).map((session) => tab(session, selectedId, now)), restore);
  }

  return {
    render(sessions, selectedId, now = Date.now()) {
      latest = { sessions, selectedId, now };
      draw();
    },
  };
}
