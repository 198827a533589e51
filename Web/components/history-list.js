// History (C1): the technician's closed sessions, newest first; a click opens the kept chat log.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function mountHistory({ section, toggle, table, empty }, { onOpen, onError }) {
  async function show() {
    try {
      const past = await api('history');
      table.querySelector('tbody').replaceChildren(...past.map((session) => {
        const row = document.createElement('tr');
        row.dataset.sessionId = session.id;
        for (const text of [session.name, session.id, t(`state.${session.state}`), new Date(session.stateSince).toLocaleString()]) {
          const td = document.createElement('td');
          td.textContent = text;
          row.append(td);
        }
        row.addEventListener('click', async () => {
          try {
            onOpen(session, await api(`sessions/${session.id}/log`));
          } catch (error) {
            onError(error);
          }
        });
        return row;
      }));
      empty.hidden = past.length > 0;
    } catch (error) {
      onError(error);
    }
  }

  toggle.addEventListener('click', () => {
    section.hidden = !section.hidden;
    toggle.textContent = t(section.hidden ? 'history.show' : 'history.hide');
    if (!section.hidden) show();
  });
}
