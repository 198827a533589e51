// The System info tab (L1, L2, L5, L6): one view of the customer's machine at a time, read when
// the technician asks ("Request information", as in the manual) — the dashboard, the processes
// as a sortable list, the account, the drivers — and saved as CSV. Reading changes nothing on the
// customer's side; ending a chosen process does, after the technician confirms. The gateway
// checks `system_info` / `system_actions` and the session's state on every request.
import { t } from '../lib/i18n.js';
import { formatSize } from '../lib/file-list.js';

const VIEWS = ['dashboard', 'processes', 'user', 'drivers'];
const COLUMNS = [
  { key: 'name', label: 'system.name', text: (row) => row.name },
  { key: 'pid', label: 'system.pid', numeric: true, text: (row) => String(row.pid) },
  { key: 'user', label: 'system.user', text: (row) => row.user },
  { key: 'cpuPercent', label: 'system.cpu', numeric: true, text: (row) => row.cpuPercent.toFixed(1) },
  { key: 'memory', label: 'system.memoryColumn', numeric: true, text: (row) => formatSize(row.memory) },
  { key: 'started', label: 'system.started', numeric: true, text: (row) => when(row.started) },
  { key: 'commandLine', label: 'system.command', text: (row) => row.commandLine },
];

let requestCounter = 0;

const when = (seconds) => (seconds ? new Date(seconds * 1000).toLocaleString() : '—');

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function table(headers, rows) {
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
function facts(title, pairs) {
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
function dashboardRows(board) {
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
function userRows(user) {
  return {
    facts: [
      ['system.accountName', `${user.name} (${user.uid})`], ['system.fullName', user.fullName], ['system.home', user.home],
      ['system.shell', user.shell], ['system.groups', user.groups.join(', ')],
      ['system.admin', user.administratorGroup ? t('system.adminVia', { group: user.administratorGroup }) : t('system.notAdmin')],
    ],
    logins: user.logins.map((login) => [login.line, login.host, when(login.started), t(login.remote ? 'system.yes' : 'system.no')]),
  };
}

const LOGIN_HEADERS = ['system.line', 'system.from', 'system.started', 'system.remoteLogin'];

/** Kernel modules (L6) as table rows: name, state, version, users, drivers with their devices. */
const MODULE_HEADERS = ['system.module', 'system.state', 'system.version', 'system.usedBy', 'system.boundDevices'];
const moduleRows = (modules) => modules.map((module) => [
  module.name, t(module.state === 'builtin' ? 'system.builtin' : 'system.loaded'), module.version ?? '', module.usedBy.join(', '),
  module.drivers.map((driver) => `${driver.bus ? `${driver.bus}:` : ''}${driver.name}${driver.devices.length ? ` (${driver.devices.join(', ')})` : ''}`).join('; '),
]);

function csvCell(value) {
  let text = String(value ?? '');
  // A spreadsheet would run a cell starting with one of these as a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function mountSystemInfo(panel, { send, onError, canUse }) {
  const $ = (selector) => panel.querySelector(selector);
  const requestButton = $('#system-request');
  const csvButton = $('#system-csv');
  const endButton = $('#system-end');
  const status = $('#system-status');
  const view = $('#system-view');
  const viewButtons = [...panel.querySelectorAll('[data-view]')];
  const readings = new Map(); // session id → {dashboard, processes, …: {reply, at}}
  const chosen = new Map(); // session id → view
  const pending = new Map(); // request id → {sessionId, view}
  const picked = new Map(); // session id → the process row chosen to end
  const actions = new Map(); // request id → {sessionId, row}
  const notices = new Map(); // session id → what came of the last action
  let session = null;
  let sort = { key: 'cpuPercent', descending: true };

  const current = () => chosen.get(session?.id) ?? 'dashboard';

  function drawDashboard(board) {
    const rows = dashboardRows(board);
    const disks = table([t('system.mountPoint'), t('system.fileSystem'), t('system.size'), t('system.free')],
      board.disks.map((disk) => [disk.mountPoint, disk.fileSystem, formatSize(disk.size), formatSize(disk.free)]));
    const disksSection = element('section', 'system-facts');
    disksSection.append(element('h3', '', t('system.disks')), disks);
    const top = element('section', 'system-facts');
    top.append(element('h3', '', t('system.top')), table([t('system.name'), t('system.pid'), t('system.cpu'), t('system.memoryColumn')],
      board.topProcesses.map((row) => [row.name, String(row.pid), row.cpuPercent.toFixed(1), formatSize(row.memory)])));
    view.replaceChildren(facts('system.system', rows.system), facts('system.processor', rows.processor),
      facts('system.memory', rows.memory), disksSection, top);
  }

  function drawUser(user) {
    const rows = userRows(user);
    const logins = element('section', 'system-facts');
    logins.append(element('h3', '', t('system.logins')), table(LOGIN_HEADERS.map((label) => t(label)), rows.logins));
    view.replaceChildren(facts('system.account', rows.facts), logins);
  }

  function drawProcesses(processes) {
    const sorted = processes.slice().sort((a, b) => {
      const [x, y] = [a[sort.key], b[sort.key]];
      const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -order : order;
    });
    const node = element('table', 'system-table system-processes');
    const head = node.createTHead().insertRow();
    for (const column of COLUMNS) {
      const header = element('th');
      header.setAttribute('aria-sort', sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none');
      const button = element('button', 'system-sort', t(column.label));
      button.type = 'button';
      button.dataset.sort = column.key;
      button.addEventListener('click', () => {
        sort = { key: column.key, descending: sort.key === column.key ? !sort.descending : Boolean(column.numeric) };
        render();
        view.querySelector(`[data-sort="${column.key}"]`)?.focus();
      });
      header.append(button);
      head.append(header);
    }
    const body = node.createTBody();
    const choice = picked.get(session?.id);
    for (const row of sorted) {
      const line = body.insertRow();
      line.dataset.pid = row.pid;
      line.tabIndex = -1;
      line.setAttribute('aria-selected', String(choice?.pid === row.pid));
      line.addEventListener('click', () => {
        picked.set(session.id, row);
        for (const other of body.rows) other.setAttribute('aria-selected', String(other === line));
        drawEndButton();
      });
      for (const column of COLUMNS) line.append(element('td', column.numeric ? 'numeric' : '', column.text(row)));
    }
    view.replaceChildren(element('p', 'muted', t('system.count', { count: processes.length })), node);
  }

  function render() {
    const name = current();
    for (const button of viewButtons) button.setAttribute('aria-selected', String(button.dataset.view === name));
    const reading = readings.get(session?.id)?.[name];
    const waiting = [...pending.values()].some((asked) => asked.sessionId === session?.id && asked.view === name);
    requestButton.disabled = waiting;
    csvButton.hidden = !reading || reading.reply.kind === 'failed';
    const notice = notices.get(session?.id);
    status.textContent = waiting ? t('system.asking') : notice ?? (reading ? t('system.readAt', { time: new Date(reading.at).toLocaleTimeString() }) : '');
    drawEndButton();
    if (!reading) {
      view.replaceChildren(element('p', 'muted', t('system.none')));
    } else if (reading.reply.kind === 'failed') {
      view.replaceChildren(element('p', 'error', reading.reply.message));
    } else if (reading.reply.kind === 'dashboard') {
      drawDashboard(reading.reply.dashboard);
    } else if (reading.reply.kind === 'user') {
      drawUser(reading.reply.user);
    } else if (reading.reply.kind === 'drivers') {
      view.replaceChildren(element('p', 'muted', t('system.moduleCount', { count: reading.reply.drivers.length })),
        table(MODULE_HEADERS.map((label) => t(label)), moduleRows(reading.reply.drivers)));
    } else {
      drawProcesses(reading.reply.processes);
    }
  }

  function saveCsv() {
    const reading = readings.get(session?.id)?.[current()];
    if (!reading) return;
    let lines;
    if (reading.reply.kind === 'processes') {
      lines = [COLUMNS.map((column) => t(column.label)),
        ...reading.reply.processes.map((row) => COLUMNS.map((column) => (column.key === 'memory' ? row.memory : column.text(row))))];
    } else if (reading.reply.kind === 'drivers') {
      lines = [MODULE_HEADERS.map((label) => t(label)), ...moduleRows(reading.reply.drivers)];
    } else if (reading.reply.kind === 'user') {
      const rows = userRows(reading.reply.user);
      lines = [...rows.facts.filter(([, value]) => value).map(([label, value]) => [t(label), value]),
        LOGIN_HEADERS.map((label) => t(label)), ...rows.logins];
    } else {
      const board = reading.reply.dashboard;
      const rows = dashboardRows(board);
      lines = [...rows.system, ...rows.processor, ...rows.memory].filter(([, value]) => value).map(([label, value]) => [t(label), value]);
      for (const disk of board.disks) lines.push([t('system.disks'), disk.mountPoint, disk.fileSystem, disk.size, disk.free]);
    }
    const text = `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
    const link = element('a');
    link.href = URL.createObjectURL(new Blob([`\ufeff${text}`], { type: 'text/csv;charset=utf-8' }));
    link.download = `${current()}-${session?.name ?? 'session'}.csv`.replace(/[\\/:*?"<>|]/g, '_');
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  for (const button of viewButtons) {
    button.addEventListener('click', () => {
      if (!session) return;
      chosen.set(session.id, button.dataset.view);
      render();
    });
  }
  requestButton.addEventListener('click', () => {
    if (!session) return;
    requestCounter += 1;
    const requestId = `si-${Date.now().toString(36)}-${requestCounter}`;
    pending.set(requestId, { sessionId: session.id, view: current() });
    notices.delete(session.id);
    send('system_info_request', { sessionId: session.id, requestId, view: current() });
    render();
  });
  csvButton.addEventListener('click', saveCsv);

  /** Shown on the processes view to a technician who may end processes; usable once one is chosen. */
  function drawEndButton() {
    const reading = readings.get(session?.id)?.processes;
    endButton.hidden = !canUse('system_actions') || current() !== 'processes' || reading?.reply.kind !== 'processes';
    const choice = picked.get(session?.id);
    const busy = [...actions.values()].some((action) => action.sessionId === session?.id);
    endButton.disabled = busy || !choice || !reading.reply.processes.some((row) => row.pid === choice.pid);
    endButton.title = choice ? '' : t('system.choose');
  }

  endButton.addEventListener('click', () => {
    const row = picked.get(session?.id);
    if (!row || !window.confirm(t('system.confirmEnd', { name: row.name, pid: row.pid }))) return;
    requestCounter += 1;
    const requestId = `sa-${Date.now().toString(36)}-${requestCounter}`;
    actions.set(requestId, { sessionId: session.id, row });
    notices.set(session.id, t('system.ending', { name: row.name }));
    send('system_action_request', { sessionId: session.id, requestId, action: { kind: 'end_process', pid: row.pid, started: row.started } });
    render();
  });

  return {
    show(next) {
      // The console redraws often (every socket message): a long list is drawn again only for
      // another session, so it keeps its scroll and focus.
      const other = next?.id !== session?.id;
      session = next;
      if (other) render();
    },
    /** `system_info_reply`: kept for its session, drawn if it is the one shown. */
    reply(message) {
      const asked = pending.get(message.requestId);
      if (!asked) return;
      // A long list comes in parts: their rows are gathered until the last one.
      const key = { processes: 'processes', drivers: 'drivers' }[message.reply.kind];
      if (key) asked.rows = (asked.rows ?? []).concat(message.reply[key]);
      if (message.more) return;
      pending.delete(message.requestId);
      const reply = key ? { ...message.reply, [key]: asked.rows } : message.reply;
      const kept = readings.get(asked.sessionId) ?? {};
      kept[asked.view] = { reply, at: Date.now() };
      readings.set(asked.sessionId, kept);
      if (asked.sessionId === session?.id) render();
    },
    /** `system_action_reply`: what came of ending a process; an ended one leaves the list. */
    actionDone(message) {
      const asked = actions.get(message.requestId);
      if (!asked) return;
      actions.delete(message.requestId);
      const { result } = message;
      if (result.kind === 'process_ended') {
        const values = { name: result.name, pid: result.pid, children: result.children };
        notices.set(asked.sessionId, t(result.forced ? 'system.killed' : 'system.ended', values));
        const kept = readings.get(asked.sessionId)?.processes;
        if (kept?.reply.kind === 'processes') {
          kept.reply = { ...kept.reply, processes: kept.reply.processes.filter((row) => row.pid !== result.pid) };
        }
        picked.delete(asked.sessionId);
      } else {
        const key = `system.error.${result.code}`;
        const text = t(key);
        notices.set(asked.sessionId, text === key ? result.message : text);
      }
      if (asked.sessionId === session?.id) render();
    },
    /** A refused request of this tab: said where it was asked. */
    refused(message) {
      if (actions.has(message.requestId)) {
        notices.delete(actions.get(message.requestId).sessionId);
        actions.delete(message.requestId);
        onError(Object.assign(new Error(message.message), { code: message.code }));
        render();
        return true;
      }
      if (!pending.has(message.requestId)) return false;
      pending.delete(message.requestId);
      onError(Object.assign(new Error(message.message), { code: message.code }));
      render();
      return true;
    },
    views: VIEWS,
  };
}
