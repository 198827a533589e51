// The Technician Console: wires the components to the gateway's API and live socket.
import { api } from '../lib/api.js';
import { describeError, loadLanguage, t, translatePage } from '../lib/i18n.js';
import { connectConsole } from '../lib/protocol.js';
import { applyTheme } from '../lib/theme.js';
import { availableCommands, hiddenColumns, inTab, upsert } from '../lib/session-logic.js';
import { mountSessionList } from '../components/session-list.js';
import { mountActiveTabs } from '../components/active-tabs.js';
import { mountChatPane } from '../components/chat-pane.js';
import { mountChatSwitcher } from '../components/chat-switcher.js';
import { mountNewSessionDialog } from '../components/new-session-dialog.js';
import { mountTransferDialog } from '../components/transfer-dialog.js';
import { mountInviteDialog } from '../components/invite-dialog.js';
import { mountColleagues } from '../components/colleagues.js';
import { mountComputersDialog } from '../components/computers-dialog.js';
import { mountOptionsDialog } from '../components/options-dialog.js';
import { mountRemoteDesktop } from '../components/remote-desktop.js';
import { mountHistory } from '../components/history-list.js';
import { mountFileTransfers } from '../components/file-transfers.js';
import { mountReplies } from '../components/replies.js';
import { mountDeviceHistory } from '../components/device-history.js';
import { mountChatOnly } from '../components/chat-only.js';
import { mountSessionMenu } from '../components/session-menu.js';
import { mountCallingCardDeploy } from '../components/calling-card-deploy.js';
import { mountToolbox } from '../components/toolbox.js';
import { mountMonitoring } from '../components/monitoring.js';
import { MONITORING_FRAME_PREFIX } from '../components/monitored-screen.js';
import { mountMonitorScreenRequest } from '../components/monitor-screen-request.js';
import { drawIcons } from '../lib/icons.js';
import { mountArrivalAlerts } from './arrival-alerts.js';
import { mountLogin } from './login.js';
import { mountMyStatus } from './my-status.js';
import { mountSessionTools } from './session-tools.js';
import { mountShortcuts } from './shortcuts.js';
import { startSessionTimers } from './session-timers.js';
import { toolboxTabs } from './toolbox-tabs.js';
import { mountWorkspaceLayout } from './workspace-layout.js';
import { oncePerFrame } from '../lib/once-per-frame.js';
import { sessionLogs } from './session-logs.js';
import { createReceiver } from './receive.js';
import { mountTechnicianScreen } from '../components/technician-screen.js';

const $ = (id) => document.getElementById(id);
/** Whether the signed-in technician's group allows `permission` (the gateway checks again). */
const canUse = (permission) => Boolean(state.me?.permissions.includes(permission));
const isMine = (session) => session.technicianId === state.me?.id;
/** Working in a colleague's session (issue 21): the lead's desktop is shown here too. */
const isColleague = (session) => (session.colleagues ?? []).some((c) => c.technicianId === state.me?.id && c.state === 'collaboration');

const logs = sessionLogs();
const state = {
  me: null,
  sessions: [],
  tab: 'all',
  selectedId: null,
  socket: null,
  options: { confirmEnd: true, confirmLogout: true, mutedSounds: [], hiddenColumns: [] },
  urgentIds: new Set(),
  urgentAfterMs: 120000,
  fieldNames: [], // the organisation's custom fields (C3)
  monitored: [], // other technicians' sessions, for administrators on the Monitored tab (C2)
};

const { alert, alertForChange, noteArrival } = mountArrivalAlerts({ mutedSounds: () => state.options.mutedSounds });

function showError(error) {
  const banner = $('console-error');
  if (!error) {
    banner.hidden = true;
    return;
  }
  banner.textContent = describeError(error);
  banner.hidden = false;
}

const myStatus = mountMyStatus({ socket: () => state.socket, onError: showError });
const sessionMenu = mountSessionMenu({ isMine, canUse, onError: showError });
const layout = mountWorkspaceLayout();
const list = mountSessionList($('session-list'), $('session-list-empty'), {
  // Monitored rows are someone else's sessions: shown, not opened.
  onSelect: (id) => (state.tab === 'monitored' ? undefined : select(id)),
  onContextMenu: (session, x, y) => sessionMenu.open(session, x, y),
  async onEditField(id, field, value) {
    try {
      const session = await api(`sessions/${id}`, { method: 'PATCH', body: { fields: { [field]: value } } });
      state.sessions = upsert(state.sessions, session);
      showError(null);
    } catch (error) {
      showError(error);
    }
    render();
  },
});
const tabs = mountActiveTabs($('active-tabs'), $('restore-tabs'), { onSelect: select });
const chatSwitcher = mountChatSwitcher($('chat-sessions'), { onSelect: select });
const chat = mountChatPane({
  none: $('chat-none'), title: $('chat-title'), invite: $('chat-invite'), copy: $('copy-details'), log: $('chat-log'), form: $('chat-form'), input: $('chat-input'), closed: $('chat-closed'), collapse: $('chat-collapse'), chatSwitch: $('chat-switch'),
}, {
  canUse,
  /** True once the gateway took the line; false keeps the text in the box. */
  async onSend(text) {
    try {
      await api(`sessions/${state.selectedId}/messages`, { method: 'POST', body: { text } });
      showError(null);
      return true;
    } catch (error) {
      showError(error);
      return false;
    }
  },
});
const remoteDesktop = mountRemoteDesktop($('panel-remote'), {
  send: (type, fields) => state.socket?.send(type, fields),
  onScreenShown: () => layout.remoteShown(),
  // F8 on the customer's screen gives the keyboard back to the console.
  onRelease: () => $('tool-remote').focus(),
  options: () => state.options,
  canUse,
  recordScreenshot: (id) => api(`sessions/${id}/screenshots`, { method: 'POST' }),
  giveControl: (id, technicianId) => api(`sessions/${id}/controller`, { method: 'PUT', body: { technicianId } }),
  me: () => state.me,
});

const replies = mountReplies($('chat-pane'), $('replies-dialog'), {
  input: $('chat-input'), currentSession: () => selected(), canUse, onError: showError,
});
const deviceHistory = mountDeviceHistory($('panel-notes'), { isMine });
const sessionTools = mountSessionTools({ send: (type, fields) => state.socket?.send(type, fields), onError: showError, canUse });
const fileTransfers = mountFileTransfers($('chat-pane'), { canUse });
const chatOnly = mountChatOnly($('chat-pane'), { onError: showError });
const callingCard = mountCallingCardDeploy($('panel-calling-card'), { canUse, onError: showError, onLoaded: () => render() });
const toolbox = mountToolbox({ tabList: $('toolbox-tabs'), none: $('toolbox-none'), unavailable: $('toolbox-unavailable') },
  toolboxTabs({ canUse, isMine, isColleague, callingCards: callingCard }));
const shortcuts = mountShortcuts($('shortcuts-dialog'), {
  focusChat: () => chat.focus(),
  openTool(id) {
    if (!selected()) return false;
    toolbox.select(id);
    return true;
  },
  moveTool: (step) => toolbox.move(step),
  selectActiveTab: (index) => tabs.selectIndex(index),
  focusRemote: () => remoteDesktop.focusScreen(),
});
mountHistory({ section: $('history'), toggle: $('toggle-history'), table: $('history-list'), empty: $('history-empty'), recordings: $('history-recordings') }, {
  onOpen(session, log) {
    logs.set(session.id, log);
    chat.show(session, log);
  },
  onError: showError,
});

const newSession = mountNewSessionDialog($('new-session-dialog'), {
  canEmail: () => canUse('connect_by_email'),
  canSms: () => canUse('connect_by_sms'),
  canLens: () => canUse('lens_sessions'),
  onCreated(session) {
    state.sessions = upsert(state.sessions, session);
    select(session.id);
  },
});

const transferDialog = mountTransferDialog($('transfer-dialog'), {
  me: () => state.me,
  onTransferred(session) {
    state.sessions = upsert(state.sessions, session);
    showError(null);
    render();
  },
});

const colleagues = mountColleagues({ dialog: $('invite-dialog'), pane: $('colleagues-pane') }, { me: () => state.me, canUse, onError: showError });
const inviteDialog = mountInviteDialog($('invite-dialog'), $('invite-technician'), {
  sessionId: () => state.selectedId, onError: showError,
  beforeOpen: () => colleagues.prepareDialog(selected()),
  canInviteExternal: () => canUse('invite_external_technicians'),
});
const technicianScreen = mountTechnicianScreen($('share-screen'), $('share-another-screen'), {
  me: () => state.me, canUse, isColleague: (session) => isColleague(session), onError: showError,
  sendBinary: (frame) => state.socket?.sendBinary(frame),
});
const monitorScreenRequest = mountMonitorScreenRequest($('monitor-screen-request'), {
  technicianScreen, send: (type, fields) => state.socket?.send(type, fields),
});
const computers = mountComputersDialog($('computers-dialog'), $('computers'), { canUse, onConnected: select, isAdministrator: () => state.me?.role !== 'technician' });
const optionsDialog = mountOptionsDialog($('options-dialog'), {
  fieldNames: () => state.fieldNames,
  email: () => state.me?.email ?? '',
  onSaved(options) {
    state.options = options;
    applyTheme(options.theme);
    list.showColumns(hiddenColumns(options));
    render();
  },
});

/** Whether a binary console frame's id (its first byte the id's length) starts with `prefix`. */
function frameNamed(buffer, prefix) {
  const bytes = new Uint8Array(buffer, 0, Math.min(buffer.byteLength, 1 + prefix.length));
  return bytes[0] >= prefix.length && new TextDecoder().decode(bytes.subarray(1)) === prefix;
}

function selected() {
  return state.sessions.find((s) => s.id === state.selectedId) ?? null;
}

/** The Monitored tab reads other technicians' sessions every few seconds while it is open. */
async function refreshMonitored() {
  if (state.tab !== 'monitored') return;
  try {
    state.monitored = await api('sessions?queue=monitored');
    render();
  } catch (error) {
    showError(error);
  }
}
setInterval(refreshMonitored, 3000);

function render() {
  const now = Date.now();
  const visible = state.tab === 'monitored'
    ? state.monitored
    : state.sessions.filter((s) => inTab(state.tab, s.state, Boolean(s.channelId)));
  $('session-list').dataset.tab = state.tab;
  list.render(visible, state.selectedId, now, state.urgentAfterMs);
  tabs.render(state.sessions, state.selectedId, now);
  chatSwitcher.render(state.sessions, state.selectedId);
  for (const button of document.querySelectorAll('.queue-tabs button')) {
    button.setAttribute('aria-selected', String(button.dataset.tab === state.tab));
  }
  const session = selected();
  const commands = availableCommands(session);
  $('start-session').disabled = !commands.start;
  $('hold-session').disabled = !commands.hold;
  $('end-session').disabled = !commands.end;
  $('transfer-session').disabled = !commands.transfer || !canUse('transfer_sessions');
  const mine = session && isMine(session) ? session : null;
  inviteDialog.enable(mine?.state === 'active' && (canUse('invite_external_technicians') || colleagues.canInvite(mine)));
  colleagues.show(session);
  technicianScreen.show(session);
  chat.show(session, session ? logs.of(session.id) ?? [] : []);
  remoteDesktop.show(mine ?? (session && isColleague(session) ? session : null));
  fileTransfers.show(mine);
  chatOnly.show(mine);
  callingCard.show(mine);
  replies.render();
  deviceHistory.show(session);
  toolbox.show(session);
  sessionTools.show(session);
  layout.waiting(state.sessions.filter((s) => ['waiting', 'incoming'].includes(s.state)).length);
}

async function select(id) {
  state.selectedId = id;
  render();
  try {
    if (await logs.load(id)) render();
  } catch (error) {
    showError(error);
    render();
  }
}

const monitoring = mountMonitoring({
  button: $('monitor-technician'), dialog: $('monitor-dialog'), tabs: $('monitoring-tabs'), view: $('monitoring-view'), notice: $('monitor-notice'),
}, {
  canUse, isAdministrator: () => Boolean(state.me) && state.me.role !== 'technician', onError: showError,
  send: (type, fields) => state.socket?.send(type, fields),
  onJoined: (session) => {
    state.sessions = upsert(state.sessions, session);
    select(session.id);
  },
});
const receive = createReceiver({
  state, logs, $, alerts: { alert, alertForChange, noteArrival }, chatSwitcher, remoteDesktop, sessionTools, fileTransfers, transferDialog,
  myStatus, monitoring, technicianScreen, monitorScreenRequest, showError, renderSoon: () => renderSoon(),
});

// One render for a frame's messages: a long copy brings several a file, each render rebuilds the queue.
const renderSoon = oncePerFrame(() => render());

async function command(name) {
  const session = selected();
  if (!session) return;
  // A colleague's End leaves or declines: the session goes on for the others, nothing to confirm.
  if (name === 'end' && isMine(session) && state.options.confirmEnd && !window.confirm(t('confirm.end', { name: session.name }))) return;
  try {
    const updated = await api(`sessions/${session.id}/${name}`, { method: 'POST' });
    state.sessions = upsert(state.sessions, updated);
    showError(null);
    render();
    if (name === 'start') chat.focus();
  } catch (error) {
    showError(error);
  }
}

async function enterConsole(me) {
  state.me = me;
  await loadLanguage(me.language);
  translatePage();
  drawIcons();
  layout.start();
  $('login-view').hidden = true;
  $('console-view').hidden = false;
  $('technician-name').textContent = me.name;
  // Spell check in the technician's language (B5): the browser's checker follows `lang`.
  for (const box of [$('chat-input'), document.getElementById('floating-chat-input')]) Object.assign(box, { lang: me.language, spellcheck: true });
  $('organisation-name').textContent = me.organisation;
  $('new-session').disabled = !me.permissions.includes('start_private_sessions');
  computers.enable();
  $('monitored-tab').hidden = me.role === 'technician';
  $('open-admin').hidden = me.role === 'technician';
  replies.load();
  sessionTools.load();
  monitoring.load();
  state.socket = connectConsole({
    onMessage: receive,
    onBinary: (buffer) => (frameNamed(buffer, MONITORING_FRAME_PREFIX) ? monitoring.screenFrame(buffer) : remoteDesktop.frame(buffer)),
    onStatus(connected) {
      const status = $('connection-status');
      status.textContent = t(connected ? 'header.connected' : 'header.disconnected');
      status.classList.toggle('offline', !connected);
    },
    onSignedOut: () => location.reload(),
  });
  myStatus.render();
  render();
  api('me/options').then((result) => {
    state.options = result.options;
    applyTheme(result.options.theme);
    state.urgentAfterMs = result.urgentAfterSeconds * 1000;
    state.fieldNames = result.customFieldNames;
    list.setFieldColumns(result.customFieldNames, me.permissions.includes('edit_custom_fields'));
    list.showColumns(hiddenColumns(result.options));
    render();
  }).catch(showError);
}

const login = mountLogin({ onSignedIn: (technician) => enterConsole(technician) });

$('logout').addEventListener('click', async () => {
  if (state.options.confirmLogout && !window.confirm(t('confirm.logout'))) return;
  state.socket?.stop();
  try {
    await api('auth/logout', { method: 'POST' });
  } finally {
    location.reload();
  }
});
$('new-session').addEventListener('click', () => newSession.open());
$('show-shortcuts').addEventListener('click', () => shortcuts.open());
$('toggle-history').addEventListener('click', () => layout.showQueue());
$('open-options').addEventListener('click', () => optionsDialog.open().catch(showError));
// Closing the tab with sessions in the queue asks first, when the technician wants that (B3).
window.addEventListener('beforeunload', (event) => {
  if (state.me && state.options.confirmLogout && state.sessions.length > 0) event.preventDefault();
});
$('start-session').addEventListener('click', () => command('start'));
$('hold-session').addEventListener('click', () => command('hold'));
$('end-session').addEventListener('click', () => command('end'));
$('transfer-session').addEventListener('click', () => {
  if (state.selectedId) transferDialog.open(state.selectedId, { collaborating: selected()?.state === 'collaboration' }).catch(showError);
});
for (const button of document.querySelectorAll('.queue-tabs button')) {
  button.addEventListener('click', () => {
    state.tab = button.dataset.tab;
    render();
    refreshMonitored();
  });
}
startSessionTimers({
  sessions: () => state.sessions, urgentAfterMs: () => state.urgentAfterMs, urgentIds: state.urgentIds,
  onUrgent: () => alert('session_urgent'), onTick: (now) => tabs.render(state.sessions, state.selectedId, now),
});

try {
  await enterConsole(await api('me'));
} catch {
  await login.show();
}
