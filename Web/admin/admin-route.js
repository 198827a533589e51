// Where the Admin Center is (issue 15, item 7): an object of the organisation tree and one of its
// tabs, kept in the address (#/group/ID/permissions), so every view can be bookmarked, shared
// and reached with Back. Pure parsing here; admin-navigation.js draws it.

/** The tabs each kind of object has, in order; the first is where a link without a tab lands. */
export const TABS = {
  organisation: ['organisation', 'settings', 'channels', 'calling-cards', 'surveys', 'reports', 'audit'],
  group: ['organisation', 'permissions', 'scripts', 'surveys', 'reports'],
  technician: ['organisation', 'reports'],
  channel: ['channels', 'surveys'],
};

/** Tabs that concern the whole organisation: an administrator of some groups does not see them. */
export const ORGANISATION_WIDE_TABS = new Set(['settings', 'channels', 'calling-cards', 'surveys', 'audit']);

/** The route in `hash` ("#/kind/id/tab", "#/organisation/tab"); unknown or partial ones fall back. */
export function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [kind, ...rest] = parts;
  if (kind === 'group' || kind === 'technician' || kind === 'channel') {
    const [id, tab] = rest;
    if (id) return { kind, id, tab: TABS[kind].includes(tab) ? tab : TABS[kind][0] };
  }
  const tab = kind === 'organisation' && TABS.organisation.includes(rest[0]) ? rest[0] : 'organisation';
  return { kind: 'organisation', id: null, tab };
}

/** The address of a route. */
export function routeHash({ kind, id, tab }) {
  return kind === 'organisation' ? `#/organisation/${tab}` : `#/${kind}/${encodeURIComponent(id)}/${tab}`;
}

/** The tabs an administrator sees for an object. */
export function visibleTabs(kind, organisationWide) {
  return TABS[kind].filter((tab) => organisationWide || !ORGANISATION_WIDE_TABS.has(tab));
}

/** The route of the page now. */
export const currentRoute = () => parseRoute(location.hash);

/**
 * Calls `apply(route)` each time the Admin Center shows another view; the function returned
 * applies the latest route again (after a script loaded its data, which may come after the route).
 */
export function followRoute(apply) {
  let latest = null;
  document.addEventListener('admin:route', (event) => {
    latest = event.detail;
    apply(latest);
  });
  return () => {
    if (latest) apply(latest);
  };
}

/** Tells the tree that groups, technicians or channels changed (it reads them again). */
export function announceChange() {
  document.dispatchEvent(new CustomEvent('admin:changed'));
}

/** Opens an object's view (its Edit buttons lead there, so the address says what is edited). */
export function openObject(kind, id, tab = TABS[kind][0]) {
  location.hash = routeHash({ kind, id, tab });
}
