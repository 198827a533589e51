// What the customer is told to run, for a PIN or a link (F1, G1).
import { t } from '../lib/i18n.js';

/** The commands that download and start the applet with the customer's PIN or link. */
export function appletCommand(origin, credentialFlag) {
  return [
    `curl -fsSLo lifeline-applet ${origin}/download/lifeline-applet`,
    'chmod +x lifeline-applet',
    `./lifeline-applet --gateway ${origin} ${credentialFlag} --remove-when-done`,
  ].join('\n');
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Who will help, the commands to run, the download link and what happens next. */
export function showInstructions(container, invitation, credentialFlag) {
  const download = element('a', 'download', t('ready.download'));
  download.href = '/download/lifeline-applet';
  download.setAttribute('download', '');
  const downloadLine = element('p');
  downloadLine.append(download);
  container.replaceChildren(
    element('p', 'who', invitation.technicianName
      ? t('ready.who', { technician: invitation.technicianName, organisation: invitation.organisation })
      : t('ready.who_channel', { organisation: invitation.organisation, channel: invitation.channel ?? '' })),
    element('p', '', t('ready.steps')),
    element('pre', 'command', appletCommand(location.origin, credentialFlag)),
    downloadLine,
    element('p', 'muted', t('ready.after')),
  );
  container.hidden = false;
}
