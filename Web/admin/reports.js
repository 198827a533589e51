// The sessions and technician performance reports (R3) of the Admin Center: a date range in the
// viewer's time zone, a technician or group filter, a table and the same rows as CSV.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { ready, stateName, textCell as cell, viewerTimeZone } from './admin-language.js';
import { followRoute } from './admin-route.js';

const $ = (id) => document.getElementById(id);
function query() {
  const params = new URLSearchParams({ timeZone: viewerTimeZone });
  for (const [id, key] of [['reports-from', 'from'], ['reports-to', 'to'], ['reports-technician', 'technicianId'], ['reports-group', 'groupId']]) {
    if ($(id).value) params.set(key, $(id).value);
  }
  return params;
}

/** A table body filled from rows, each row shown as the listed fields. */
function fill(table, rows, fields) {
  table.querySelector('tbody').replaceChildren(...rows.map((row) => {
    const line = document.createElement('tr');
    line.append(...fields.map((field) => cell(row[field])));
    return line;
  }));
}

async function load() {
  const params = query();
  const [sessions, technicians] = await Promise.all([api(`reports/sessions?${params}`), api(`reports/technicians?${params}`)]);
  const shown = sessions.map((row) => ({ ...row, method: t(`method.${row.method}`), endState: stateName(row.endState) }));
  fill($('sessions-report'), shown,
    ['created', 'customer', 'technician', 'group', 'channel', 'method', 'pickedUp', 'waiting', 'handling', 'endState']);
  fill($('technicians-report'), technicians, ['technician', 'group', 'sessions', 'handled', 'averagePickUp', 'averageHandling']);
  $('sessions-report-empty').hidden = sessions.length > 0;
  params.set('format', 'csv');
  $('sessions-csv').href = `/api/v1/reports/sessions?${params}`;
  $('technicians-csv').href = `/api/v1/reports/technicians?${params}`;
}

async function loadFilters() {
  const [technicians, groups] = await Promise.all([api('admin/technicians'), api('admin/groups')]);
  $('reports-technician').append(...technicians.map((t) => new Option(t.name, t.id)));
  $('reports-group').append(...groups.map((g) => new Option(g.name, g.id)));
}

$('reports-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await load();
    $('reports-error').hidden = true;
  } catch (error) {
    $('reports-error').textContent = describeError(error);
    $('reports-error').hidden = false;
  }
});

// A group's or a technician's Reports tab shows theirs.
let filtersLoaded = false;
const applyRoute = followRoute((route) => {
  if (!filtersLoaded || route.tab !== 'reports') return;
  $('reports-technician').value = route.kind === 'technician' ? route.id : '';
  $('reports-group').value = route.kind === 'group' ? route.id : '';
  load().catch((error) => {
    $('reports-error').textContent = describeError(error);
    $('reports-error').hidden = false;
  });
});

try {
  await ready;
  await loadFilters();
  filtersLoaded = true;
  applyRoute();
  await load();
} catch (error) {
  $('reports-error').textContent = describeError(error);
  $('reports-error').hidden = false;
}
