// Instant Chat (G2): the customer chats with the technician from the browser, nothing installed.
// It speaks the applet's protocol on /ws/applet as a "browser" client; the gateway keeps every
// applet-only tool away from it ("chat only") until the customer starts the applet.
import { splitLinks } from '../lib/chat-links.js';
import { reconnectingSocket } from '../lib/protocol.js';
import { customerLanguage, describeError, loadLanguage, mountCustomerLanguagePicker, t, translatePage } from '../lib/i18n.js';
import { appletSteps, element } from './instructions.js';
import { forgetInstantChat, loadInstantChat, saveInstantChat } from './instant-chat-session.js';
import { mountScreenSharing } from './chat-screen.js';
import { mountLensCamera } from './lens-camera.js';
import { mountSendFile } from './send-file.js';
import { canShareScreen, canShowCamera } from './screen-share.js';

const $ = (id) => document.getElementById(id);
const SIZE_KEY = 'lifeline.chatTextSize';
const chat = loadInstantChat();
let technicianName = chat?.technicianName ?? '';
let socket = null;
/** Set once the chat ended here: nothing is kept for a reload after that. */
let over = false;
const note = (key, params) => add({ kind: 'note', key, ...(params ? { params } : {}) });
/** A Lens session (Q1): the phone's camera and microphone, allowed on this page. */
const lens = chat?.lens ? mountLensCamera({
  note,
  onReady: () => screenSharing.lensReady(),
  onMuted: (muted) => socket?.send('remote_notice', { notice: { t: 'muted', muted } }),
}) : null;
/** A file or photo the customer sends the technician. */
const sendFile = mountSendFile({ token: () => chat.appletToken, note });
/** What the customer shows the technician (their screen, or a phone's camera). */
const screenSharing = mountScreenSharing({
  send: (type, fields) => socket?.send(type, fields),
  sendBinary: (bytes) => socket?.sendBinary(bytes),
  note,
  technicianName: () => technicianName,
  lens,
});

await loadLanguage(customerLanguage(), 'customer');
translatePage();
lens?.show();

function timeOf(iso) {
  return new Date(iso).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
}

/** What a state change means to the customer, in their language. */
function statusText(state) {
  const name = technicianName || t('instant.aTechnician');
  return t(`instant.state.${state}`, { technician: name });
}

/** A link the customer opens in a new tab, never with this page as its opener. */
function linkTo(url, text) {
  const link = element('a', '', text);
  link.href = url;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

/** One log line; every text from the network goes in as text, never as markup. */
function renderItem(item) {
  const line = element('li');
  line.append(element('time', '', timeOf(item.at)));
  switch (item.kind) {
    case 'chat':
      line.className = `chat from-${item.authorRole}`;
      line.append(element('span', 'author', `${item.author}:`), ' ',
        ...splitLinks(item.text).map((piece) => (piece.url ? linkTo(piece.url, piece.url) : document.createTextNode(piece.text))));
      break;
    case 'status':
      line.className = 'status detail';
      line.append(statusText(item.state));
      break;
    case 'waiting':
      // Shown even without the detailed log: the first thing the customer reads.
      line.className = 'status waiting';
      line.append(statusText('waiting'));
      break;
    case 'connection':
      line.className = 'status detail';
      line.append(t(item.connected ? 'instant.connected' : 'instant.interrupted'));
      break;
    case 'link':
      line.className = 'link-line';
      line.append(t('instant.linkSent', { technician: item.technician }), ' ', linkTo(item.url, item.url));
      break;
    case 'survey':
      line.className = 'link-line survey';
      line.append(t('instant.survey', { technician: item.technician }), ' ', linkTo(item.url, t('instant.openSurvey')));
      break;
    case 'invitation':
      line.className = 'status';
      line.append(t('instant.invited', { technician: item.technician }));
      break;
    case 'note':
      line.className = 'status';
      line.append(t(item.key, item.params ?? {}));
      break;
    default:
      return null;
  }
  return line;
}

function renderLog() {
  const log = $('instant-log');
  log.replaceChildren(...chat.items.map(renderItem).filter(Boolean));
  log.scrollTop = log.scrollHeight;
}

function add(item) {
  chat.items.push({ at: new Date().toISOString(), ...item });
  if (!over) saveInstantChat(chat);
  renderLog();
}

/** The technician's invitation to download the applet: the link joins it to this session. */
function showInvitation(linkToken) {
  const box = $('instant-invitation');
  const later = element('button', '', t('instant.notNow'));
  later.type = 'button';
  later.addEventListener('click', () => {
    box.hidden = true;
    socket.send('applet_declined', {});
  });
  box.replaceChildren(
    element('p', 'who', t('instant.invitedLong', { technician: technicianName })),
    ...appletSteps(`--link ${location.origin}/c/${linkToken}`, { link: linkToken }),
    later,
  );
  box.hidden = false;
}

/** The chat is over on this page: the session ended, or the applet took it over. */
function finish(key) {
  over = true;
  sendFile.stop();
  $('send-file').disabled = true;
  screenSharing.stop('screen.ended', false);
  $('screen-request').hidden = true;
  socket?.stop();
  forgetInstantChat();
  $('instant-form').hidden = true;
  $('end-chat').disabled = true;
  $('instant-invitation').hidden = true;
  $('instant-ended').textContent = t(key);
  $('instant-ended').hidden = false;
}

function receive(message) {
  if (screenSharing.message(message)) return;
  switch (message.type) {
    case 'welcome':
      // The gateway follows with chat_switched when the chat is off.
      setChatEnabled(true);
      technicianName = message.technicianName;
      chat.technicianName = technicianName;
      chat.organisation = message.organisation;
      if (!over) saveInstantChat(chat);
      renderHeader();
      // From the first moment the customer reads that someone is coming (the gateway logs the
      // state only when it changes, and a fresh chat has none yet).
      if (!chat.items.some((item) => item.kind === 'waiting') && ['connecting', 'waiting'].includes(message.state)) {
        add({ kind: 'waiting' });
      }
      // Came to show the screen: what will happen, once (a Lens customer reads it on the camera's panel).
      if (chat.screen && !chat.lens && canShareScreen() && !chat.items.some((item) => item.key === 'screen.willAsk')) {
        add({ kind: 'note', key: 'screen.willAsk' });
      }
      break;
    case 'chat':
      if (!chat.items.some((item) => item.id === message.entry.id)) add({ ...message.entry, kind: 'chat' });
      break;
    case 'status':
      if (message.entry.state) add({ at: message.entry.at, kind: 'status', state: message.entry.state });
      break;
    case 'technician_changed':
      technicianName = message.name;
      chat.technicianName = technicianName;
      renderHeader();
      add({ kind: 'note', key: 'instant.technicianChanged', params: { technician: message.name } });
      break;
    case 'open_url':
      add({ kind: 'link', url: safeLink(message.url), technician: message.technicianName });
      break;
    case 'survey':
      add({ kind: 'survey', url: safeLink(message.url), technician: message.technicianName });
      break;
    case 'applet_invitation':
      add({ kind: 'invitation', technician: message.technicianName });
      showInvitation(message.linkToken);
      break;
    case 'collaborator':
      add({ kind: 'note', key: message.joined ? 'instant.collaboratorJoined' : 'instant.collaboratorLeft', params: { name: message.name } });
      break;
    case 'chat_switched':
      if (message.enabled === chatEnabled) break;
      setChatEnabled(message.enabled);
      add({ kind: 'note', key: message.enabled ? 'instant.chatOn' : 'instant.chatOff' });
      break;
    case 'recording':
      // A Lens call's recording has the camera's picture and both voices: the customer is told so.
      add({ kind: 'note', key: chat.lens ? (message.active ? 'lens.recording' : 'lens.recordingStopped')
        : message.active ? 'screen.recording' : 'screen.recordingStopped',
        params: { technician: message.technicianName } });
      break;
    case 'moved_to_applet':
      finish('instant.movedToApplet');
      break;
    case 'ended':
      finish('instant.ended');
      break;
    case 'error':
      if (message.code === 'unknown_applet_token') finish('instant.over');
      else add({ kind: 'note', key: 'instant.error', params: { message: describeError(message) } });
      break;
    default:
      break; // applet-only messages never reach a browser; anything else is ignored
  }
}

/** The technician's per-session chat switch (D1): the input waits while it is off. */
let chatEnabled = true;
function setChatEnabled(enabled) {
  chatEnabled = enabled;
  $('instant-input').disabled = !enabled;
  $('instant-form').querySelector('button').disabled = !enabled;
}

/** The gateway only sends http(s) and ftp links; anything else is shown, not made clickable. */
function safeLink(url) {
  try {
    return ['http:', 'https:', 'ftp:'].includes(new URL(url).protocol) ? url : 'about:blank';
  } catch {
    return 'about:blank';
  }
}

function renderHeader() {
  $('instant-who').textContent = technicianName
    ? t('instant.who', { technician: technicianName, organisation: chat.organisation ?? '' })
    : t('instant.connecting');
}

function setTextSize(rem) {
  const size = Math.min(2, Math.max(0.75, rem));
  $('instant-chat').style.setProperty('--chat-size', `${size}rem`);
  localStorage.setItem(SIZE_KEY, String(size));
}

function setUpControls() {
  mountCustomerLanguagePicker($('instant-language'), () => {
    renderHeader();
    renderLog();
  });
  setTextSize(Number(localStorage.getItem(SIZE_KEY) ?? 1));
  const size = () => Number(localStorage.getItem(SIZE_KEY) ?? 1);
  $('text-smaller').addEventListener('click', () => setTextSize(size() - 0.125));
  $('text-larger').addEventListener('click', () => setTextSize(size() + 0.125));
  $('instant-details').addEventListener('change', (event) => {
    $('instant-log').classList.toggle('detailed', event.target.checked);
  });
  $('instant-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('instant-input');
    const text = input.value.trim();
    if (!text) return;
    socket.send('chat', { text });
    input.value = '';
  });
  $('end-chat').addEventListener('click', () => {
    if (!window.confirm(t('instant.confirmEnd'))) return;
    socket.send('quit', {});
  });
}

setUpControls();
if (!chat) {
  finish('instant.noSession');
} else {
  renderHeader();
  renderLog();
  let wasConnected = false;
  socket = reconnectingSocket('/ws/applet', {
    onOpen(send) {
      send('hello', {
        token: chat.appletToken,
        appletVersion: 'instant-chat',
        customer: {
          hostname: '', user: '', platform: `Browser (${navigator.platform || 'unknown'})`.slice(0, 128), client: 'browser',
          // Whether the technician may ask to see the screen, and whether the customer came for that.
          // A phone's camera will do (issue 22): the technician may ask to see what it shows.
          ...(chat.lens || canShareScreen() || canShowCamera() ? { browserScreen: chat.screen ? 'chosen' : 'available' } : {}),
        },
      });
    },
    onMessage: receive,
    onStatus(connected) {
      // A lost connection ends the remote desktop on the gateway's side: the picture stops here too.
      if (!connected) screenSharing.stop('screen.ended', false);
      $('instant-connection').textContent = connected ? '' : t('instant.reconnecting');
      if (connected !== wasConnected) add({ kind: 'connection', connected });
      wasConnected = connected;
    },
  });
}
