// The minimal admin page: groups with their permissions, technicians in them, disable/enable.
import { api } from '../lib/api.js';

const $ = (id) => document.getElementById(id);

function fail(error) {
  $('admin-error').textContent = error.message;
  $('admin-error').hidden = false;
}

function cells(row, texts) {
  for (const text of texts) {
    const td = document.createElement('td');
    td.textContent = text;
    row.append(td);
  }
}

async function load() {
  const [groups, technicians] = await Promise.all([api('admin/groups'), api('admin/technicians')]);
  const names = new Map(groups.map((g) => [g.id, g.name]));
  $('groups').querySelector('tbody').replaceChildren(...groups.map((group) => {
    const row = document.createElement('tr');
    cells(row, [group.name, group.permissions.join(', ')]);
    return row;
  }));
  $('technician-group').replaceChildren(...groups.map((group) => new Option(group.name, group.id)));
  $('technicians').querySelector('tbody').replaceChildren(...technicians.map((technician) => {
    const row = document.createElement('tr');
    cells(row, [technician.name, technician.email, technician.role, names.get(technician.groupId) ?? '—',
      technician.disabled ? 'Disabled' : 'Enabled']);
    const action = document.createElement('td');
    if (technician.role !== 'master_administrator') {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = technician.disabled ? 'Enable' : 'Disable';
      button.addEventListener('click', async () => {
        try {
          await api(`admin/technicians/${technician.id}`, { method: 'PATCH', body: { disabled: !technician.disabled } });
          await load();
        } catch (error) {
          fail(error);
        }
      });
      action.append(button);
    }
    row.append(action);
    return row;
  }));
}

async function loadSettings() {
  const settings = await api('admin/settings');
  $('settings-auto-start').checked = settings.autoStartDefault;
  $('settings-urgent').value = settings.urgentAfterSeconds;
}

$('settings-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('admin/settings', {
      method: 'PUT',
      body: { autoStartDefault: $('settings-auto-start').checked, urgentAfterSeconds: Number($('settings-urgent').value) },
    });
    $('settings-status').textContent = 'Saved.';
    $('settings-status').hidden = false;
  } catch (error) {
    fail(error);
  }
});

try {
  await loadSettings();
  const { permissions } = await api('admin/permissions');
  $('group-permissions').append(...permissions.map((name) => {
    const label = document.createElement('label');
    label.className = 'inline';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = name;
    label.append(box, document.createTextNode(` ${name.replaceAll('_', ' ')}`));
    return label;
  }));
  await load();
} catch (error) {
  fail(error);
}

$('group-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const permissions = [...$('group-permissions').querySelectorAll('input:checked')].map((box) => box.value);
  try {
    await api('admin/groups', { method: 'POST', body: { name: $('group-name').value, permissions } });
    event.target.reset();
    await load();
  } catch (error) {
    fail(error);
  }
});

$('technician-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('admin/technicians', {
      method: 'POST',
      body: {
        name: $('technician-name').value, email: $('technician-email').value, password: $('technician-password').value,
        groupId: $('technician-group').value || null, role: $('technician-role').value,
      },
    });
    event.target.reset();
    await load();
  } catch (error) {
    fail(error);
  }
});
