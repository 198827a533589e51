// The chat pane's own session switcher (C4: "click the chat pane of the session you want"): one
// button per other session being worked, with how many customer lines arrived since it was last
// shown; a click (or Enter) opens that session.
import { t } from '../lib/i18n.js';
import { activeTabs } from '../lib/session-logic.js';

export function mountChatSwitcher(container, { onSelect }) {
  const unread = new Map(); // session id → customer lines not seen yet

  return {
    /** A customer line arrived for `sessionId`; counted unless the technician is looking at it. */
    customerLine(sessionId, shownId) {
      if (sessionId !== shownId) unread.set(sessionId, (unread.get(sessionId) ?? 0) + 1);
    },
    render(sessions, selectedId) {
      unread.delete(selectedId);
      const others = activeTabs(sessions).filter((session) => session.id !== selectedId);
      container.hidden = others.length === 0;
      container.replaceChildren(...others.map((session) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'chat-switch-session';
        button.dataset.sessionId = session.id;
        const count = unread.get(session.id) ?? 0;
        const name = session.name || t('new.namePlaceholder');
        button.textContent = name;
        if (count > 0) {
          const badge = document.createElement('span');
          badge.className = 'unread';
          badge.textContent = String(count);
          button.append(' ', badge);
        }
        button.setAttribute('aria-label', count > 0 ? t('chat.openWithUnread', { name, count }) : t('chat.open', { name }));
        button.addEventListener('click', () => onSelect(session.id));
        return button;
      }));
    },
  };
}
