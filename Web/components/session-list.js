// The queue table (C3): Name, Session ID, Status, Time, Channel. Text only: nothing from the
// network is ever parsed as HTML.
import { t } from '../lib/i18n.js';
import { formatDuration, rowClass, transferredBy } from '../lib/session-logic.js';

export function mountSessionList(table, emptyNote, { onSelect }) {
  const body = table.querySelector('tbody');

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  return {
    render(sessions, selectedId, now = Date.now(), urgentAfterMs = Infinity) {
      body.replaceChildren(...sessions.map((session) => {
        const row = document.createElement('tr');
        row.dataset.sessionId = session.id;
        row.className = rowClass(session, now, urgentAfterMs);
        row.setAttribute('aria-selected', String(session.id === selectedId));
        row.append(
          cell(session.name),
          cell(session.id),
          cell(t(`state.${session.state}`)),
          cell(formatDuration(now - Date.parse(session.stateSince))),
          cell(t('channel.private')),
          cell(transferredBy(session)),
        );
        row.cells[2].className = 'status';
        row.cells[3].className = 'time';
        row.addEventListener('click', () => onSelect(session.id));
        return row;
      }));
      emptyNote.hidden = sessions.length > 0;
    },
  };
}
