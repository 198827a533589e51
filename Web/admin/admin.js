// The Admin Center (R1–R4): organisation settings, groups with their permissions (nested one
// level), channels, technicians and administrators. An administrator of some groups sees only
// those groups and their technicians; the gateway enforces the same.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { permissionName, ready } from './admin-language.js';
import { announceChange, followRoute, openObject } from './admin-route.js';
import { mountTechnicians } from './technicians.js';

const $ = (id) => document.getElementById(id);

function fail(error) {
  $('admin-error').textContent = describeError(error);
  $('admin-error').hidden = false;
}

function cells(row, texts) {
  for (const text of texts) {
    const td = document.createElement('td');
    td.textContent = text;
    row.append(td);
  }
}

/** A button that runs `onClick` (after `confirmation`, when given), then `redraw` (the page by default). */
function button(text, onClick, confirmation = null, redraw = load) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.addEventListener('click', async () => {
    if (confirmation && !window.confirm(confirmation)) return;
    try {
      await onClick();
      await redraw();
    } catch (error) {
      fail(error);
    }
  });
  return element;
}

const technicianSection = mountTechnicians({ reload: () => load(), fail, actionButton: button });
let me = null;
let groupList = [];
// A group's view edits that group (its name and place, or its permissions); elsewhere the form creates one.
const applyRoute = followRoute((route) => editGroup(route.kind === 'group' ? groupList.find((group) => group.id === route.id) ?? null : null));

async function load() {
  const [groups, technicians] = await Promise.all([api('admin/groups'), api('admin/technicians')]);
  groupList = groups;
  const names = new Map(groups.map((g) => [g.id, g.name]));
  $('groups').querySelector('tbody').replaceChildren(...groups.map((group) => {
    const row = document.createElement('tr');
    row.dataset.groupId = group.id;
    row.dataset.parentId = group.parentId ?? '';
    cells(row, [group.name, names.get(group.parentId) ?? '—', group.permissions.map(permissionName).join(', ')]);
    const action = document.createElement('td');
    const change = document.createElement('button');
    change.type = 'button';
    change.textContent = t('admin.edit');
    change.addEventListener('click', () => openObject('group', group.id));
    action.append(change, button(t('admin.delete'), () => api(`admin/groups/${group.id}`, { method: 'DELETE' }), null, groupsChanged));
    row.append(action);
    return row;
  }));
  const parent = $('group-parent').value;
  $('group-parent').replaceChildren(new Option(me.organisationWide ? t('admin.top_level') : '', ''),
    ...groups.filter((group) => !group.parentId).map((group) => new Option(group.name, group.id)));
  $('group-parent').value = parent;
  technicianSection.render(technicians, groups, me);
  applyRoute();
  announceChange();
}

/** After the groups changed: other sections (channels) redraw theirs. */
async function groupsChanged() {
  await load();
  document.dispatchEvent(new CustomEvent('admin:groups'));
}

/** The numeric organisation settings: input id → API field. */
const NUMBER_SETTINGS = [
  ['settings-urgent', 'urgentAfterSeconds'], ['settings-idle', 'idleTimeoutMinutes'],
  ['settings-connecting', 'connectingTimeoutMinutes'], ['settings-away', 'awayAfterMinutes'], ['settings-busy', 'busyAtSessions'],
  ['settings-max-file', 'maxFileMegabytes'], ['settings-hold', 'holdTimeoutDays'],
];

/** The rule of each custom field (R2): asked in forms, required, listed; redrawn as names are typed. */
let fieldRules = {};
const RULE_KEYS = ['inForms', 'required', 'inList'];
const RULE_LABELS = { inForms: 'admin.asked_in_channel_forms', required: 'admin.required', inList: 'admin.column_of_the_session_list' };

function fieldNames() {
  return $('settings-fields').value.split(',').map((name) => name.trim()).filter(Boolean);
}

function renderFieldRules() {
  $('settings-field-rules').querySelector('tbody').replaceChildren(...fieldNames().map((name) => {
    const rule = { inForms: true, inList: true, required: false, ...fieldRules[name] };
    const row = document.createElement('tr');
    cells(row, [name]);
    for (const key of RULE_KEYS) {
      const cell = document.createElement('td');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = rule[key];
      box.dataset.field = name;
      box.dataset.rule = key;
      box.setAttribute('aria-label', `${name}: ${t(RULE_LABELS[key])}`);
      box.addEventListener('change', () => {
        fieldRules[name] = { ...rule, ...fieldRules[name], [key]: box.checked };
        // A required field is asked; a field not asked is not required.
        if (key === 'required' && box.checked) fieldRules[name].inForms = true;
        if (key === 'inForms' && !box.checked) fieldRules[name].required = false;
        renderFieldRules();
      });
      cell.append(box);
      row.append(cell);
    }
    return row;
  }));
}
$('settings-fields').addEventListener('input', renderFieldRules);

async function loadSettings() {
  const settings = await api('admin/settings');
  $('settings-auto-start').checked = settings.autoStartDefault;
  $('settings-fields').value = settings.customFieldNames.join(', ');
  fieldRules = settings.customFieldRules ?? {};
  renderFieldRules();
  $('settings-recording-format').value = settings.recordingFormat;
  $('settings-require-two-step').checked = settings.requireTwoStep;
  $('settings-notify-monitored').checked = settings.notifyWhenMonitored;
  $('settings-approved-external').value = settings.approvedExternalTechnicians.join('\n');
  $('settings-applet-terms').value = settings.appletTerms ?? '';
  $('settings-email-subject').value = settings.emailTemplate?.subject ?? '';
  $('settings-email-body').value = settings.emailTemplate?.body ?? '';
  for (const [id, key] of NUMBER_SETTINGS) $(id).value = settings[key];
}

$('settings-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const subject = $('settings-email-subject').value.trim();
  const text = $('settings-email-body').value;
  // Both empty: back to Lifeline's own wording.
  const email = subject || text.trim() ? { emailTemplate: { subject, body: text } } : { resetEmailTemplate: true };
  try {
    await api('admin/settings', {
      method: 'PUT',
      body: {
        ...email,
        autoStartDefault: $('settings-auto-start').checked,
        customFieldNames: fieldNames(),
        customFieldRules: Object.fromEntries(fieldNames().map((name) => [name, { inForms: true, inList: true, required: false, ...fieldRules[name] }])),
        recordingFormat: $('settings-recording-format').value,
        requireTwoStep: $('settings-require-two-step').checked,
        notifyWhenMonitored: $('settings-notify-monitored').checked,
        approvedExternalTechnicians: $('settings-approved-external').value.split('\n').map((line) => line.trim()).filter(Boolean),
        appletTerms: $('settings-applet-terms').value,
        ...Object.fromEntries(NUMBER_SETTINGS.map(([id, key]) => [key, Number($(id).value)])),
      },
    });
    $('settings-status').textContent = t('admin.saved');
    $('settings-status').hidden = false;
  } catch (error) {
    fail(error);
  }
});

try {
  me = await ready;
  if (!me) me = await api('me');
  if (me.organisationWide) await loadSettings();
  const { permissions, notYetAvailable } = await api('admin/permissions');
  const planned = new Set(notYetAvailable);
  // What is not built yet is shown as coming later, not offered as if it worked (a stored grant stays).
  $('group-permissions').append(...permissions.map((name) => {
    const label = document.createElement('label');
    label.className = 'inline';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = name;
    label.append(box, document.createTextNode(` ${permissionName(name)}`));
    if (planned.has(name)) {
      box.disabled = true;
      label.classList.add('planned');
      label.dataset.planned = 'true';
      label.append(document.createTextNode(` (${t('admin.coming_later')})`));
    }
    return label;
  }));
  await load();
} catch (error) {
  if (error.code === 'unauthenticated') {
    showSignedOut();
  } else {
    fail(error);
  }
}

/** Signed out: no forms to fill in for nothing, but a sign-in form; an account with two-step
 * verification continues on the console's sign-in page, which comes back here. */
function showSignedOut() {
  for (const section of document.querySelectorAll('main.admin > section')) section.hidden = true;
  $('admin-error').hidden = true;
  $('admin-signed-out').hidden = false;
  $('admin-login-email').focus();
}

$('admin-login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('admin-login-error').hidden = true;
  try {
    const result = await api('auth/login', {
      // The language this page speaks (the browser's), as the console's sign-in would choose it.
      method: 'POST',
      body: { email: $('admin-login-email').value, password: $('admin-login-password').value, language: document.documentElement.lang },
    });
    $('admin-login-password').value = '';
    if (result.twoStep) {
      location.assign('/console/?next=/admin/');
      return;
    }
    location.reload();
  } catch (error) {
    // A refused password is typed again from scratch.
    $('admin-login-password').value = '';
    $('admin-login-error').textContent = describeError(error);
    $('admin-login-error').hidden = false;
  }
});

/** The group form edits `group` (its name and every permission) until saved or cancelled. */
function editGroup(group) {
  $('group-editing').value = group?.id ?? '';
  $('group-form-title').textContent = group ? t('admin.edit_group', { name: group.name }) : t('admin.new_group');
  $('group-submit').textContent = t(group ? 'admin.save_group' : 'admin.create_group');
  $('group-cancel').hidden = !group;
  $('group-name').value = group?.name ?? '';
  $('group-parent').value = group?.parentId ?? '';
  for (const box of $('group-permissions').querySelectorAll('input')) box.checked = Boolean(group?.permissions.includes(box.value));
}

// Cancel leaves the group's view for the organisation's.
$('group-cancel').addEventListener('click', () => { location.hash = '#/organisation/organisation'; });
$('group-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const permissions = [...$('group-permissions').querySelectorAll('input:checked')].map((box) => box.value);
  const id = $('group-editing').value;
  try {
    const body = { name: $('group-name').value, permissions, parentId: $('group-parent').value || null };
    await api(id ? `admin/groups/${id}` : 'admin/groups', { method: id ? 'PUT' : 'POST', body });
    event.target.reset();
    editGroup(null);
    await groupsChanged();
  } catch (error) {
    fail(error);
  }
});
