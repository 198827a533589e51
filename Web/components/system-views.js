// What the System info tab shows, as data: table columns, label/value rows and CSV cells for each
// view (L1, L2, L3, L5, L6). No state and no socket: system-info.js draws and asks.
import { t } from '../lib/i18n.js';
import { formatSize } from '../lib/file-list.js';

export const VIEWS = ['dashboard', 'processes', 'services', 'startup', 'applications', 'user', 'drivers', 'events'];
export const COLUMNS = [
  { key: 'name', label: 'system.name', text: (row) => row.name },
  { key: 'pid', label: 'system.pid', numeric: true, text: (row) => String(row.pid) },
  { key: 'user', label: 'system.user', text: (row) => row.user },
  { key: 'cpuPercent', label: 'system.cpu', numeric: true, text: (row) => row.cpuPercent.toFixed(1) },
  { key: 'memory', label: 'system.memoryColumn', numeric: true, text: (row) => formatSize(row.memory), csv: (row) => row.memory },
  { key: 'started', label: 'system.started', numeric: true, text: (row) => when(row.started) },
  { key: 'commandLine', label: 'system.command', text: (row) => row.commandLine },
];

export const when = (seconds) => (seconds ? new Date(seconds * 1000).toLocaleString() : '—');

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function table(headers, rows) {
  const node = element('table', 'system-table');
  const head = node.createTHead().insertRow();
  for (const header of headers) head.append(element('th', '', header));
  const body = node.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    for (const cell of cells) row.append(element('td', '', cell));
  }
  return node;
}

/** A titled list of label → value pairs. */
export function facts(title, pairs) {
  const section = element('section', 'system-facts');
  section.append(element('h3', '', t(title)));
  const list = element('dl');
  for (const [label, value] of pairs) {
    if (value === null || value === undefined || value === '') continue;
    list.append(element('dt', '', t(label)), element('dd', '', value));
  }
  section.append(list);
  return section;
}

/** The dashboard as sections, and as label/value rows for CSV. */
export function dashboardRows(board) {
  const { system, processor, memory } = board;
  const used = memory.total - memory.available;
  const percent = memory.total > 0 ? Math.round((used / memory.total) * 100) : 0;
  return {
    system: [
      ['system.os', system.operatingSystem], ['system.kernel', system.kernel], ['system.host', system.hostname],
      ['system.board', [system.vendor, system.product].filter(Boolean).join(' ')],
      ['system.bios', [system.biosVendor, system.biosVersion].filter(Boolean).join(' ')],
      ['system.boot', system.bootTime ? when(system.bootTime) : ''], ['system.users', system.users.join(', ')],
    ],
    processor: [
      ['system.model', processor.model], ['system.vendor', processor.vendor],
      ['system.cores', t('system.coresValue', { cores: processor.cores ?? '—', threads: processor.threads })],
      ['system.speed', processor.megahertz ? `${Math.round(processor.megahertz)} MHz` : ''],
    ],
    memory: [
      ['system.memoryInUse', t('system.memoryUse', { used: formatSize(used), total: formatSize(memory.total), percent })],
      ['system.swap', memory.swapTotal > 0 ? t('system.memoryUse', {
        used: formatSize(memory.swapTotal - memory.swapFree), total: formatSize(memory.swapTotal),
        percent: Math.round(((memory.swapTotal - memory.swapFree) / memory.swapTotal) * 100),
      }) : t('system.noSwap')],
    ],
  };
}

/** The interactive user (L5) as label/value rows, and its logins as table rows. */
export function userRows(user) {
  return {
    facts: [
      ['system.accountName', `${user.name} (${user.uid})`], ['system.fullName', user.fullName], ['system.home', user.home],
      ['system.shell', user.shell], ['system.groups', user.groups.join(', ')],
      ['system.admin', user.administratorGroup ? t('system.adminVia', { group: user.administratorGroup }) : t('system.notAdmin')],
      ['system.sudoRules', user.sudoRules == null ? t('system.sudoRulesNeedRoot') : user.sudoRules.join('; ') || t('system.noSudoRules')],
    ],
    logins: user.logins.map((login) => [login.line, login.host, when(login.started), t(login.remote ? 'system.yes' : 'system.no')]),
  };
}

export const LOGIN_HEADERS = ['system.line', 'system.from', 'system.started', 'system.remoteLogin'];

/** Kernel modules (L6) as table rows: name, description, state, version, users, drivers with their devices. */
export const MODULE_HEADERS = ['system.module', 'system.description', 'system.state', 'system.version', 'system.usedBy', 'system.boundDevices'];
export const moduleRows = (modules) => modules.map((module) => [
  module.name, module.description ?? '', t(module.state === 'builtin' ? 'system.builtin' : 'system.loaded'), module.version ?? '',
  module.usedBy.join(', '),
  module.drivers.map((driver) => `${driver.bus ? `${driver.bus}:` : ''}${driver.name}${driver.devices.length ? ` (${driver.devices.join(', ')})` : ''}`).join('; '),
]);

export function csvCell(value) {
  let text = String(value ?? '');
  // A spreadsheet would run a cell starting with one of these as a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The dashboard's latest warnings (journal) and scheduled jobs run last, as table cells. */
export const EVENT_HEADERS = ['system.time', 'system.priority', 'system.source', 'system.message'];
export const eventCells = (entry) => [when(entry.time), t(`system.priority.${entry.priority}`), entry.source, entry.message];
export const JOB_HEADERS = ['system.job', 'system.runs', 'system.lastRun', 'system.nextRun'];
export const jobCells = (job) => [job.name, job.runs, when(job.lastRun), job.nextRun ? when(job.nextRun) : '—'];

/** Services (L3): what systemd says of each. */
export const SERVICE_COLUMNS = [
  { key: 'name', label: 'system.unit', text: (unit) => unit.name },
  { key: 'description', label: 'system.description', text: (unit) => unit.description },
  { key: 'activeState', label: 'system.activeState', text: (unit) => unit.activeState },
  { key: 'subState', label: 'system.subState', text: (unit) => unit.subState },
  { key: 'enablement', label: 'system.enablement', text: (unit) => unit.enablement ?? '—' },
  { key: 'scope', label: 'system.scope', text: (unit) => t(`system.scope.${unit.scope}`) },
];

/** A table's rows for CSV: the translated headers, then each row's cells (`csv` when a column has a raw value). */
export const columnLines = (columns, rows) => [columns.map((column) => t(column.label)),
  ...rows.map((row) => columns.map((column) => (column.csv ? column.csv(row) : column.text(row))))];

/**
 * A table sorted by one of its columns, each header a button that sorts by it (again: the other
 * way). `columns`: {key, label, numeric?, text(row)}; `sort`: {key, descending}; `onSort(next)`
 * redraws; rows get `rowData(row)` as data attributes and may be chosen by a click (`onChoose`).
 */
export function sortableTable({ columns, rows, sort, onSort, rowData = () => ({}), isChosen = () => false, onChoose }) {
  const sorted = rows.slice().sort((a, b) => {
    const [x, y] = [a[sort.key], b[sort.key]];
    const order = typeof x === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
    return sort.descending ? -order : order;
  });
  const node = element('table', 'system-table system-processes');
  const head = node.createTHead().insertRow();
  for (const column of columns) {
    const header = element('th');
    header.setAttribute('aria-sort', sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none');
    const button = element('button', 'system-sort', t(column.label));
    button.type = 'button';
    button.dataset.sort = column.key;
    button.addEventListener('click', () => {
      onSort({ key: column.key, descending: sort.key === column.key ? !sort.descending : Boolean(column.numeric) });
    });
    header.append(button);
    head.append(header);
  }
  const body = node.createTBody();
  for (const row of sorted) {
    const line = body.insertRow();
    Object.assign(line.dataset, rowData(row));
    if (onChoose) {
      line.tabIndex = -1;
      line.setAttribute('aria-selected', String(isChosen(row)));
      line.addEventListener('click', () => {
        for (const other of body.rows) other.setAttribute('aria-selected', String(other === line));
        onChoose(row);
      });
    }
    for (const column of columns) line.append(element('td', column.numeric ? 'numeric' : '', column.text(row)));
  }
  return node;
}

/** The event viewer's columns (L8), as the manual's: date, priority, source, event, user, computer, and the message. */
export const EVENT_COLUMNS = [
  { key: 'time', label: 'system.time', numeric: true, text: (entry) => when(entry.time) },
  { key: 'priority', label: 'system.priority', numeric: true, text: (entry) => t(`system.priority.${entry.priority}`) },
  { key: 'source', label: 'system.source', text: (entry) => entry.source },
  { key: 'unit', label: 'system.event', text: (entry) => entry.unit ?? entry.event ?? '' },
  { key: 'user', label: 'system.user', text: (entry) => entry.user ?? (entry.uid === undefined ? '' : String(entry.uid)) },
  { key: 'host', label: 'system.computer', text: (entry) => entry.host ?? '' },
  { key: 'message', label: 'system.message', text: (entry) => entry.message },
];

/** Startup programs (L7): XDG autostart entries and services enabled at boot. */
export const STARTUP_COLUMNS = [
  { key: 'title', label: 'system.title', text: (entry) => entry.title },
  { key: 'name', label: 'system.unit', text: (entry) => entry.name },
  { key: 'kind', label: 'system.kind', text: (entry) => t(`system.kind.${entry.kind}`) },
  { key: 'scope', label: 'system.scope', text: (entry) => t(`system.scope.${entry.scope}`) },
  {
    key: 'enabled', label: 'system.startsNow',
    text: (entry) => (entry.enabled ? t('system.yes') : `${t('system.no')}${entry.reason ? ` (${t(`system.reason.${entry.reason}`)})` : ''}`),
  },
  { key: 'command', label: 'system.command', text: (entry) => entry.command },
];

/** Installed applications (L4): Debian packages, Flatpaks and Snaps. */
export const APPLICATION_COLUMNS = [
  { key: 'name', label: 'system.name', text: (app) => app.name },
  { key: 'version', label: 'system.version', text: (app) => app.version },
  { key: 'source', label: 'system.source', text: (app) => app.source },
  { key: 'size', label: 'system.size', numeric: true, text: (app) => (app.size === undefined ? '' : formatSize(app.size)), csv: (app) => app.size ?? '' },
  { key: 'installed', label: 'system.installed', numeric: true, text: (app) => (app.installed ? when(app.installed) : '') },
  { key: 'summary', label: 'system.description', text: (app) => app.summary },
];

/** A view's reply as lines of cells: a CSV file's, and a report's tables (headers first). */
export function replyLines(reply) {
  let lines;
  if (reply.kind === 'processes') {
    lines = columnLines(COLUMNS, reply.processes);
  } else if (reply.kind === 'drivers') {
    lines = [MODULE_HEADERS.map((label) => t(label)), ...moduleRows(reply.drivers)];
  } else if (reply.kind === 'services') {
    lines = columnLines(SERVICE_COLUMNS, reply.services);
  } else if (reply.kind === 'applications') {
    lines = columnLines(APPLICATION_COLUMNS, reply.applications);
  } else if (reply.kind === 'startup') {
    lines = columnLines(STARTUP_COLUMNS, reply.startup);
  } else if (reply.kind === 'events') {
    lines = columnLines(EVENT_COLUMNS, reply.events.entries);
  } else if (reply.kind === 'user') {
    const rows = userRows(reply.user);
    lines = [...rows.facts.filter(([, value]) => value).map(([label, value]) => [t(label), value]),
      LOGIN_HEADERS.map((label) => t(label)), ...rows.logins];
  } else {
    const board = reply.dashboard;
    const rows = dashboardRows(board);
    lines = [...rows.system, ...rows.processor, ...rows.memory].filter(([, value]) => value).map(([label, value]) => [t(label), value]);
    for (const disk of board.disks) lines.push([t('system.disks'), disk.mountPoint, disk.fileSystem, disk.size, disk.free]);
    for (const entry of board.events ?? []) lines.push([t('system.events'), ...eventCells(entry)]);
    for (const job of board.scheduledJobs ?? []) lines.push([t('system.jobs'), ...jobCells(job)]);
  }
  return lines;
}
