// History (C1): the technician's closed sessions, newest first; a click opens the kept chat log
// and lists the session's screen recordings (J14) for download.
import { api } from '../lib/api.js';
import { formatDateTime, t } from '../lib/i18n.js';

export function mountHistory({ section, toggle, table, empty, recordings }, { onOpen, onError }) {
  async function showRecordings(session) {
    const list = await api(`sessions/${session.id}/recordings`);
    recordings.querySelector('ul').replaceChildren(...list.map((recording) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `/api/v1/sessions/${session.id}/recordings/${recording.id}`;
      link.download = `recording-${session.id}-${recording.id}.webm`;
      const size = `${(recording.bytes / 1048576).toFixed(1)} MB`;
      link.textContent = `${formatDateTime(recording.startedAt)} · ${size}`;
      item.append(link);
      return item;
    }));
    recordings.hidden = list.length === 0;
  }

  async function show() {
    try {
      const past = await api('history');
      table.querySelector('tbody').replaceChildren(...past.map((session) => {
        const row = document.createElement('tr');
        row.dataset.sessionId = session.id;
        for (const text of [session.name, session.id, t(`state.${session.state}`), formatDateTime(session.stateSince)]) {
          const td = document.createElement('td');
          td.textContent = text;
          row.append(td);
        }
        row.addEventListener('click', async () => {
          try {
            onOpen(session, await api(`sessions/${session.id}/log`));
            await showRecordings(session);
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
    toggle.querySelector('[data-i18n]').textContent = t(section.hidden ? 'history.show' : 'history.hide');
    toggle.setAttribute('aria-expanded', String(!section.hidden));
    if (!section.hidden) show();
  });
}
