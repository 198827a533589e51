// What the customer is told to run, for a PIN or a link (F1, G1), and the other way in:
// chatting from this browser with nothing to install (Instant Chat, G2).
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { startInstantChat } from './instant-chat-session.js';

/** The commands that download and start the applet with the customer's PIN or link. */
export function appletCommand(origin, credentialFlag) {
  return [
    `curl -fsSLo lifeline-applet ${origin}/download/lifeline-applet`,
    'chmod +x lifeline-applet',
    `./lifeline-applet --gateway ${origin} ${credentialFlag} --remove-when-done`,
  ].join('\n');
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The download link, the commands to run and what happens next. */
export function appletSteps(credentialFlag) {
  const download = element('a', 'download', t('ready.download'));
  download.href = '/download/lifeline-applet';
  download.setAttribute('download', '');
  const downloadLine = element('p');
  downloadLine.append(download);
  return [
    element('p', '', t('ready.steps')),
    element('pre', 'command', appletCommand(location.origin, credentialFlag)),
    downloadLine,
    element('p', 'muted', t('ready.after')),
  ];
}

/**
 * Who will help and the two ways in: the applet, or Instant Chat in this browser. `join` is the
 * body of `customer/join` ({pin} or {link}), used only when the customer picks the chat.
 */
export function showInstructions(container, invitation, credentialFlag, join) {
  const chat = element('button', 'primary', t('instant.start'));
  chat.type = 'button';
  chat.id = 'start-instant-chat';
  const chatError = element('p', 'error');
  chatError.hidden = true;
  chat.addEventListener('click', async () => {
    chat.disabled = true;
    try {
      const joined = await api('customer/join', { method: 'POST', body: join });
      startInstantChat(joined);
    } catch (error) {
      chat.disabled = false;
      chatError.textContent = describeError(error);
      chatError.hidden = false;
    }
  });
  container.replaceChildren(
    element('p', 'who', invitation.technicianName
      ? t('ready.who', { technician: invitation.technicianName, organisation: invitation.organisation })
      : t('ready.who_channel', { organisation: invitation.organisation, channel: invitation.channel ?? '' })),
    ...appletSteps(credentialFlag),
    element('p', 'muted', t('instant.or')),
    chat,
    chatError,
  );
  container.hidden = false;
}
