// The System info tab (L1–L8): one view of the customer's machine at a time, read when the
// technician asks ("Request information", as in the manual), sortable and saved as CSV; a chosen
// process, service, startup entry or application is changed after the technician confirms. The
// gateway checks `system_info` / `system_actions` / `uninstall_applications` on every request.
import { t } from '../lib/i18n.js';
import { formatSize } from '../lib/file-list.js';
import {
  VIEWS, COLUMNS, when, element, table, facts, dashboardRows, userRows, LOGIN_HEADERS, MODULE_HEADERS, moduleRows, csvCell,
  SERVICE_COLUMNS, EVENT_HEADERS, eventCells, JOB_HEADERS, jobCells, sortableTable, STARTUP_COLUMNS, APPLICATION_COLUMNS, replyLines,
} from './system-views.js';
import { mountEventViewer } from './system-events.js';

let requestCounter = 0;

export function mountSystemInfo(panel, { send, onError, canUse }) {
  const $ = (selector) => panel.querySelector(selector);
  const requestButton = $('#system-request');
  const csvButton = $('#system-csv');
  const endButton = $('#system-end');
  const serviceActions = $('#system-service-actions');
  const operationButtons = [...serviceActions.querySelectorAll('[data-operation]')];
  const startupActions = $('#system-startup-actions');
  const startupButtons = [...startupActions.querySelectorAll('[data-enabled]')];
  const status = $('#system-status');
  const view = $('#system-view');
  const viewButtons = [...panel.querySelectorAll('[data-view]')];
  const readings = new Map(); // session id → {dashboard, processes, …: {reply, at}}
  const chosen = new Map(); // session id → view
  const pending = new Map(); // request id → {sessionId, view}
  const picked = new Map(); // session id → the process row chosen to end
  const pickedService = new Map(); // session id → the service chosen
  const pickedStartup = new Map(); // session id → the startup entry chosen
  const pickedApplication = new Map(); // session id → the application chosen (L4)
  const uninstallButton = $('#system-uninstall');
  let startupSort = { key: 'title', descending: false };
  let applicationSort = { key: 'name', descending: false };
  let serviceSort = { key: 'name', descending: false };
  const actions = new Map(); // request id → {sessionId, row}
  const notices = new Map(); // session id → what came of the last action
  let session = null;
  let sort = { key: 'cpuPercent', descending: true };

  const current = () => chosen.get(session?.id) ?? 'dashboard';
  const eventViewer = mountEventViewer(panel, { ask: () => requestView() });
  eventViewer.older((next) => requestView(next));

  /** `measuring`: the first part, drawn while the busiest processes' CPU sample goes on. */
  function drawDashboard(board, measuring) {
    const rows = dashboardRows(board);
    const disks = table([t('system.mountPoint'), t('system.fileSystem'), t('system.size'), t('system.free')],
      board.disks.map((disk) => [disk.mountPoint, disk.fileSystem, formatSize(disk.size), formatSize(disk.free)]));
    const disksSection = element('section', 'system-facts');
    disksSection.append(element('h3', '', t('system.disks')), disks);
    const top = element('section', 'system-facts');
    top.append(element('h3', '', t('system.top')), measuring ? element('p', 'muted', t('system.measuringCpu'))
      : table([t('system.name'), t('system.pid'), t('system.cpu'), t('system.memoryColumn')],
        board.topProcesses.map((row) => [row.name, String(row.pid), row.cpuPercent.toFixed(1), formatSize(row.memory)])));
    /** A titled table, or a sentence when it has no rows. */
    const section = (title, headers, rows, empty) => {
      const node = element('section', 'system-facts');
      node.append(element('h3', '', t(title)), rows.length ? table(headers.map((label) => t(label)), rows) : element('p', 'muted', t(empty)));
      return node;
    };
    view.replaceChildren(facts('system.system', rows.system), facts('system.processor', rows.processor),
      facts('system.memory', rows.memory), disksSection, top,
      section('system.events', EVENT_HEADERS, (board.events ?? []).map(eventCells), 'system.noEvents'),
      section('system.jobs', JOB_HEADERS, (board.scheduledJobs ?? []).map(jobCells), 'system.noJobs'));
  }

  function drawUser(user) {
    const rows = userRows(user);
    const logins = element('section', 'system-facts');
    logins.append(element('h3', '', t('system.logins')), table(LOGIN_HEADERS.map((label) => t(label)), rows.logins));
    view.replaceChildren(facts('system.account', rows.facts), logins);
  }

  function drawProcesses(processes) {
    const node = sortableTable({
      columns: COLUMNS, rows: processes, sort,
      onSort: (next) => {
        sort = next;
        render();
        view.querySelector(`[data-sort="${next.key}"]`)?.focus();
      },
      rowData: (row) => ({ pid: row.pid }),
      isChosen: (row) => picked.get(session?.id)?.pid === row.pid,
      onChoose: (row) => {
        picked.set(session.id, row);
        drawActionButtons();
      },
    });
    view.replaceChildren(element('p', 'muted', t('system.count', { count: processes.length })), node);
  }

  /** Startup (L7): one row per entry, chosen by a click for Turn on / Turn off. */
  function drawStartup(entries) {
    const same = (a, b) => a?.kind === b?.kind && a?.name === b?.name && a?.scope === b?.scope;
    const node = sortableTable({
      columns: STARTUP_COLUMNS, rows: entries, sort: startupSort,
      onSort: (next) => {
        startupSort = next;
        render();
      },
      rowData: (entry) => ({ entry: entry.name }),
      isChosen: (entry) => same(entry, pickedStartup.get(session?.id)),
      onChoose: (entry) => {
        pickedStartup.set(session.id, entry);
        drawActionButtons();
      },
    });
    view.replaceChildren(element('p', 'muted', t('system.eventCount', { count: entries.length })), node);
  }

  /** Services (L3): one row per service, chosen by a click for the operation buttons. */
  function drawServices(services) {
    const same = (a, b) => a?.name === b?.name && a?.scope === b?.scope;
    const node = sortableTable({
      columns: SERVICE_COLUMNS, rows: services, sort: serviceSort,
      onSort: (next) => {
        serviceSort = next;
        render();
      },
      rowData: (unit) => ({ unit: unit.name, state: unit.activeState }),
      isChosen: (unit) => same(unit, pickedService.get(session?.id)),
      onChoose: (unit) => {
        pickedService.set(session.id, unit);
        drawActionButtons();
      },
    });
    view.replaceChildren(element('p', 'muted', t('system.serviceCount', { count: services.length })), node);
  }

  function render() {
    const name = current();
    for (const button of viewButtons) button.setAttribute('aria-selected', String(button.dataset.view === name));
    const reading = readings.get(session?.id)?.[name];
    const waiting = [...pending.values()].some((asked) => asked.sessionId === session?.id && asked.view === name);
    requestButton.disabled = waiting;
    csvButton.hidden = !reading || reading.reply.kind === 'failed' || reading.measuring === true;
    eventViewer.show(name === 'events');
    const notice = notices.get(session?.id);
    status.textContent = waiting ? t('system.asking') : notice ?? (reading ? t('system.readAt', { time: new Date(reading.at).toLocaleTimeString() }) : '');
    drawActionButtons();
    if (!reading) {
      view.replaceChildren(element('p', 'muted', t('system.none')));
    } else if (reading.reply.kind === 'failed') {
      view.replaceChildren(element('p', 'error', reading.reply.message));
    } else if (reading.reply.kind === 'dashboard') {
      drawDashboard(reading.reply.dashboard, reading.measuring);
    } else if (reading.reply.kind === 'services') {
      drawServices(reading.reply.services);
    } else if (reading.reply.kind === 'events') {
      eventViewer.draw(view, reading, render);
    } else if (reading.reply.kind === 'startup') {
      drawStartup(reading.reply.startup);
    } else if (reading.reply.kind === 'applications') {
      const node = sortableTable({
        columns: APPLICATION_COLUMNS, rows: reading.reply.applications, sort: applicationSort,
        onSort: (next) => {
          applicationSort = next;
          render();
        },
        rowData: (app) => ({ application: app.name }),
        isChosen: (app) => app.name === pickedApplication.get(session?.id)?.name && app.source === pickedApplication.get(session?.id)?.source,
        onChoose: (app) => {
          pickedApplication.set(session.id, app);
          drawActionButtons();
        },
      });
      view.replaceChildren(element('p', 'muted', t('system.applicationCount', { count: reading.reply.applications.length })), node);
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
    const lines = replyLines(reading.reply);
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
  /** Asks for the chosen view (an older page of the event viewer with `before`). */
  function requestView(before) {
    if (!session) return;
    requestCounter += 1;
    const requestId = `si-${Date.now().toString(36)}-${requestCounter}`;
    const query = current() === 'events' ? eventViewer.query(before) : undefined;
    pending.set(requestId, { sessionId: session.id, view: current(), query });
    notices.delete(session.id);
    send('system_info_request', { sessionId: session.id, requestId, view: current(), ...(query ? { events: query } : {}) });
    render();
  }
  requestButton.addEventListener('click', () => requestView());
  csvButton.addEventListener('click', saveCsv);

  /** Each view's buttons, shown to a technician with the permission, usable once a row is chosen. */
  function drawActionButtons() {
    const reading = readings.get(session?.id)?.processes;
    endButton.hidden = !canUse('system_actions') || current() !== 'processes' || reading?.reply.kind !== 'processes';
    const choice = picked.get(session?.id);
    const busy = [...actions.values()].some((action) => action.sessionId === session?.id);
    endButton.disabled = busy || !choice || !reading.reply.processes.some((row) => row.pid === choice.pid);
    endButton.title = choice ? '' : t('system.choose');
    const services = readings.get(session?.id)?.services;
    serviceActions.hidden = !canUse('system_actions') || current() !== 'services' || services?.reply.kind !== 'services';
    const service = pickedService.get(session?.id);
    for (const button of operationButtons) {
      button.disabled = busy || !service;
      button.title = service ? '' : t('system.chooseService');
    }
    const startup = readings.get(session?.id)?.startup;
    startupActions.hidden = !canUse('system_actions') || current() !== 'startup' || startup?.reply.kind !== 'startup';
    const entry = pickedStartup.get(session?.id);
    for (const button of startupButtons) {
      button.disabled = busy || !entry || String(entry.enabled) === button.dataset.enabled;
      button.title = entry ? '' : t('system.chooseStartup');
    }
    const applications = readings.get(session?.id)?.applications;
    uninstallButton.hidden = !canUse('uninstall_applications') || current() !== 'applications' || applications?.reply.kind !== 'applications';
    uninstallButton.disabled = busy || !pickedApplication.get(session?.id);
    uninstallButton.title = pickedApplication.get(session?.id) ? '' : t('system.chooseApplication');
  }

  /** Sends one change for the session shown; its answer comes to `actionDone`. */
  function act(action, context, notice) {
    requestCounter += 1;
    const requestId = `sa-${Date.now().toString(36)}-${requestCounter}`;
    actions.set(requestId, { sessionId: session.id, ...context });
    if (notice) notices.set(session.id, notice);
    send('system_action_request', { sessionId: session.id, requestId, action });
    render();
  }

  for (const button of startupButtons) {
    button.addEventListener('click', () => {
      const entry = pickedStartup.get(session?.id);
      if (!entry) return;
      const enabled = button.dataset.enabled === 'true';
      act({ kind: 'startup', entry: entry.kind, name: entry.name, scope: entry.scope, enabled }, { entry });
    });
  }

  for (const button of operationButtons) {
    button.addEventListener('click', () => {
      const unit = pickedService.get(session?.id);
      const operation = button.dataset.operation;
      const label = t(`system.op.${operation}`);
      if (!unit || !window.confirm(t('system.confirmService', { operation: label, name: unit.name }))) return;
      act({ kind: 'service', name: unit.name, scope: unit.scope, operation }, { unit, operation },
        t('system.serviceWorking', { operation: label, name: unit.name }));
    });
  }

  endButton.addEventListener('click', () => {
    const row = picked.get(session?.id);
    if (!row || !window.confirm(t('system.confirmEnd', { name: row.name, pid: row.pid }))) return;
    act({ kind: 'end_process', pid: row.pid, started: row.started }, { row }, t('system.ending', { name: row.name }));
  });

  uninstallButton.addEventListener('click', () => {
    const application = pickedApplication.get(session?.id);
    if (!application || !window.confirm(t('system.confirmUninstall', { name: application.name }))) return;
    act({ kind: 'uninstall', source: application.source, name: application.name }, { application },
      t('system.uninstalling', { name: application.name }));
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
      const key = { processes: 'processes', services: 'services', startup: 'startup', applications: 'applications', drivers: 'drivers' }[message.reply.kind];
      if (key) asked.rows = (asked.rows ?? []).concat(message.reply[key]);
      if (message.reply.kind === 'events') asked.rows = (asked.rows ?? []).concat(message.reply.events.entries);
      if (message.more && message.reply.kind === 'dashboard') {
        // Everything but the busiest processes, shown while their CPU is measured.
        const kept = readings.get(asked.sessionId) ?? {};
        kept.dashboard = { reply: message.reply, at: Date.now(), measuring: true };
        readings.set(asked.sessionId, kept);
        if (asked.sessionId === session?.id) render();
        return;
      }
      if (message.more) return;
      pending.delete(message.requestId);
      const kept = readings.get(asked.sessionId) ?? {};
      let reply = key ? { ...message.reply, [key]: asked.rows } : message.reply;
      if (message.reply.kind === 'events') {
        // An older page adds to the entries shown; a new query starts again.
        const earlier = asked.query?.before ? kept.events?.reply.events?.entries ?? [] : [];
        reply = { ...message.reply, events: { ...message.reply.events, entries: earlier.concat(asked.rows) } };
      }
      kept[asked.view] = { reply, at: Date.now(), query: asked.query };
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
      } else if (result.kind === 'startup_changed') {
        const changed = result.entry;
        notices.set(asked.sessionId, t(changed.enabled ? 'system.startupOnDone' : 'system.startupOffDone', { name: changed.title }));
        const kept = readings.get(asked.sessionId)?.startup;
        if (kept?.reply.kind === 'startup') {
          kept.reply = { ...kept.reply, startup: kept.reply.startup.map((row) => (row.kind === changed.kind && row.name === changed.name ? changed : row)) };
        }
        pickedStartup.set(asked.sessionId, changed);
      } else if (result.kind === 'uninstalled') {
        notices.set(asked.sessionId, t('system.uninstalledDone', { name: result.name }));
        const kept = readings.get(asked.sessionId)?.applications;
        const stays = (app) => app.name !== result.name || app.source !== result.source;
        if (kept?.reply.kind === 'applications') kept.reply = { ...kept.reply, applications: kept.reply.applications.filter(stays) };
        pickedApplication.delete(asked.sessionId);
      } else if (result.kind === 'service_changed') {
        const { unit } = result;
        notices.set(asked.sessionId, t('system.serviceResult', {
          name: unit.name, operation: t(`system.op.${result.operation}`), result: result.job ?? unit.enablement ?? '—', state: unit.activeState,
        }));
        const kept = readings.get(asked.sessionId)?.services;
        if (kept?.reply.kind === 'services') {
          kept.reply = { ...kept.reply, services: kept.reply.services.map((row) => (row.name === unit.name && row.scope === unit.scope ? unit : row)) };
        }
      } else {
        const group = asked.application ? 'uninstallError' : asked.unit || asked.entry?.kind === 'service' ? 'serviceError' : asked.entry ? 'startupError' : 'error';
        const key = `system.${group}.${result.code}`;
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
