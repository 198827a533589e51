// Active-session tabs (C4): one per session being worked, with its name and time in state.
import { t } from '../lib/i18n.js';
import { activeTabs, timeText } from '../lib/session-logic.js';

export function mountActiveTabs(container, { onSelect }) {
  return {
    render(sessions, selectedId, now = Date.now()) {
      container.replaceChildren(...activeTabs(sessions).map((session) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.setAttribute('role', 'tab');
        button.dataset.sessionId = session.id;
        button.setAttribute('aria-selected', String(session.id === selectedId));
        button.textContent = `${session.name || t('new.namePlaceholder')} · ${timeText(session, now)}`;
        button.addEventListener('click', () => onSelect(session.id));
        return button;
      }));
    },
  };
}
