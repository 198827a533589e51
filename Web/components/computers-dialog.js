// Computers (C1, F5): the unattended computers a technician may connect to — their own and their
// group's — filtered by name and status; Connect opens a session the computer's agent joins (it
// checks the customer's rules itself); Remove takes one of one's own off the list. An administrator
// makes a computer's agent a LAN connector (F4); the LAN section below the list uses connectors.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { mountCredentialsForm } from './credentials-form.js';
import { mountLanPanel } from './lan-panel.js';

export function mountComputersDialog(dialog, button, { onConnected, canUse, isAdministrator }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  const rows = $('computers-rows');
  const line = $('computers-line');
  let computers = [];
  const lan = mountLanPanel(dialog.querySelector('#lan-section'), { canUse, onConnected });

  const status = (computer) => (!computer.online ? 'offline' : computer.available === 'allowed' ? 'online' : 'outside');

  function access(rules) {
    const period = rules.period.days ? t('computers.days', { days: rules.period.days._0 })
      : rules.period.dateRange ? t('computers.range', rules.period.dateRange) : t('computers.indefinite');
    const clock = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const hours = rules.dailyStart === undefined ? t('computers.anyHour')
      : t('computers.hours', { start: clock(rules.dailyStart), end: clock(rules.dailyEnd), zone: rules.timeZone });
    return `${period} · ${hours}`;
  }

  function render() {
    const filter = $('computers-filter').value.trim().toLowerCase();
    const wanted = $('computers-status').value;
    const shown = computers.filter((c) => (!filter || `${c.name} ${c.hostname}`.toLowerCase().includes(filter))
      && (wanted === 'all' || status(c) === wanted));
    rows.replaceChildren(...shown.map((computer) => {
      const row = document.createElement('tr');
      row.dataset.computerId = computer.id;
      const cell = (text) => {
        const td = document.createElement('td');
        td.textContent = text;
        return td;
      };
      const connect = document.createElement('button');
      connect.type = 'button';
      connect.textContent = t('computers.connect');
      connect.dataset.action = 'connect';
      connect.disabled = status(computer) !== 'online';
      connect.addEventListener('click', () => connectTo(computer));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = t('computers.remove');
      remove.dataset.action = 'remove';
      // A computer shared with the group is removed by its owner (the manual).
      remove.disabled = computer.shared;
      if (computer.shared) remove.title = t('computers.sharedHint');
      remove.addEventListener('click', () => removeComputer(computer));
      const actions = document.createElement('td');
      actions.append(connect, ' ', remove);
      if (isAdministrator()) {
        const connector = document.createElement('button');
        connector.type = 'button';
        connector.textContent = t('lan.makeConnector');
        connector.dataset.action = 'lan-connector';
        connector.addEventListener('click', () => makeConnector(computer));
        actions.append(' ', connector);
      }
      row.append(cell(computer.name === computer.hostname ? computer.name : `${computer.name} (${computer.hostname})`),
        cell(t(`computers.${status(computer)}`) + (computer.shared ? ` · ${t('computers.shared')}` : '')), cell(access(computer.rules)), actions);
      return row;
    }));
    $('computers-empty').hidden = computers.length > 0;
  }

  async function load() {
    dialog.querySelector('#computers-unattended').hidden = !canUse('unattended_access');
    if (!canUse('unattended_access')) return;
    // The list shown until the answer comes is the last one: marked busy so no one acts on it.
    rows.setAttribute('aria-busy', 'true');
    try {
      computers = await api('computers');
      render();
    } catch (error) {
      line.textContent = describeError(error);
    } finally {
      rows.removeAttribute('aria-busy');
    }
  }

  // The customer asked for one of the computer's accounts at each connection: asked here, sent once.
  let asking = null;
  const credentials = mountCredentialsForm($('computer-credentials'), { connect: (body) => connectTo(asking, body) });

  async function connectTo(computer, body) {
    if (computer.rules.credentials === 'at_each_connection' && !body) {
      asking = computer;
      credentials.ask(t('computers.credentialsFor', { name: computer.name }));
      return false;
    }
    line.textContent = t('computers.connecting', { name: computer.name });
    try {
      const connection = await api(`computers/${encodeURIComponent(computer.id)}/connect`, { method: 'POST', body });
      line.textContent = t('computers.connected', { name: computer.name });
      onConnected(connection.sessionId);
      return true;
    } catch (error) {
      line.textContent = describeError(error);
      load();
      return false;
    }
  }

  // The subnets the connector may check, typed by the administrator; none stops it being one.
  async function makeConnector(computer) {
    const answer = window.prompt(t('lan.subnetsPrompt', { name: computer.name }));
    if (answer === null) return;
    const subnets = answer.split(/[\s,]+/).filter(Boolean);
    try {
      if (subnets.length) {
        await api(`computers/${encodeURIComponent(computer.id)}/lan-connector`, { method: 'PUT', body: { subnets } });
        line.textContent = t('lan.connectorMade', { name: computer.name, subnets: subnets.join(', ') });
      } else {
        await api(`computers/${encodeURIComponent(computer.id)}/lan-connector`, { method: 'DELETE' });
        line.textContent = t('lan.connectorStopped', { name: computer.name });
      }
      lan.open();
    } catch (error) {
      line.textContent = describeError(error);
    }
  }

  async function removeComputer(computer) {
    if (!window.confirm(t('computers.confirmRemove', { name: computer.name }))) return;
    try {
      await api(`computers/${encodeURIComponent(computer.id)}`, { method: 'DELETE' });
      line.textContent = t('computers.removed', { name: computer.name });
      load();
    } catch (error) {
      line.textContent = describeError(error);
    }
  }

  $('computers-filter').addEventListener('input', render);
  $('computers-status').addEventListener('change', render);
  $('computers-refresh').addEventListener('click', load);
  $('computers-close').addEventListener('click', () => dialog.close());
  button.addEventListener('click', () => {
    line.textContent = '';
    dialog.showModal();
    load();
    lan.open();
  });
  return {
    enable() {
      button.disabled = !canUse('unattended_access') && !canUse('lan_connection');
    },
  };
}
