// LAN (C1, F4): in the Computers dialog, the machines of a network where one of the organisation's
// agents is a LAN connector — listed by the connector (its neighbours, and an SSH check of the
// subnets an administrator allowed), filtered by name or address; the technician types the
// machine's credentials and the connector starts the applet there: no one at the machine does
// anything. The password goes in one request and is kept nowhere, not even in this page.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { mountCredentialsForm } from './credentials-form.js';

export function mountLanPanel(section, { onConnected, canUse }) {
  const $ = (id) => section.querySelector(`#${id}`);
  const line = $('lan-line');
  let connectors = [];
  let machines = [];
  let target = null;

  function renderConnectors() {
    const select = $('lan-connector');
    const chosen = select.value;
    select.replaceChildren(...connectors.map((connector) => {
      const option = document.createElement('option');
      option.value = connector.id;
      option.textContent = `${connector.name} · ${connector.subnets.join(', ') || t('lan.neighboursOnly')} · ${t(connector.online ? 'computers.online' : 'computers.offline')}`;
      option.disabled = !connector.online;
      return option;
    }));
    if (connectors.some((c) => c.id === chosen)) select.value = chosen;
    $('lan-list').disabled = !connectors.some((c) => c.online);
    $('lan-none').hidden = connectors.length > 0;
  }

  function renderMachines() {
    const filter = $('lan-filter').value.trim().toLowerCase();
    const shown = machines.filter((m) => !filter || `${m.address} ${m.name ?? ''}`.toLowerCase().includes(filter));
    $('lan-rows').replaceChildren(...shown.map((machine) => {
      const row = document.createElement('tr');
      row.dataset.address = machine.address;
      const cell = (text) => {
        const td = document.createElement('td');
        td.textContent = text;
        return td;
      };
      const ssh = machine.ssh === true ? t('lan.sshOpen') : machine.ssh === false ? t('lan.sshClosed') : t('lan.sshUnchecked');
      const connect = document.createElement('button');
      connect.type = 'button';
      connect.dataset.action = 'lan-connect';
      connect.textContent = t('computers.connect');
      connect.disabled = machine.ssh === false;
      connect.addEventListener('click', () => ask(machine));
      const actions = document.createElement('td');
      actions.append(connect);
      row.append(cell(machine.address), cell(machine.name ?? ''), cell(ssh), actions);
      return row;
    }));
  }

  async function loadConnectors() {
    try {
      connectors = await api('lan-connectors');
      renderConnectors();
    } catch (error) {
      line.textContent = describeError(error);
    }
  }

  async function list() {
    const connector = $('lan-connector').value;
    if (!connector) return;
    line.textContent = t('lan.listing');
    $('lan-list').disabled = true;
    try {
      machines = await api(`computers/${encodeURIComponent(connector)}/lan/machines`);
      line.textContent = t('lan.listed', { count: machines.length });
      renderMachines();
    } catch (error) {
      line.textContent = describeError(error);
    } finally {
      $('lan-list').disabled = false;
    }
  }

  // The machine's account goes to the connector in this one request; true once the applet runs there.
  const credentials = mountCredentialsForm($('lan-credentials'), {
    connect: async ({ username, password }) => {
      const address = target.address;
      line.textContent = t('lan.connecting', { address });
      try {
        const connection = await api(`computers/${encodeURIComponent($('lan-connector').value)}/lan/connect`,
          { method: 'POST', body: { address, username, password } });
        line.textContent = t(connection.hostKeyPinnedNow ? 'lan.connectedPinned' : 'lan.connected', { address, key: connection.hostKey });
        onConnected(connection.sessionId);
        return true;
      } catch (error) {
        line.textContent = describeError(error);
        return false;
      }
    },
  });

  function ask(machine) {
    target = machine;
    credentials.ask(t('lan.credentialsFor', { address: machine.name ? `${machine.name} (${machine.address})` : machine.address }));
  }

  $('lan-filter').addEventListener('input', renderMachines);
  $('lan-list').addEventListener('click', list);

  return {
    open() {
      section.hidden = !canUse('lan_connection');
      credentials.close();
      if (!section.hidden) loadConnectors();
    },
  };
}
