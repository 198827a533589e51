// Pure rules of the console's queue: no DOM, no network. Tested alone (Tests/e2e/test_web_logic.py).

export const QUEUE_TABS = ['all', 'private', 'channel', 'active'];
export const MAX_ACTIVE = 10;
/** How long a session that just arrived in the queue is shown in blue. */
export const NEW_HIGHLIGHT_MS = 5000;

const REMOVED = new Set(['closed', 'closed_by_customer_waiting']);
const COUNTS_AS_ACTIVE = new Set(['active', 'collaboration', 'rebooting', 'reconnecting', 'offline']);

/** Whether a session in `state` is listed on queue tab `tab` (mirrors LifelineCore.QueueTab):
 * Private lists sessions a technician created, Channel those that came through a channel. */
export function inTab(tab, state, fromChannel = false) {
  if (REMOVED.has(state)) return false;
  if (tab === 'active') return COUNTS_AS_ACTIVE.has(state) || state === 'on_hold';
  if (tab === 'private') return !fromChannel;
  if (tab === 'channel') return fromChannel;
  return true;
}

/** Sessions shown as tabs above the chat: those the technician is working (C4). */
export function activeTabs(sessions) {
  return sessions.filter((s) => COUNTS_AS_ACTIVE.has(s.state) || s.state === 'on_hold').slice(0, MAX_ACTIVE);
}

/** A colleague's view that ended with the session (I1: the lead closed it, or the customer left):
 * the gateway keeps nothing of it for them, so it leaves their queue at once. */
export function colleagueViewEnded(session, myId) {
  const mine = session.technicianId === myId || (session.colleagues ?? []).some((c) => c.technicianId === myId);
  return !mine && session.technicianId != null && ['closed_by_customer', 'timed_out'].includes(session.state);
}

/** Applies a pushed session to the list: insert, replace, or drop when it left the queue. */
export function upsert(sessions, session) {
  const rest = sessions.filter((s) => s.id !== session.id);
  if (REMOVED.has(session.state)) return rest;
  return [...rest, session].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** "m:ss" under an hour, "h:mm:ss" above: time spent in the current state. */
export function formatDuration(milliseconds) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The Time column: time in the current state; a held session shows hold time / total time (C5). */
export function timeText(session, now) {
  const inState = formatDuration(now - Date.parse(session.stateSince));
  if (session.state !== 'on_hold') return inState;
  const held = formatDuration(now - Date.parse(session.heldSince ?? session.stateSince));
  return `${held} / ${formatDuration(now - Date.parse(session.createdAt))}`;
}

/** A waiting session nobody started within the organisation's delay is Urgent (C3). */
export function isUrgent(session, now, urgentAfterMs) {
  return session.state === 'waiting' && now - Date.parse(session.stateSince) >= urgentAfterMs;
}

/** CSS class for a row: connecting grey, newly arrived blue for a few seconds, urgent blinking orange. */
export function rowClass(session, now, urgentAfterMs = Infinity) {
  if (session.state === 'connecting') return 'state-connecting';
  if (isUrgent(session, now, urgentAfterMs)) return 'state-urgent';
  if (session.state === 'waiting' && now - Date.parse(session.stateSince) < NEW_HIGHLIGHT_MS) return 'state-new';
  return `state-${session.state.replaceAll('_', '-')}`;
}

/** The text "Copy details" puts on the clipboard: what a colleague or a ticket needs. */
/** The customer's account, computer and system, as `user@host (platform)`; "" before they join. */
export function customerComputer(session) {
  const customer = session.customer;
  return customer ? `${customer.user}@${customer.hostname} (${customer.platform})` : '';
}

export function sessionDetails(session, stateName) {
  const lines = [`${session.name} · ${session.id}`, stateName];
  if (session.customer) lines.push(customerComputer(session));
  lines.push(session.createdAt);
  return lines.join('\n');
}

/** Which toolbar buttons make sense for the selected session (the gateway decides for real). */
export function availableCommands(session) {
  if (!session) return { start: false, hold: false, end: false, transfer: false };
  const s = session.state;
  return {
    // A colleague's Start accepts an invitation, their End declines it or leaves the collaboration (I1).
    start: ['waiting', 'on_hold', 'incoming', 'outgoing', 'invitation'].includes(s),
    hold: s === 'active' || s === 'collaboration',
    end: ['connecting', 'waiting', 'active', 'incoming', 'reconnecting', 'offline', 'timed_out', 'closed_by_customer',
      'invitation', 'collaboration'].includes(s),
    // A colleague's Transfer passes their place on (I4).
    transfer: ['waiting', 'active', 'on_hold', 'collaboration'].includes(s),
  };
}

/** The "Transferred by" column: who handed it over, or who is handing it over now. */
export function transferredBy(session) {
  return session.transferredBy ?? (session.state === 'incoming' ? session.transfer?.fromName : '') ?? '';
}

/** Whether the chat input is open for this session. */
export function canChat(session) {
  return Boolean(session) && (session.state === 'active' || session.state === 'collaboration');
}

/** Fixed columns and custom field columns the technician hid, as the list names them. */
/** The customer's computer details: columns of the list only when the technician turns them on. */
export const CUSTOMER_DETAILS = ['computer', 'system', 'user', 'address'];

export function hiddenColumns(options) {
  const shown = options.shownDetails ?? [];
  return [...options.hiddenColumns, ...(options.hiddenFields ?? []).map((name) => `field:${name}`),
    ...CUSTOMER_DETAILS.filter((detail) => !shown.includes(detail))];
}
