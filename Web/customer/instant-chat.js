// Instant Chat (G2): the customer chats with the technician from the browser, nothing installed.
// It speaks the applet's protocol on /ws/applet as a "browser" client; the gateway keeps every
// applet-only tool away from it ("chat only") until the customer starts the applet.
import { splitLinks } from '../lib/chat-links.js';
import { reconnectingSocket } from '../lib/protocol.js';
import { customerLanguage, describeError, loadLanguage, mountCustomerLanguagePicker, t, translatePage } from '../lib/i18n.js';
import { appletSteps, element } from './instructions.js';
import { forgetInstantChat, loadInstantChat, saveInstantChat } from './instant-chat-session.js';
import { cameras, canShareScreen, canShowCamera, pickCamera, pickScreen, streamScreen } from './screen-share.js';
import { canSendDirect, offerDirectPath } from './screen-direct.js';

const $ = (id) => document.getElementById(id);
const SIZE_KEY = 'lifeline.chatTextSize';
const chat = loadInstantChat();
let technicianName = chat?.technicianName ?? '';
let socket = null;
/** Set once the chat ended here: nothing is kept for a reload after that. */
let over = false;

await loadLanguage(customerLanguage(), 'customer');
translatePage();

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

/** The screen shown to the technician from this page, while it is (issue 16), and its stream. */
let sharing = null;
let sharedStream = null;
/** Its direct path to the technician's browser, while one is tried or up. */
let direct = null;
/** What the gateway allows for the direct path of the screen asked for; null: through the gateway only. */
let webrtcSetup = null;

/** The technician asks to see the screen: the customer's click on "Share my screen" opens the
 * browser's picker; "Show my camera" shows what the camera sees instead (a phone has no screen to share). */
function askForScreen(message) {
  webrtcSetup = message.webrtc ?? null;
  const box = $('screen-request');
  $('screen-request-text').textContent = t('screen.asks', { technician: message.technicianName });
  const screen = canShareScreen();
  const camera = canShowCamera();
  $('screen-share').hidden = !screen;
  $('screen-explain').hidden = !screen;
  $('screen-camera').hidden = !camera;
  $('screen-camera-explain').hidden = !camera;
  box.hidden = false;
  $(screen ? 'screen-share' : 'screen-camera').focus();
}

function answerScreen(accepted) {
  $('screen-request').hidden = true;
  socket.send('remote_answer', { accepted });
}

/** `camera`: what the camera sees rather than the screen. */
async function shareScreen(camera = false) {
  $('screen-request').hidden = true;
  let stream;
  try {
    stream = await (camera ? pickCamera() : pickScreen());
  } catch {
    // The customer closed the browser's picker, or the browser refused: that is a no.
    add({ kind: 'note', key: 'screen.notShared' });
    socket.send('remote_answer', { accepted: false });
    return;
  }
  socket.send('remote_answer', { accepted: true });
  sharedStream = stream;
  pausedInBackground = false;
  const bar = $('screen-sharing');
  bar.dataset.updates = '0';
  bar.dataset.transport = 'frames';
  sharing = streamScreen(stream, {
    sendBinary: (bytes) => {
      // How many pictures went through the gateway, and which way they go now: for support staff and tests.
      bar.dataset.updates = String(Number(bar.dataset.updates) + 1);
      socket.sendBinary(bytes);
    },
    onEnded: () => stopSharing('screen.youStopped', true),
  });
  startDirect(stream, camera);
  showCamera(camera ? stream.getVideoTracks()[0] : null);
  const key = camera ? 'screen.cameraSharing' : 'screen.sharing';
  $('screen-sharing-text').textContent = t(key, { technician: technicianName });
  $('screen-sharing').hidden = false;
  add({ kind: 'note', key, params: { technician: technicianName } });
}

/** The page went to the background (a phone's other app, its screen off): the picture pauses —
 * nothing through the gateway, the direct path's track off — and the technician is told; it
 * resumes when the page comes back, and the customer reads that it was paused (Q4). */
let pausedInBackground = false;
document.addEventListener('visibilitychange', () => {
  if (!sharing) return;
  const hidden = document.visibilityState === 'hidden';
  if (hidden === pausedInBackground) return;
  pausedInBackground = hidden;
  if (hidden) sharing.pause();
  else if ($('screen-sharing').dataset.transport !== 'webrtc') sharing.resume();
  for (const track of sharedStream?.getVideoTracks() ?? []) track.enabled = !hidden;
  socket?.send('remote_notice', { notice: { t: 'paused', paused: hidden } });
  if (!hidden) add({ kind: 'note', key: 'screen.wasPaused' });
});

/** The camera's buttons: Switch camera when there are several (front and back, Q2), and its torch. */
async function showCamera(track) {
  const bar = $('screen-sharing');
  bar.dataset.camera = track?.label ?? '';
  showTorch(track);
  $('screen-switch').hidden = !track || (await cameras()).length < 2;
}

/** The next camera shows instead, on the same sharing; the torch follows the camera. */
async function switchCamera() {
  if (!sharing || !sharedStream) return;
  const list = await cameras();
  const shown = sharedStream.getVideoTracks()[0]?.getSettings().deviceId;
  const next = list[(list.findIndex((device) => device.deviceId === shown) + 1) % list.length];
  let stream;
  try {
    stream = await pickCamera(next.deviceId);
  } catch {
    // That camera is busy or was refused: the one shown stays.
    return;
  }
  if (!sharing) {
    for (const track of stream.getTracks()) track.stop();
    return;
  }
  const [track] = stream.getVideoTracks();
  sharedStream = stream;
  sharing.replaceStream(stream);
  // A new direct path for the new camera (an offer starts one, the console closes the last);
  // meanwhile the pictures go through the gateway, so the technician never loses sight.
  if (direct) {
    direct.close();
    direct = null;
    startDirect(stream, true);
  }
  await showCamera(track);
}

/** The camera's torch (Q4): offered when the camera has one (a phone's back camera), on and off by the customer. */
function showTorch(track) {
  const button = $('screen-torch');
  const lit = (on) => button.setAttribute('aria-pressed', String(on));
  lit(false);
  button.hidden = !track?.getCapabilities?.().torch;
  button.onclick = async () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    try {
      await track.applyConstraints({ advanced: [{ torch: on }] });
      lit(on);
    } catch {
      // The camera refused (another app holds the torch): it stays as it was.
      lit(!on);
    }
  };
}

/** Offers the direct path to the technician's browser when the gateway allows one: while it is up
 * the pictures go straight there and pause through the gateway. */
function startDirect(stream, camera) {
  if (!webrtcSetup || !canSendDirect()) return;
  const bar = $('screen-sharing');
  direct = offerDirectPath(stream, {
    camera,
    iceServers: webrtcSetup.iceServers,
    sendSignal: (signal) => socket.send('webrtc_signal', { signal }),
    onTransport: (transport) => {
      if (!sharing) return;
      if (transport === 'webrtc') sharing.pause();
      else sharing.resume();
      bar.dataset.transport = transport;
      socket.send('screen_transport', { transport });
    },
  });
}

/** Ends the sharing here; `tellGateway` when the customer ended it (not the technician). */
function stopSharing(key, tellGateway) {
  if (!sharing) return;
  const stopping = sharing;
  sharing = null;
  sharedStream = null;
  direct?.close();
  direct = null;
  stopping.stop();
  $('screen-sharing').hidden = true;
  if (tellGateway) socket?.send('remote_ended', { reason: 'The customer stopped sharing their screen.' });
  add({ kind: 'note', key });
}

/** The chat is over on this page: the session ended, or the applet took it over. */
function finish(key) {
  over = true;
  stopSharing('screen.ended', false);
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
      // Came to show the screen: what will happen, once.
      if (chat.screen && canShareScreen() && !chat.items.some((item) => item.key === 'screen.willAsk')) {
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
    case 'remote_request':
      // Only the view can be shown from a browser; the gateway refuses control before it gets here.
      if (message.mode === 'view' && (canShareScreen() || canShowCamera()) && !sharing) askForScreen(message);
      else socket.send('remote_answer', { accepted: false });
      break;
    case 'remote_stop':
      $('screen-request').hidden = true;
      stopSharing('screen.ended', false);
      break;
    case 'frame_ack':
      sharing?.acknowledged(message.sequence);
      break;
    case 'remote_settings':
      sharing?.setQuality(message.quality);
      direct?.setQuality(message.quality);
      break;
    case 'webrtc_signal':
      direct?.receive(message.signal);
      break;
    case 'screen_refresh':
      // A technician started watching, or one fell behind: the whole picture with the next update.
      sharing?.refresh();
      break;
    case 'remote_viewers':
      if (sharing) add({ kind: 'note', key: 'screen.viewers', params: { names: message.names.join(', ') } });
      break;
    case 'recording':
      add({ kind: 'note', key: message.active ? 'screen.recording' : 'screen.recordingStopped', params: { technician: message.technicianName } });
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
  $('screen-share').addEventListener('click', () => shareScreen(false));
  $('screen-camera').addEventListener('click', () => shareScreen(true));
  $('screen-switch').addEventListener('click', switchCamera);
  $('screen-not-now').addEventListener('click', () => answerScreen(false));
  $('screen-stop').addEventListener('click', () => stopSharing('screen.youStopped', true));
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
          ...(canShareScreen() || canShowCamera() ? { browserScreen: chat.screen ? 'chosen' : 'available' } : {}),
        },
      });
    },
    onMessage: receive,
    onStatus(connected) {
      // A lost connection ends the remote desktop on the gateway's side: the picture stops here too.
      if (!connected) stopSharing('screen.ended', false);
      $('instant-connection').textContent = connected ? '' : t('instant.reconnecting');
      if (connected !== wasConnected) add({ kind: 'connection', connected });
      wasConnected = connected;
    },
  });
}
