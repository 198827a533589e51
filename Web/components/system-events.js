// The event viewer (L8) inside the System info tab: the journal's system, security and
// application logs as the manual's three tabs, filtered by priority and words, newest first,
// 200 entries a page with "Older entries" for the next; sortable by any column. The applet
// searches (a bounded number of entries per page), so tens of thousands stay quick.
import { t } from '../lib/i18n.js';
import { element, sortableTable, EVENT_COLUMNS } from './system-views.js';

export const PAGE_SIZE = 200;

export function mountEventViewer(panel, { ask }) {
  const controls = panel.querySelector('#system-event-controls');
  const logButtons = [...controls.querySelectorAll('[data-log]')];
  const priority = controls.querySelector('#system-event-priority');
  const words = controls.querySelector('#system-event-text');
  const older = panel.querySelector('#system-event-older');
  let log = 'system';
  let sort = { key: 'time', descending: true };
  let shown = null; // the page drawn, for "Older entries"

  for (const button of logButtons) {
    button.addEventListener('click', () => {
      log = button.dataset.log;
      for (const other of logButtons) other.setAttribute('aria-pressed', String(other === button));
      ask();
    });
  }
  priority.addEventListener('change', () => ask());
  words.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') ask();
  });

  const viewer = {
    /** The page to ask for: the chosen log, priority and words; older than `before` when given. */
    query(before) {
      const text = words.value.trim();
      return { log, maximumPriority: Number(priority.value), ...(text ? { text } : {}), ...(before ? { before } : {}), limit: PAGE_SIZE };
    },
    show(visible) {
      controls.hidden = !visible;
      if (!visible) older.hidden = true;
    },
    /** One log's entries so far, with a button for older ones while there are any. */
    draw(view, reading, redraw) {
      const page = reading.reply.events;
      shown = page;
      for (const button of logButtons) button.setAttribute('aria-pressed', String(button.dataset.log === reading.query.log));
      const node = sortableTable({
        columns: EVENT_COLUMNS, rows: page.entries, sort,
        onSort: (next) => {
          sort = next;
          redraw();
          view.querySelector(`[data-sort="${next.key}"]`)?.focus();
        },
        rowData: (entry) => ({ priority: entry.priority }),
      });
      const count = t(page.next ? 'system.eventCountMore' : 'system.eventCount', { count: page.entries.length });
      view.replaceChildren(element('p', 'muted', count), node);
      older.hidden = !page.next;
    },
    older: (handler) => older.addEventListener('click', () => {
      if (shown?.next) handler(shown.next);
    }),
  };
  return viewer;
}
