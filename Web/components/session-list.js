// The queue table (C3): Name, Session ID, Status, Time, Channel. Text only: nothing from the
// network is ever parsed as HTML.
import { t } from '../lib/i18n.js';
import { rowClass, timeText, transferredBy } from '../lib/session-logic.js';

export function mountSessionList(table, emptyNote, { onSelect }) {
  const body = table.querySelector('tbody');

  const COLUMNS = ['name', 'id', 'status', 'time', 'channel', 'transferred_by'];

  function cell(text, column) {
    const td = document.createElement('td');
    td.textContent = text;
    td.dataset.column = column;
    return td;
  }

  return {
    /** Hides the columns the technician switched off (C3). */
    showColumns(hidden) {
      table.dataset.hidden = hidden.join(' ');
    },
    render(sessions, selectedId, now = Date.now(), urgentAfterMs = Infinity) {
      body.replaceChildren(...sessions.map((session) => {
        const row = document.createElement('tr');
        row.dataset.sessionId = session.id;
        row.className = rowClass(session, now, urgentAfterMs);
        row.setAttribute('aria-selected', String(session.id === selectedId));
        const values = [session.name, session.id, t(`state.${session.state}`),
          timeText(session, now), t('channel.private'), transferredBy(session)];
        row.append(...values.map((value, index) => cell(value, COLUMNS[index])));
        row.cells[2].className = 'status';
        row.cells[3].className = 'time';
        row.addEventListener('click', () => onSelect(session.id));
        return row;
      }));
      emptyNote.hidden = sessions.length > 0;
    },
  };
}
