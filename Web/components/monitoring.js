// Technician monitoring (E1, E2): an administrator picks a technician in *Monitor technician*
// (filter by name), and a tab named after them opens above the workspace: their queue and each
// session's chat as their console gets them (read only, from the gateway's mirror), the
// monitoring's state as the appendix says (Waiting until their console is reached, Active,
// Closed by customer when they close it), End monitoring, and Join session to work in one of
// their sessions as a colleague. The monitored technician sees a notice when the organisation
// says so. The gateway checks who may watch whom.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { decodeConsoleFrameOrDrop } from '../lib/screen-frames.js';
import { mountMonitoredScreen } from './monitored-screen.js';

export function mountMonitoring({ button, dialog, tabs, view, notice }, { canUse, isAdministrator, onError, onJoined, send }) {
  const $ = (root, id) => root.querySelector(`#${id}`);
  const screen = mountMonitoredScreen(view, { send, onError });
  /** Per monitoring id: { summary, sessions: Map(id → session), logs: Map(session id → entries), selected }. */
  const monitorings = new Map();
  let shownId = null;
  let candidates = [];

  function monitoringOf(summary) {
    if (!monitorings.has(summary.id)) monitorings.set(summary.id, { summary, sessions: new Map(), logs: new Map(), selected: null });
    const entry = monitorings.get(summary.id);
    entry.summary = summary;
    return entry;
  }

  // The dialog: whom this administrator may watch, filtered by name.
  function renderCandidates() {
    const filter = $(dialog, 'monitor-filter').value.trim().toLowerCase();
    const list = $(dialog, 'monitor-list');
    const shown = candidates.filter((c) => !filter || c.name.toLowerCase().includes(filter));
    list.replaceChildren(...shown.map((technician) => {
      const label = document.createElement('label');
      label.className = 'inline';
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'monitor-technician';
      radio.value = technician.id;
      label.append(radio, ` ${technician.name} · ${t(`status.${technician.status}`)}`);
      return label;
    }));
    $(dialog, 'monitor-none').hidden = shown.length > 0;
  }

  button.addEventListener('click', async () => {
    $(dialog, 'monitor-error').hidden = true;
    $(dialog, 'monitor-filter').value = '';
    try {
      candidates = await api('monitorings/technicians');
    } catch (error) {
      onError(error);
      return;
    }
    renderCandidates();
    dialog.showModal();
  });
  $(dialog, 'monitor-filter').addEventListener('input', renderCandidates);
  $(dialog, 'monitor-close').addEventListener('click', () => dialog.close());
  $(dialog, 'monitor-start').addEventListener('click', async () => {
    const picked = dialog.querySelector('input[name=monitor-technician]:checked');
    const error = $(dialog, 'monitor-error');
    if (!picked) {
      error.textContent = t('monitor.pickFirst');
      error.hidden = false;
      return;
    }
    try {
      const summary = await api('monitorings', { method: 'POST', body: { technicianId: picked.value } });
      monitoringOf(summary);
      shownId = summary.id;
      dialog.close();
      render();
    } catch (failure) {
      error.textContent = describeError(failure);
      error.hidden = false;
    }
  });

  // The view of one monitoring.
  $(view, 'monitoring-end').addEventListener('click', async () => {
    const id = shownId;
    try {
      await api(`monitorings/${id}`, { method: 'DELETE' });
    } catch (error) {
      // Gone already (the gateway restarted, or another console ended it): the tab goes anyway.
      if (error.code !== 'monitoring_not_found') {
        onError(error);
        return;
      }
    }
    monitorings.delete(id);
    shownId = null;
    render();
  });
  $(view, 'monitoring-hide').addEventListener('click', () => {
    shownId = null;
    render();
  });
  $(view, 'monitoring-join').addEventListener('click', async () => {
    const entry = monitorings.get(shownId);
    if (!entry?.selected) return;
    try {
      const session = await api(`monitorings/${shownId}/sessions/${entry.selected}/join`, { method: 'POST' });
      shownId = null;
      render();
      onJoined(session);
    } catch (error) {
      onError(error);
    }
  });

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  /** The selected session's log so far, once; the mirror adds what follows. */
  async function loadLog(entry) {
    const sessionId = entry.selected;
    if (!sessionId || entry.loaded?.has(sessionId) || entry.summary.state !== 'active') return;
    entry.loaded = entry.loaded ?? new Set();
    entry.loaded.add(sessionId);
    try {
      const earlier = await api(`monitorings/${entry.summary.id}/sessions/${sessionId}/log`);
      const later = entry.logs.get(sessionId) ?? [];
      entry.logs.set(sessionId, [...earlier.filter((line) => !later.some((l) => l.id === line.id)), ...later]);
      render();
    } catch (error) {
      entry.loaded.delete(sessionId);
      onError(error);
    }
  }

  function renderView(entry) {
    const { summary } = entry;
    $(view, 'monitoring-title').textContent = t('monitor.title', { name: summary.technicianName });
    $(view, 'monitoring-state').textContent = t(`monitor.state.${summary.state}`);
    view.dataset.state = summary.state;
    screen.show(summary);
    const rows = [...entry.sessions.values()].filter((s) => !['closed', 'closed_by_customer', 'closed_by_customer_waiting', 'timed_out'].includes(s.state));
    $(view, 'monitoring-sessions').replaceChildren(...rows.map((session) => {
      const row = document.createElement('tr');
      row.dataset.sessionId = session.id;
      row.classList.toggle('selected', session.id === entry.selected);
      row.append(cell(session.name), cell(t(`state.${session.state}`)));
      row.addEventListener('click', () => {
        entry.selected = session.id;
        loadLog(entry);
        render();
      });
      return row;
    }));
    $(view, 'monitoring-empty').hidden = rows.length > 0;
    const lines = entry.selected ? entry.logs.get(entry.selected) ?? [] : [];
    $(view, 'monitoring-log').replaceChildren(...lines.map((line) => {
      const item = document.createElement('li');
      item.className = line.kind;
      item.textContent = line.author ? `${line.author}: ${line.text}` : line.text;
      return item;
    }));
    const selected = entry.selected ? entry.sessions.get(entry.selected) : null;
    $(view, 'monitoring-join').disabled = !(summary.state === 'active' && selected && ['active', 'on_hold'].includes(selected.state));
  }

  function render() {
    const allowed = isAdministrator() && canUse('monitor_technicians');
    button.hidden = !allowed;
    button.disabled = !allowed;
    tabs.hidden = monitorings.size === 0;
    tabs.replaceChildren(...[...monitorings.values()].map(({ summary }) => {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.dataset.monitoringId = summary.id;
      tab.dataset.state = summary.state;
      tab.setAttribute('aria-selected', String(summary.id === shownId));
      tab.textContent = `${summary.technicianName} · ${t(`monitor.state.${summary.state}`)}`;
      tab.addEventListener('click', () => {
        shownId = summary.id === shownId ? null : summary.id;
        render();
      });
      return tab;
    }));
    const entry = shownId ? monitorings.get(shownId) : null;
    view.hidden = !entry;
    if (entry) renderView(entry);
    else screen.show(null);
  }

  return {
    render,
    /** A binary frame named `monitoring:<id>`: a picture of a watched technician's screen. */
    screenFrame(buffer) {
      const decoded = decodeConsoleFrameOrDrop(buffer);
      if (decoded?.update) screen.frame(decoded.sessionId, decoded.update);
    },
    /** After sign-in: the monitorings this administrator already runs (another tab of theirs started them). */
    async load() {
      if (!isAdministrator()) return render();
      try {
        for (const summary of await api('monitorings')) monitoringOf(summary);
      } catch (error) {
        onError(error);
      }
      render();
    },
    /** `monitoring`, `monitored` and `monitor_notice` from the console socket. */
    message(message) {
      if (message.type === 'monitor_notice') {
        notice.hidden = !message.watching;
        notice.textContent = message.watching ? t('monitor.notice', { name: message.administratorName }) : '';
        return;
      }
      if (message.type === 'monitoring') {
        if (message.monitoring.state === 'closed') monitorings.delete(message.monitoring.id);
        else monitoringOf(message.monitoring);
      } else {
        const entry = monitorings.get(message.monitoringId);
        if (!entry) return;
        if (message.sessions) entry.sessions = new Map(message.sessions.map((s) => [s.id, s]));
        if (message.session) entry.sessions.set(message.session.id, message.session);
        if (message.entry) {
          const lines = entry.logs.get(message.entry.sessionId) ?? [];
          if (!lines.some((line) => line.id === message.entry.id)) lines.push(message.entry);
          entry.logs.set(message.entry.sessionId, lines);
        }
        if (!entry.selected && entry.sessions.size > 0) {
          entry.selected = [...entry.sessions.keys()][0];
          loadLog(entry);
        }
      }
      render();
    },
  };
}
