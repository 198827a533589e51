// Channels in the Admin Center (F2, R2): name, groups, "no technician available" message and
// rule, working hours (one opening per weekday, in a time zone), public link and form snippet;
// created, edited and deleted. The gateway allows at most ten per organisation.
import { api } from '../lib/api.js';
import { currentLanguage, describeError, t } from '../lib/i18n.js';
import { ready, renderGroupBoxes } from './admin-language.js';
import { announceChange, followRoute, openObject } from './admin-route.js';

const $ = (id) => document.getElementById(id);
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
let groups = [];
let channels = [];

function fail(error) {
  $('admin-error').textContent = describeError(error);
  $('admin-error').hidden = false;
}

/** The weekday's name in the viewer's language (ISO: 1 is Monday; 2024-01-01 was a Monday). */
function weekdayName(weekday, style = 'long') {
  return new Intl.DateTimeFormat(currentLanguage(), { weekday: style, timeZone: 'UTC' }).format(Date.UTC(2024, 0, weekday));
}

const clock = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const minutes = (text) => {
  const [hours, mins] = text.split(':').map(Number);
  return hours * 60 + mins;
};

function hoursText(hours) {
  if (!hours) return t('admin.always_open');
  const days = hours.spans.map((span) => `${weekdayName(span.weekday, 'short')} ${clock(span.opens)}–${clock(span.closes)}`);
  return `${days.join(', ')} (${hours.timeZone})`;
}

function renderDays(hours) {
  $('channel-days').replaceChildren(...WEEKDAYS.map((weekday) => {
    const span = hours?.spans.find((s) => s.weekday === weekday);
    const row = document.createElement('tr');
    row.dataset.weekday = weekday;
    const name = document.createElement('th');
    name.textContent = weekdayName(weekday);
    const open = document.createElement('input');
    open.type = 'checkbox';
    open.className = 'day-open';
    open.checked = Boolean(span) || (!hours && weekday <= 5);
    open.setAttribute('aria-label', `${weekdayName(weekday)}: ${t('admin.open')}`);
    const times = [['day-opens', span?.opens ?? 9 * 60], ['day-closes', span?.closes ?? 17 * 60]].map(([className, value]) => {
      const input = document.createElement('input');
      input.type = 'time';
      input.className = className;
      input.value = clock(value);
      return input;
    });
    row.append(name, ...[open, ...times].map((input) => {
      const cell = document.createElement('td');
      cell.append(input);
      return cell;
    }));
    return row;
  }));
}

function showHours() {
  $('channel-hours-detail').hidden = $('channel-always-open').checked;
}

/** The form edits `channel` until saved or cancelled; without one it creates. */
function edit(channel) {
  $('channel-editing').value = channel?.id ?? '';
  $('channel-form-title').textContent = channel ? t('admin.edit_channel', { name: channel.name }) : t('admin.new_channel_at_most_10');
  $('channel-submit').textContent = t(channel ? 'admin.save_channel' : 'admin.create_channel');
  $('channel-cancel').hidden = !channel;
  $('channel-name').value = channel?.name ?? '';
  $('channel-message').value = channel?.unavailableMessage ?? '';
  $('channel-when').value = channel?.whenUnavailable ?? 'keep';
  for (const box of $('channel-groups').querySelectorAll('input')) box.checked = Boolean(channel?.groupIds.includes(box.value));
  $('channel-always-open').checked = !channel?.workingHours;
  $('channel-time-zone').value = channel?.workingHours?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  renderDays(channel?.workingHours);
  showHours();
}

function renderGroups() {
  const checked = new Set([...$('channel-groups').querySelectorAll('input:checked')].map((box) => box.value));
  renderGroupBoxes($('channel-groups'), groups, checked);
}

function cell(content) {
  const td = document.createElement('td');
  td.append(content);
  return td;
}

function actionButton(text, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

function renderTable() {
  const names = new Map(groups.map((group) => [group.id, group.name]));
  $('channels').querySelector('tbody').replaceChildren(...channels.map((channel) => {
    const row = document.createElement('tr');
    row.dataset.channelId = channel.id;
    const link = document.createElement('a');
    link.href = channel.link;
    link.textContent = channel.link;
    const form = document.createElement('a');
    form.href = `/api/v1/channels/${channel.link.split('/ch/')[1]}/form`;
    form.textContent = t('admin.channel_form_link');
    const linkCell = cell(link);
    linkCell.append(document.createElement('br'), form);
    const actions = document.createElement('td');
    actions.append(actionButton(t('admin.edit'), () => openObject('channel', channel.id)), actionButton(t('admin.delete'), async () => {
      try {
        await api(`admin/channels/${channel.id}`, { method: 'DELETE' });
        await load();
        announceChange();
      } catch (error) {
        fail(error);
      }
    }));
    row.append(cell(channel.name), linkCell, cell(channel.groupIds.map((id) => names.get(id) ?? '?').join(', ') || '—'),
      cell(hoursText(channel.workingHours)),
      cell(t(channel.whenUnavailable === 'keep' ? 'admin.when_unavailable_keep' : 'admin.when_unavailable_refuse')), actions);
    return row;
  }));
}

// A channel's view edits it; elsewhere the form creates one.
const applyRoute = followRoute((route) => edit(route.kind === 'channel' ? channels.find((channel) => channel.id === route.id) ?? null : null));

async function load() {
  [channels, groups] = await Promise.all([api('admin/channels'), api('admin/groups')]);
  renderGroups();
  renderTable();
  applyRoute();
}

/** The request body of the form: everything it shows, hours included. */
function formBody() {
  const body = {
    name: $('channel-name').value,
    groupIds: [...$('channel-groups').querySelectorAll('input:checked')].map((box) => box.value),
    whenUnavailable: $('channel-when').value,
  };
  if ($('channel-message').value.trim()) body.unavailableMessage = $('channel-message').value;
  if ($('channel-always-open').checked) {
    body.alwaysOpen = true;
  } else {
    const spans = [...$('channel-days').querySelectorAll('tr')].filter((row) => row.querySelector('.day-open').checked).map((row) => ({
      weekday: Number(row.dataset.weekday),
      opens: minutes(row.querySelector('.day-opens').value),
      closes: minutes(row.querySelector('.day-closes').value),
    }));
    body.workingHours = { timeZone: $('channel-time-zone').value.trim(), spans };
  }
  return body;
}

$('channel-always-open').addEventListener('change', showHours);
$('channel-cancel').addEventListener('click', () => { location.hash = '#/organisation/channels'; });
$('channel-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = $('channel-editing').value;
  const body = formBody();
  try {
    if (id) {
      await api(`admin/channels/${id}`, { method: 'PATCH', body });
    } else {
      delete body.alwaysOpen;
      await api('admin/channels', { method: 'POST', body });
    }
    edit(null);
    $('admin-error').hidden = true;
    await load();
    announceChange();
  } catch (error) {
    fail(error);
  }
});
// Groups created or renamed on this page appear in the channel form at once.
document.addEventListener('admin:groups', () => load().catch(fail));

try {
  const me = await ready;
  if (me?.organisationWide) {
    await load();
    edit(null);
  }
} catch (error) {
  fail(error);
}
