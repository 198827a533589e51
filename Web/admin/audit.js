// The Audit tab of the Admin Center (R3): the organisation's audit entries over a period, in the
// viewer's time zone, newest last as the gateway keeps them, and the same as CSV. Read only: the
// log is append-only and hash-chained on the gateway.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { textCell as cell, viewerTimeZone } from './admin-language.js';
import { followRoute } from './admin-route.js';

const $ = (id) => document.getElementById(id);
/** Before → after, as the gateway recorded them (JSON, shown as text). */
function change(entry) {
  if (entry.before && entry.after) return `${entry.before} → ${entry.after}`;
  return entry.after ?? entry.before ?? '';
}

async function load() {
  const query = new URLSearchParams({ timeZone: viewerTimeZone });
  if ($('audit-from').value) query.set('from', $('audit-from').value);
  if ($('audit-to').value) query.set('to', $('audit-to').value);
  const entries = await api(`admin/audit?${query}`);
  $('audit-log').querySelector('tbody').replaceChildren(...entries.map((entry) => {
    const row = document.createElement('tr');
    row.dataset.sequence = String(entry.sequence);
    const object = entry.objectType ? `${entry.objectType} ${entry.objectId ?? ''}`.trim() : '';
    row.append(cell(entry.at), cell(entry.actor), cell(t(`audit.${entry.action}`)), cell(object), cell(change(entry)), cell(entry.source));
    return row;
  }));
  $('audit-empty').hidden = entries.length > 0;
  query.set('format', 'csv');
  $('audit-csv').href = `/api/v1/admin/audit?${query}`;
}

function fail(error) {
  $('admin-error').textContent = describeError(error);
  $('admin-error').hidden = false;
}

$('audit-form').addEventListener('submit', (event) => {
  event.preventDefault();
  load().catch(fail);
});

// Read when the tab opens (and again each time it does: entries keep coming).
followRoute((route) => {
  if (route.kind === 'organisation' && route.tab === 'audit') load().catch(fail);
});
