// An external technician's console (I2): joins from the inviter's link (in the inviter's
// language) or with a PIN (in the language picked on this page), then the session's chat until
// they leave, are removed or the session ends. A reload reconnects to the same collaboration.
import { api } from '../lib/api.js';
import { browserLanguage, describeError, LANGUAGE_NAMES, languagesOf, loadLanguage, t, translatePage } from '../lib/i18n.js';
import { logLineText } from '../lib/log-lines.js';
import { reconnectingSocket } from '../lib/protocol.js';

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = 'lifeline.collaborator';
const linkToken = location.pathname.split('/collaborate/')[1] || null;
let socket = null;
let credential = null;

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

function end(reason) {
  sessionStorage.removeItem(STORAGE_KEY);
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
      show('collab-console');
      break;
    }
    case 'log': addToLog(message.entry); break;
    case 'state': $('collab-state').textContent = t(`state.${message.state}`); break;
    case 'ended': end(message.reason); break;
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
  });
}

/** Shows who invites (the page is already in the right language). */
function showInvitation(invitation) {
  $('collab-who').textContent = t('collab.invitedBy', {
    inviter: invitation.inviterName, organisation: invitation.organisation, session: invitation.sessionName,
  });
  $('collab-limited').hidden = !invitation.limited;
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
