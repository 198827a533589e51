// An external technician's console (I2): joins from the inviter's link (in the inviter's
// language) or with a PIN (in the language picked on this page), then the session's chat until
// they leave, are removed or the session ends. A reload reconnects to the same collaboration.
// The full console (approved list) also shows the customer's screen while the lead's remote
// desktop runs: it only watches, each update acknowledged once drawn.
import { api } from '../lib/api.js';
import { browserLanguage, describeError, LANGUAGE_NAMES, languagesOf, loadLanguage, t, translatePage } from '../lib/i18n.js';
import { logLineText } from '../lib/log-lines.js';
import { reconnectingSocket } from '../lib/protocol.js';
import { decodeConsoleFrameOrDrop } from '../lib/screen-frames.js';
import { screenView } from '../lib/screen-view.js';
import { cursorURL, placePointer } from '../lib/screen-pointer.js';

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = 'lifeline.collaborator';
const linkToken = location.pathname.split('/collaborate/')[1] || null;
let socket = null;
let credential = null;
/** The customer's screen: shown while the lead's remote desktop runs; updates drawn in turn. */
const screen = { active: false, drawing: Promise.resolve(), shape: null, view: screenView($('collab-canvas')) };

function fail(error) {
  $('collab-error').textContent = error ? describeError(error) : '';
  $('collab-error').hidden = !error;
}

function show(section) {
  for (const id of ['collab-pin', 'collab-invitation', 'collab-console']) $(id).hidden = id !== section;
}

async function useLanguage(language) {
  await loadLanguage(language, 'console');
  translatePage();
}

function time(iso) {
  return new Date(iso).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
}

function addToLog(entry) {
  const item = document.createElement('li');
  if (entry.kind === 'status') {
    item.className = 'status';
    item.textContent = `[${time(entry.at)}] ${entry.state ? t(`state.${entry.state}`) : logLineText(entry)}`;
  } else {
    item.textContent = `[${time(entry.at)}] ${entry.author}: ${entry.text}`;
  }
  $('collab-log').append(item);
  item.scrollIntoView({ block: 'nearest' });
}

function showScreen(active) {
  screen.active = active;
  if (!active) {
    screen.view.reset();
    $('collab-screen').hidden = true;
    $('collab-pointer').hidden = true;
    screen.view.clear();
  }
}

/** A binary frame of the customer's screen: the pointer, or an update drawn then acknowledged. */
function screenFrame(buffer) {
  const decoded = decodeConsoleFrameOrDrop(buffer);
  if (!decoded || !screen.active) return;
  const canvas = $('collab-canvas');
  const pointer = $('collab-pointer');
  if (decoded.cursor) {
    if (decoded.cursor.shape) {
      screen.shape = decoded.cursor.shape;
      pointer.src = cursorURL(screen.shape);
    }
    if (!screen.shape || screen.view.width === 0) return;
    pointer.hidden = false;
    placePointer(pointer, canvas, screen.shape, decoded.cursor);
    return;
  }
  const { update } = decoded;
  const painted = screen.view.paint(update);
  screen.drawing = screen.drawing.then(() => painted).then(({ fields }) => {
    if (screen.active) $('collab-screen').hidden = false;
    socket?.send('frame_ack', { sequence: update.sequence, ...fields });
  }).catch((error) => console.warn('A picture of the customer\'s screen could not be drawn:', error));
}

function end(reason) {
  sessionStorage.removeItem(STORAGE_KEY);
  showScreen(false);
  socket?.stop();
  const key = { removed: 'collab.removed', left: 'collab.left' }[reason] ?? 'collab.sessionEnded';
  $('collab-ended').textContent = t(key);
  $('collab-ended').hidden = false;
  $('collab-console').hidden = true;
}

function receive(message) {
  switch (message.type) {
    case 'welcome': {
      const welcome = message.welcome;
      $('collab-session').textContent = t('collab.session', { name: welcome.sessionName, organisation: welcome.organisation });
      $('collab-state').textContent = t(`state.${welcome.state}`);
      $('collab-log').replaceChildren();
      welcome.log.forEach(addToLog);
      // A reconnection: the screen comes back with a `remote` message if it still runs.
      showScreen(false);
      show('collab-console');
      break;
    }
    case 'log': addToLog(message.entry); break;
    case 'state': $('collab-state').textContent = t(`state.${message.state}`); break;
    case 'ended': end(message.reason); break;
    case 'remote': showScreen(message.remote.phase === 'active'); break;
    case 'error':
      fail({ code: message.code, message: message.message });
      if (message.code === 'unknown_collaborator_token') end('session ended');
      break;
    default: break;
  }
}

function openConsole(joined) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(joined));
  socket = reconnectingSocket('/ws/collaborator', {
    onOpen(send) { send('hello', { token: joined.token }); },
    onMessage: receive,
    onBinary: screenFrame,
  });
}

/** Shows who invites (the page is already in the right language). */
function showInvitation(invitation) {
  $('collab-who').textContent = t('collab.invitedBy', {
    inviter: invitation.inviterName, organisation: invitation.organisation, session: invitation.sessionName,
  });
  $('collab-limited').hidden = !invitation.limited;
  $('collab-full').hidden = invitation.limited;
  $('collab-name').value = invitation.name;
  show('collab-invitation');
}

$('collab-join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const joined = await api('collaborators/join', { method: 'POST', body: { ...credential, name: $('collab-name').value } });
    fail(null);
    openConsole({ ...joined, language: document.documentElement.lang });
  } catch (error) {
    fail(error);
  }
});

$('collab-pin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const pin = $('collab-pin-input').value.trim();
    const invitation = await api('collaborators/pin-check', { method: 'POST', body: { pin } });
    credential = { pin };
    fail(null);
    showInvitation(invitation);
  } catch (error) {
    fail(error);
  }
});

$('collab-chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('collab-chat-input').value.trim();
  if (!text || !socket) return;
  socket.send('chat', { text });
  $('collab-chat-input').value = '';
});

$('collab-leave').addEventListener('click', () => socket?.send('leave', {}));

const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
try {
  if (saved) {
    await useLanguage(saved.language);
    openConsole(saved);
  } else if (linkToken) {
    // By link: the inviter's language (A3).
    credential = { link: linkToken };
    const invitation = await api(`collaborators/invitations/${encodeURIComponent(linkToken)}`);
    await useLanguage(invitation.language);
    showInvitation(invitation);
  } else {
    // By PIN: the external technician picks the language here (A3).
    const picker = $('collab-language');
    picker.replaceChildren(...languagesOf('console').map((code) => new Option(LANGUAGE_NAMES[code] ?? code, code)));
    picker.value = browserLanguage('console');
    picker.addEventListener('change', () => useLanguage(picker.value));
    await useLanguage(picker.value);
    show('collab-pin');
  }
} catch (error) {
  await useLanguage(browserLanguage('console'));
  fail(error);
}
