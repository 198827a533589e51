// The Admin Center laid out as the manual's organisation (issue 15, item 7): the tree on the left
// (the organisation, its administrators, groups with their subgroups and technicians, channels),
// the selected object's tabs on the right, one view at a time, each at its own address. The
// other scripts keep their sections and forms; they hear `admin:route` to edit the object shown
// and say `admin:changed` when they changed something the tree lists.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { ready } from './admin-language.js';
import { TABS, currentRoute, routeHash, visibleTabs } from './admin-route.js';

const $ = (id) => document.getElementById(id);

/** Which sections each view shows ("kind:tab"). */
const SECTIONS = {
  'settings-section': ['organisation:settings'],
  'groups-section': ['organisation:organisation', 'group:organisation', 'group:permissions'],
  'technicians-section': ['organisation:organisation', 'group:organisation', 'technician:organisation'],
  'channels-section': ['organisation:channels', 'channel:channels'],
  'cards-section': ['organisation:calling-cards'],
  'surveys-section': ['organisation:surveys', 'group:surveys', 'channel:surveys'],
  'reports-section': ['organisation:reports', 'group:reports', 'technician:reports'],
  'survey-report-section': ['organisation:reports'],
  'audit-section': ['organisation:audit'],
  'group-scripts-section': ['group:scripts'],
};
const TAB_LABELS = {
  organisation: 'admin.tab_organisation', settings: 'admin.tab_settings', channels: 'admin.channels', 'calling-cards': 'admin.calling_cards',
  surveys: 'admin.tab_surveys', reports: 'admin.tab_reports', audit: 'admin.tab_audit', permissions: 'admin.permissions',
  scripts: 'admin.tab_scripts',
};

let me = null;
let data = { groups: [], technicians: [], channels: [] };

/** A link to `route`; the tree marks the one shown with `markCurrent`. */
function link(text, route) {
  const anchor = document.createElement('a');
  anchor.href = routeHash(route);
  anchor.textContent = text;
  return anchor;
}

function item(content, children = []) {
  const li = document.createElement('li');
  li.append(content);
  if (children.length) {
    const list = document.createElement('ul');
    list.append(...children);
    li.append(list);
  }
  return li;
}

function heading(text) {
  const span = document.createElement('span');
  span.className = 'tree-heading';
  span.textContent = text;
  return span;
}

/** The organisation tree: what this administrator may manage, as links (drawn when they change). */
function drawTree() {
  const { groups, technicians, channels } = data;
  const technician = (person) => item(link(person.name, { kind: 'technician', id: person.id, tab: 'organisation' }));
  const groupItem = (group) => item(link(group.name, { kind: 'group', id: group.id, tab: 'organisation' }), [
    ...groups.filter((child) => child.parentId === group.id).map(groupItem),
    ...technicians.filter((person) => person.groupId === group.id && person.role === 'technician').map(technician),
  ]);
  const known = new Set(groups.map((group) => group.id));
  const administrators = technicians.filter((person) => person.role !== 'technician');
  const top = groups.filter((group) => !group.parentId || !known.has(group.parentId));
  const branches = [
    item(heading(t('admin.administrators')), administrators.map(technician)),
    item(heading(t('admin.technician_groups')), top.map(groupItem)),
  ];
  if (me.organisationWide) {
    branches.push(item(heading(t('admin.channels')), channels.map((channel) => item(link(channel.name, { kind: 'channel', id: channel.id, tab: 'channels' })))));
  }
  const root = document.createElement('ul');
  root.append(item(link(me.organisation, { kind: 'organisation', id: null, tab: 'organisation' }), branches));
  $('org-tree-list').replaceWith(Object.assign(root, { id: 'org-tree-list' }));
}

/** Marks the tree's link to the object shown (the organisation's own tabs each have a link). */
function markCurrent(route) {
  const here = routeHash(route.kind === 'organisation' ? route : { ...route, tab: TABS[route.kind][0] });
  for (const anchor of $('org-tree-list').querySelectorAll('a')) {
    if (anchor.getAttribute('href') === here) anchor.setAttribute('aria-current', 'page');
    else anchor.removeAttribute('aria-current');
  }
}

/** The object's name for the title, or null when it is not (or no longer) there. */
function objectName(route) {
  if (route.kind === 'organisation') return me.organisation;
  const list = { group: data.groups, technician: data.technicians, channel: data.channels }[route.kind];
  return list.find((entry) => entry.id === route.id)?.name ?? null;
}

function drawTabs(route) {
  const tabs = visibleTabs(route.kind, me.organisationWide);
  $('object-tabs').replaceChildren(...tabs.map((tab) => {
    const anchor = link(t(TAB_LABELS[tab]), { ...route, tab });
    if (tab === route.tab) anchor.setAttribute('aria-current', 'page');
    return anchor;
  }));
}

function show() {
  let route = currentRoute();
  // A tab this administrator does not see, or an object gone: back to the organisation.
  if (!visibleTabs(route.kind, me.organisationWide).includes(route.tab) || objectName(route) === null) {
    route = { kind: 'organisation', id: null, tab: 'organisation' };
  }
  const view = `${route.kind}:${route.tab}`;
  $('admin-main').dataset.view = view;
  $('admin-main').dataset.kind = route.kind;
  $('object-title').textContent = objectName(route);
  $('object-kind').textContent = route.kind === 'organisation' ? '' : t(`admin.kind_${route.kind}`);
  for (const [id, views] of Object.entries(SECTIONS)) $(id).hidden = !views.includes(view);
  markCurrent(route);
  drawTabs(route);
  filterRows(route);
  document.dispatchEvent(new CustomEvent('admin:route', { detail: route }));
}

/** In an object's view, its tables list that object (and a group's members) only. */
function filterRows(route) {
  const keep = {
    groups: (row) => route.kind !== 'group' || row.dataset.groupId === route.id || row.dataset.parentId === route.id,
    technicians: (row) => (route.kind === 'group' ? row.dataset.groupId === route.id
      : route.kind !== 'technician' || row.dataset.technicianId === route.id),
    channels: (row) => route.kind !== 'channel' || row.dataset.channelId === route.id,
    surveys: (row) => !['group', 'channel'].includes(route.kind) || row.dataset.scopeId === route.id,
  };
  for (const [table, rule] of Object.entries(keep)) {
    for (const row of $(table).querySelectorAll('tbody tr')) row.hidden = !rule(row);
  }
}

async function load() {
  const [groups, technicians, channels] = await Promise.all([
    api('admin/groups'), api('admin/technicians'), me.organisationWide ? api('admin/channels') : [],
  ]);
  data = { groups, technicians, channels };
}

try {
  me = await ready;
  if (me && me.role !== 'technician') {
    await load();
    drawTree();
    $('org-tree').hidden = false;
    $('object-header').hidden = false;
    show();
    window.addEventListener('hashchange', show);
    // Tables redrawn by the other scripts keep the object's filter.
    new MutationObserver(() => filterRows(currentRoute())).observe($('admin-main'), { childList: true, subtree: true });
    document.addEventListener('admin:changed', () => load().then(() => { drawTree(); show(); }).catch((error) => {
      $('admin-error').textContent = describeError(error);
      $('admin-error').hidden = false;
    }));
  }
} catch (error) {
  $('admin-error').textContent = describeError(error);
  $('admin-error').hidden = false;
}
