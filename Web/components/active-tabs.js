// Active-session tabs (C4, D1): one per session being worked, with its name and time in state.
// A tab can be closed (its ×, or Delete on the focused tab) without touching its session, and
// restored: all at once with the restore button, or one by selecting its session in the list
// again. Keyboard: the tabs pattern — arrow keys, Home and End move between tabs.
import { t } from '../lib/i18n.js';
import { activeTabs, timeText } from '../lib/session-logic.js';

export function mountActiveTabs(container, restore, { onSelect }) {
  const closed = new Set();
  let lastSelected = null;
  let latest = { sessions: [], selectedId: null, now: Date.now() };

  function close(id) {
    closed.add(id);
    draw();
  }

  function tab(session, selectedId, now) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'active-tab';
    button.setAttribute('role', 'tab');
    button.dataset.sessionId = session.id;
    const selected = session.id === selectedId;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    const label = document.createElement('span');
    label.textContent = `${session.name || t('new.namePlaceholder')} · ${timeText(session, now)}`;
    // The × is part of the tab for the mouse; keyboard users press Delete (announced below).
    const cross = document.createElement('span');
    cross.className = 'tab-close';
    cross.dataset.sessionId = session.id;
    cross.textContent = '×';
    cross.title = t('tabs.close');
    cross.setAttribute('aria-hidden', 'true');
    cross.addEventListener('click', (event) => {
      event.stopPropagation();
      close(session.id);
    });
    button.setAttribute('aria-keyshortcuts', 'Delete');
    button.setAttribute('aria-describedby', 'tab-close-hint');
    button.append(label, cross);
    button.addEventListener('click', () => onSelect(session.id));
    button.addEventListener('keydown', (event) => keydown(event, session.id));
    return button;
  }

  function keydown(event, id) {
    const tabs = [...container.querySelectorAll('[role=tab]')];
    const index = tabs.findIndex((button) => button.dataset.sessionId === id);
    const rtl = getComputedStyle(container).direction === 'rtl';
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
    let next = null;
    if (step !== undefined) next = tabs[(index + step + tabs.length) % tabs.length];
    else if (event.key === 'Home') next = tabs[0];
    else if (event.key === 'End') next = tabs.at(-1);
    else if (event.key === 'Delete') {
      event.preventDefault();
      close(id);
      container.querySelector('[role=tab]')?.focus();
      return;
    }
    if (!next) return;
    event.preventDefault();
    onSelect(next.dataset.sessionId);
    container.querySelector(`[data-session-id="${next.dataset.sessionId}"][role=tab]`)?.focus();
  }

  function draw() {
    const { sessions, selectedId, now } = latest;
    const all = activeTabs(sessions);
    // A closed session's tab comes back when its session is selected again.
    if (selectedId !== lastSelected && closed.has(selectedId)) closed.delete(selectedId);
    lastSelected = selectedId;
    for (const id of closed) if (!all.some((session) => session.id === id)) closed.delete(id);
    const hidden = all.filter((session) => closed.has(session.id)).length;
    restore.textContent = t('tabs.restore', { count: hidden });
    restore.hidden = hidden === 0;
    // Redrawn every second (the times): the focused tab keeps the focus.
    const focused = container.contains(document.activeElement) ? document.activeElement.dataset.sessionId : null;
    container.replaceChildren(...all.filter((session) => !closed.has(session.id)).map((session) => tab(session, selectedId, now)));
    if (focused) container.querySelector(`[role=tab][data-session-id="${focused}"]`)?.focus();
  }

  restore.addEventListener('click', () => {
    closed.clear();
    draw();
  });

  return {
    render(sessions, selectedId, now = Date.now()) {
      latest = { sessions, selectedId, now };
      draw();
    },
    /** Selects the n-th shown tab (shortcuts 1–9). */
    selectIndex(index) {
      const button = container.querySelectorAll('[role=tab]')[index];
      if (button) onSelect(button.dataset.sessionId);
    },
  };
}
