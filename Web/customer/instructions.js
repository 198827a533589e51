// What the customer is told to run, for a PIN or a link (F1, G1).
import { t, translatePage } from '../lib/i18n.js';

/** The commands that download and start the applet with the customer's PIN or link. */
export function appletCommand(origin, credentialFlag) {
  return [
    `curl -fsSLo lifeline-applet ${origin}/download/lifeline-applet`,
    'chmod +x lifeline-applet',
    `./lifeline-applet --gateway ${origin} ${credentialFlag}`,
  ].join('\n');
}

export function showInstructions(container, invitation, credentialFlag) {
  const template = document.getElementById('instructions-template');
  const content = template.content.cloneNode(true);
  translatePage(content);
  content.querySelector('.who').textContent = t('ready.who', {
    technician: invitation.technicianName, organisation: invitation.organisation,
  });
  content.querySelector('.command').textContent = appletCommand(location.origin, credentialFlag);
  container.replaceChildren(content);
  container.hidden = false;
}
