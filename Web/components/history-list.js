// History (C1, issue 15 item 8): the technician's closed sessions, newest first, with who worked
// them, when and how they ended; searchable (name, session ID, technician, computer, custom
// fields) and filtered by how they ended and by dates. A click opens the kept chat log and lists
// the session's screen recordings (J14) for download.
import { api } from '../lib/api.js';
import { formatDateTime, t } from '../lib/i18n.js';

/** The history rows `filter` keeps: pure, so the page and its tests agree. */
export function filterHistory(sessions, { text = '', reason = '', from = '', to = '' }) {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  // Dates from the date inputs are the technician's local days.
  const start = from ? new Date(`${from}T00:00:00`).getTime() : -Infinity;
  const end = to ? new Date(`${to}T23:59:59.999`).getTime() : Infinity;
  return sessions.filter((session) => {
    const ended = new Date(session.closedAt ?? session.stateSince).getTime();
    if (ended < start || ended > end) return false;
    if (reason && session.endReason !== reason) return false;
    const haystack = [session.name, session.id, session.technicianName, session.customer?.hostname, session.customer?.user,
      ...Object.values(session.fields ?? {})].join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

export function mountHistory({ section, toggle, table, empty, recordings }, { onOpen, onError }) {
  const $ = (id) => document.getElementById(id);
  let past = [];

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

  function row(session) {
    const line = document.createElement('tr');
    line.dataset.sessionId = session.id;
    line.dataset.endReason = session.endReason ?? '';
    line.tabIndex = 0;
    // Sessions closed before the end was kept say their last state.
    const how = session.endReason ? t(`end.${session.endReason}`) : t(`state.${session.state}`);
    for (const text of [session.name, session.id, session.technicianName, formatDateTime(session.closedAt ?? session.stateSince), how]) {
      const td = document.createElement('td');
      td.textContent = text;
      line.append(td);
    }
    const open = async () => {
      try {
        onOpen(session, await api(`sessions/${session.id}/log`));
        await showRecordings(session);
      } catch (error) {
        onError(error);
      }
    };
    line.addEventListener('click', open);
    line.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(); });
    return line;
  }

  function render() {
    const shown = filterHistory(past, {
      text: $('history-search').value, reason: $('history-reason').value, from: $('history-from').value, to: $('history-to').value,
    });
    table.querySelector('tbody').replaceChildren(...shown.map(row));
    empty.textContent = t(past.length === 0 ? 'history.empty' : 'history.noMatch');
    empty.hidden = shown.length > 0;
  }

  async function show() {
    try {
      past = await api('history?limit=500');
      render();
    } catch (error) {
      onError(error);
    }
  }

  for (const kind of ['input', 'change']) $('history-filter').addEventListener(kind, render);
  $('history-filter').addEventListener('submit', (event) => event.preventDefault());
  toggle.addEventListener('click', () => {
    section.hidden = !section.hidden;
    toggle.querySelector('[data-i18n]').textContent = t(section.hidden ? 'history.show' : 'history.hide');
    toggle.setAttribute('aria-expanded', String(!section.hidden));
    if (!section.hidden) show();
  });
}
