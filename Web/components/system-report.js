// The whole system information as one HTML report attached to the session (issue 18, item 9):
// every view read afresh, written as a standalone page (every value escaped, no script), and
// sent to the gateway, which keeps it with the files from the customer's computer.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { VIEWS, replyLines } from './system-views.js';

let counter = 0;
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (character) => ESCAPES[character]);
/** Each view's list key, for gathering a reply that comes in parts. */
const LISTS = { processes: 'processes', services: 'services', startup: 'startup', applications: 'applications', drivers: 'drivers' };
/** Views whose first line names the columns. */
const HEADED = new Set(['processes', 'services', 'startup', 'applications', 'drivers', 'events']);

/** The report's page: one section per view, a table of its lines, or why it could not be read. */
export function reportPage(session, readings, at) {
  const sections = VIEWS.map((view) => {
    const reading = readings[view];
    const title = `<h2>${escape(t(`system.${view === 'user' ? 'account' : view === 'events' ? 'eventsView' : view}`))}</h2>`;
    if (!reading || reading.kind === 'failed') {
      return `${title}<p>${escape(t('system.reportUnread', { reason: reading?.message ?? '—' }))}</p>`;
    }
    const lines = replyLines(reading);
    const [head, ...rest] = HEADED.has(view) ? lines : [null, ...lines];
    const header = head ? `<thead><tr>${head.map((cell) => `<th>${escape(cell)}</th>`).join('')}</tr></thead>` : '';
    const body = rest.map((line) => `<tr>${line.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('\n');
    return `${title}<table>${header}<tbody>\n${body}\n</tbody></table>`;
  });
  const heading = t('system.reportTitle', { name: session.name, date: at.toLocaleString() });
  return `<!DOCTYPE html>
<html lang="${escape(document.documentElement.lang || 'en')}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escape(heading)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:start;vertical-align:top}th{background:#f3f4f6}</style></head>
<body><h1>${escape(heading)}</h1>
${sections.join('\n')}
</body></html>
`;
}

/**
 * The "Save a report" button of the System info tab: asks the applet for every view with its own
 * request ids, and says on `status` how it goes. `handles(message)` takes the replies and refusals.
 */
export function mountSystemReport(panel, { send, currentSession }) {
  const button = panel.querySelector('#system-report');
  const status = panel.querySelector('#system-report-status');
  let running = null; // { session, waiting: Map(requestId → {view, rows}), readings }

  function say(text, isError = false) {
    status.textContent = text;
    status.classList.toggle('error', isError);
  }

  async function finish() {
    const { session, readings } = running;
    running = null;
    button.disabled = false;
    say(t('system.reportSaving'));
    const page = reportPage(session, readings, new Date());
    try {
      const file = await api(`sessions/${session.id}/system-report`, { method: 'POST', body: new Blob([page]), contentType: 'text/html; charset=utf-8' });
      say(t('system.reportSaved', { name: file.name }));
    } catch (error) {
      say(error.message, true);
    }
  }

  button.addEventListener('click', () => {
    const session = currentSession();
    if (!session || running) return;
    running = { session, waiting: new Map(), readings: {} };
    button.disabled = true;
    say(t('system.reportReading'));
    for (const view of VIEWS) {
      counter += 1;
      const requestId = `report-${counter}`;
      running.waiting.set(requestId, { view, rows: [] });
      send('system_info_request', { sessionId: session.id, requestId, view, ...(view === 'events' ? { events: { log: 'system', limit: 200 } } : {}) });
    }
  });

  return {
    /** A `system_info_reply` or refusal for the report; false when it is not one. */
    handles(message) {
      const asked = running?.waiting.get(message.requestId);
      if (!asked) return false;
      if (message.type === 'error') {
        running.readings[asked.view] = { kind: 'failed', message: message.message };
      } else {
        const { reply } = message;
        const key = LISTS[reply.kind];
        if (key) asked.rows.push(...reply[key]);
        if (reply.kind === 'events') asked.rows.push(...reply.events.entries);
        if (message.more) return true;
        running.readings[asked.view] = key ? { ...reply, [key]: asked.rows }
          : reply.kind === 'events' ? { ...reply, events: { ...reply.events, entries: asked.rows } } : reply;
      }
      running.waiting.delete(message.requestId);
      if (running.waiting.size === 0) finish();
      return true;
    },
    show(session) {
      button.hidden = !session;
      button.disabled = Boolean(running) || !['active', 'collaboration'].includes(session?.state);
    },
  };
}
