// The session list's context menu (right-click on a row): "Send customer survey" (D5) for the
// technician's own active session, with send_survey. The gateway decides whether a survey is on.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function mountSessionMenu({ isMine, canUse, onError }) {
  const menu = document.createElement('ul');
  menu.id = 'session-menu';
  menu.className = 'context-menu';
  menu.setAttribute('role', 'menu');
  menu.hidden = true;
  document.body.append(menu);
  let session = null;

  function item(id, label, enabled, action) {
    const entry = document.createElement('li');
    entry.setAttribute('role', 'none');
    const button = document.createElement('button');
    button.type = 'button';
    button.id = id;
    button.setAttribute('role', 'menuitem');
    button.textContent = label;
    button.disabled = !enabled;
    button.addEventListener('click', async () => {
      close();
      try {
        await action();
        onError(null);
      } catch (error) {
        onError(error);
      }
    });
    entry.append(button);
    return entry;
  }

  function close() {
    menu.hidden = true;
    session = null;
  }

  document.addEventListener('click', (event) => { if (!menu.contains(event.target)) close(); });
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });

  return {
    open(target, x, y) {
      session = target;
      const active = isMine(session) && ['active', 'collaboration'].includes(session.state) && canUse('send_survey');
      const id = session.id;
      menu.replaceChildren(item('menu-send-survey', t('menu.sendSurvey'), active,
        () => api(`sessions/${id}/survey`, { method: 'POST' })));
      menu.style.left = `${x}px`;
      menu.style.top = `${y}px`;
      menu.hidden = false;
      menu.querySelector('button:not(:disabled)')?.focus();
    },
  };
}
