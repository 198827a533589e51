// The Technicians section of the Admin Center (R1): create, edit (name, group, password, the
// groups an administrator manages), disable, reset two-step verification, delete.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { renderGroupBoxes } from './admin-language.js';
import { followRoute, openObject } from './admin-route.js';

const $ = (id) => document.getElementById(id);

/** Wires the technician form; `reload()` redraws the page, `fail(error)` shows an error. */
export function mountTechnicians({ reload, fail, actionButton }) {
  let me = null;
  let groups = [];
  let people = [];
  // A technician's view edits them; a group's view offers a new technician in that group.
  const applyRoute = followRoute((route) => {
    edit(route.kind === 'technician' ? people.find((person) => person.id === route.id) ?? null : null);
    if (route.kind === 'group' && groups.some((group) => group.id === route.id)) $('technician-group').value = route.id;
  });

  function managedCheckboxes(selected = []) {
    renderGroupBoxes($('technician-managed-groups'), groups.filter((group) => !group.parentId), new Set(selected),
      (group) => t('admin.group_and_subgroups', { name: group.name }));
  }

  function showManaged() {
    const administrator = $('technician-role').value === 'administrator';
    $('technician-managed').hidden = !(administrator && me?.role === 'master_administrator');
    $('technician-managed-groups').hidden = $('technician-whole').checked;
  }

  /** The form edits `technician` until saved or cancelled; without one it creates. */
  function edit(technician) {
    $('technician-editing').value = technician?.id ?? '';
    $('technician-form-title').textContent = technician ? t('admin.edit_technician', { name: technician.name }) : t('admin.new_technician');
    $('technician-submit').textContent = t(technician ? 'admin.save_technician' : 'admin.create_technician');
    $('technician-cancel').hidden = !technician;
    $('technician-email-line').hidden = Boolean(technician);
    $('technician-email').required = !technician;
    $('technician-role-line').hidden = Boolean(technician) || me?.role !== 'master_administrator';
    $('technician-password').required = !technician;
    $('technician-password-label').textContent = t(technician ? 'admin.new_password_keep' : 'admin.password_at_least_12_characters_a');
    $('technician-name').value = technician?.name ?? '';
    $('technician-email').value = '';
    $('technician-password').value = '';
    if (technician?.groupId) $('technician-group').value = technician.groupId;
    $('technician-role').value = technician?.role === 'administrator' ? 'administrator' : 'technician';
    $('technician-whole').checked = !technician?.managedGroupIds;
    managedCheckboxes(technician?.managedGroupIds ?? []);
    showManaged();
  }

  $('technician-role').addEventListener('change', showManaged);
  $('technician-whole').addEventListener('change', showManaged);
  $('technician-cancel').addEventListener('click', () => { location.hash = '#/organisation/organisation'; });

  $('technician-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = $('technician-editing').value;
    const administrator = $('technician-role').value === 'administrator' && !$('technician-managed').hidden;
    const managedGroupIds = [...$('technician-managed-groups').querySelectorAll('input:checked')].map((box) => box.value);
    const body = { name: $('technician-name').value, groupId: $('technician-group').value || null };
    if ($('technician-password').value) body.password = $('technician-password').value;
    if (administrator) {
      if ($('technician-whole').checked) body.wholeOrganisation = true; else body.managedGroupIds = managedGroupIds;
    }
    try {
      if (id) {
        await api(`admin/technicians/${id}`, { method: 'PATCH', body });
      } else {
        if (body.wholeOrganisation) delete body.wholeOrganisation;
        await api('admin/technicians', {
          method: 'POST',
          body: { ...body, email: $('technician-email').value, password: $('technician-password').value, role: $('technician-role').value },
        });
      }
      edit(null);
      await reload();
    } catch (error) {
      fail(error);
    }
  });

  return {
    render(technicians, allGroups, actor) {
      me = actor;
      groups = allGroups;
      people = technicians;
      const names = new Map(groups.map((g) => [g.id, g.name]));
      $('technician-group').replaceChildren(...groups.map((group) => new Option(group.name, group.id)));
      if (!$('technician-editing').value) edit(null);
      $('technicians').querySelector('tbody').replaceChildren(...technicians.map((technician) => {
        const row = document.createElement('tr');
        row.dataset.technicianId = technician.id;
        row.dataset.groupId = technician.groupId ?? '';
        const administers = technician.role === 'administrator'
          ? (technician.managedGroupIds ? technician.managedGroupIds.map((id) => names.get(id) ?? '?').join(', ') : t('admin.whole_organisation'))
          : technician.role === 'master_administrator' ? t('admin.everything') : '—';
        for (const text of [technician.name, technician.email, t(`role.${technician.role}`), names.get(technician.groupId) ?? '—',
          administers, t(technician.disabled ? 'admin.disabled' : 'admin.enabled')]) {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.append(cell);
        }
        const actions = document.createElement('td');
        if (technician.role !== 'master_administrator' && technician.id !== me.id) {
          const change = document.createElement('button');
          change.type = 'button';
          change.textContent = t('admin.edit');
          change.addEventListener('click', () => openObject('technician', technician.id));
          actions.append(
            change,
            actionButton(t(technician.disabled ? 'admin.enable' : 'admin.disable'),
              () => api(`admin/technicians/${technician.id}`, { method: 'PATCH', body: { disabled: !technician.disabled } })),
            actionButton(t('admin.reset_two_step'), () => api(`admin/technicians/${technician.id}/two-step/reset`, { method: 'POST' }),
              t('admin.reset_two_step_confirm', { name: technician.name })),
            actionButton(t('admin.delete'), () => api(`admin/technicians/${technician.id}`, { method: 'DELETE' }),
              t('admin.delete_technician_confirm', { name: technician.name })),
          );
        }
        row.append(actions);
        return row;
      }));
      applyRoute();
    },
  };
}
