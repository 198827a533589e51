// What the customer is told to run, for a PIN or a link (F1, G1), and the other way in:
// chatting from this browser with nothing to install (Instant Chat, G2).
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { startInstantChat } from './instant-chat-session.js';
import { canShareScreen, canShowCamera } from './screen-share.js';

/**
 * The commands that download, check (when the SHA-256 is known) and start the applet with the
 * customer's PIN or link.
 */
export function appletCommand(origin, credentialFlag, sha256 = null) {
  return [
    `curl -fsSL --compressed -o lifeline-applet ${origin}/download/lifeline-applet`,
    ...(sha256 ? [`echo "${sha256}  lifeline-applet" | sha256sum -c`] : []),
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

/**
 * The one-click launcher first (issue 16), then the commands to run in a terminal, the download
 * with its SHA-256 and size, and what happens next. `join` is {pin} or {link}.
 */
export function appletSteps(credentialFlag, join) {
  const launcher = element('a', 'button primary', t('ready.launcher'));
  launcher.id = 'start-launcher';
  launcher.href = `/download/lifeline-support.desktop?${new URLSearchParams(join)}`;
  launcher.setAttribute('download', 'lifeline-support.desktop');
  const launcherLine = element('p', 'launcher');
  launcherLine.append(launcher);
  const command = element('pre', 'command', appletCommand(location.origin, credentialFlag));
  const download = element('a', 'download', t('ready.download'));
  download.href = '/download/lifeline-applet';
  download.setAttribute('download', '');
  const downloadLine = element('p');
  downloadLine.append(download);
  const checksum = element('p', 'muted checksum');
  checksum.id = 'applet-checksum';
  checksum.hidden = true;
  // The SHA-256 the command checks and the customer can compare (the launcher checks it too).
  api('customer/applet').then((applet) => {
    command.textContent = appletCommand(location.origin, credentialFlag, applet.sha256);
    checksum.textContent = t('ready.checksum', { size: (applet.size / 1e6).toFixed(1), sha256: applet.sha256 });
    checksum.hidden = false;
  }).catch(() => { /* no applet on this gateway: the download answers so */ });
  return [
    launcherLine,
    element('p', 'muted', t('ready.launcher_help')),
    element('p', '', t('ready.steps')),
    command,
    downloadLine,
    checksum,
    element('p', 'muted', t('ready.after')),
  ];
}

/**
 * Who will help and the two ways in: the applet, or Instant Chat in this browser. `join` is the
 * body of `customer/join` ({pin} or {link}), used only when the customer picks the chat.
 */
export function showInstructions(container, invitation, credentialFlag, join) {
  const chatError = element('p', 'error');
  chatError.hidden = true;
  // The organisation's terms (R4): joining in this browser waits for the customer's explicit yes,
  // as the applet does; the gateway records that they were accepted.
  const terms = invitation.terms ? termsBox(invitation) : null;
  const joinButtons = [];
  /** A button that joins in this browser: Instant Chat, with `screen` ready to show the screen, with `lens` its camera (Q1). */
  const joinButton = (id, key, screen, lens = false) => {
    const button = element('button', 'primary', t(key));
    button.type = 'button';
    button.id = id;
    button.disabled = Boolean(terms);
    joinButtons.push(button);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const joined = await api('customer/join', { method: 'POST', body: terms ? { ...join, acceptedTerms: true } : join });
        startInstantChat({ ...joined, screen, ...(lens ? { lens } : {}) });
      } catch (error) {
        button.disabled = false;
        chatError.textContent = describeError(error);
        chatError.hidden = false;
      }
    });
    return button;
  };
  const who = element('p', 'who', invitation.technicianName
    ? t('ready.who', { technician: invitation.technicianName, organisation: invitation.organisation })
    : t('ready.who_channel', { organisation: invitation.organisation, channel: invitation.channel ?? '' }));
  if (invitation.type === 'lens') {
    // A Lens session (Q1): the phone's camera and microphone in this browser, nothing else to choose.
    container.replaceChildren(
      element('p', 'who', t('lens.intro', { technician: invitation.technicianName, organisation: invitation.organisation })),
      ...(terms ? [terms.box] : []),
      joinButton('start-lens', 'lens.continue', true, true),
      chatError,
    );
  } else {
    const chat = joinButton('start-instant-chat', 'instant.start', false);
    // Windows, macOS, ChromeOS, or Linux without the app: the screen from the browser, view only;
    // a phone or tablet (no screen to share from a browser): its camera, pointed at the device (issue 22).
    const screen = canShareScreen()
      ? [element('p', 'muted', t('screen.or')), joinButton('start-browser-screen', 'screen.start', true)]
      : canShowCamera() ? [element('p', 'muted', t('screen.cameraOr')), joinButton('start-browser-camera', 'screen.cameraStart', true)] : [];
    // The device the technician picked (P1): a Linux computer gets the app first, any other device
    // only what it can do in the browser.
    const appletWays = invitation.platform === 'computer' || invitation.platform === 'mobile' ? [] : [...appletSteps(credentialFlag, join), element('p', 'muted', t('instant.or'))];
    container.replaceChildren(who, ...appletWays, ...(terms ? [terms.box] : []), chat, ...screen, chatError);
  }
  terms?.accept.addEventListener('change', () => {
    for (const button of joinButtons) button.disabled = !terms.accept.checked;
  });
  container.hidden = false;
}

/** The terms as written, and the box the customer ticks to accept them. */
function termsBox(invitation) {
  const box = element('section', 'terms');
  box.id = 'browser-terms';
  const text = element('p', 'terms-text', invitation.terms);
  text.style.whiteSpace = 'pre-wrap';
  const label = element('label', 'inline');
  const accept = document.createElement('input');
  accept.type = 'checkbox';
  accept.id = 'terms-accept';
  label.append(accept, document.createTextNode(` ${t('terms.accept')}`));
  box.append(element('p', 'who', t('terms.heading', { organisation: invitation.organisation })), text, label);
  return { box, accept };
}
