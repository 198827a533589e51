// Detach the customer's screen into a window of its own and dock it back (J5). The screen's
// element moves into the new window: its canvas, its input handlers and its state stay the same.
import { t } from '../lib/i18n.js';
import { labelIconButton } from '../lib/icons.js';

export function mountRemoteWindow(button, screen, { onResize }) {
  const home = document.createComment('remote screen');
  screen.before(home);
  let popup = null;

  function render() {
    labelIconButton(button, t(popup ? 'remote.dock' : 'remote.detach'));
    button.setAttribute('aria-pressed', String(Boolean(popup)));
  }

  function dock() {
    if (!popup) return;
    const closing = popup;
    popup = null;
    home.after(document.adoptNode(screen));
    if (!closing.closed) closing.close();
    render();
    onResize();
  }

  /** Opens the window; must run in a click (browsers block other pop-ups). */
  function open() {
    if (popup && !popup.closed) return popup;
    popup = window.open('', 'lifeline-remote-screen', 'popup,width=1100,height=760');
    if (!popup) return null;
    const doc = popup.document;
    doc.title = t('remote.windowTitle');
    for (const sheet of document.querySelectorAll('link[rel="stylesheet"]')) {
      const link = doc.createElement('link');
      link.rel = 'stylesheet';
      link.href = sheet.href;
      doc.head.append(link);
    }
    doc.body.className = 'remote-window';
    const bar = doc.createElement('div');
    bar.className = 'remote-window-bar';
    const dockButton = doc.createElement('button');
    dockButton.type = 'button';
    dockButton.id = 'remote-dock';
    dockButton.textContent = t('remote.dock');
    dockButton.addEventListener('click', dock);
    bar.append(dockButton);
    doc.body.append(bar);
    doc.body.append(doc.adoptNode(screen));
    // Closing the window docks the screen back, so it is never lost.
    const opened = popup;
    opened.addEventListener('pagehide', () => { if (popup === opened) dock(); });
    // The screen's size follows the window's (fit and stretch are worked out from it).
    opened.addEventListener('resize', onResize);
    render();
    onResize();
    return popup;
  }

  button.addEventListener('click', () => (popup ? dock() : open()));
  render();
  return { open, dock, render, get detached() { return Boolean(popup); } };
}
