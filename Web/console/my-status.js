// The technician's own status (A6): the badge in the header, the Away / Online toggle, and the
// activity the console reports (at most every 30 s) so the gateway does not set them Away.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function mountMyStatus({ socket, onError }) {
  const badge = document.getElementById('my-status');
  const toggle = document.getElementById('toggle-away');
  let status = 'online';
  let lastActivitySent = 0;

  function render() {
    badge.dataset.status = status;
    badge.textContent = t(`presence.${status}`);
    toggle.textContent = t(status === 'away' ? 'presence.setOnline' : 'presence.setAway');
  }

  function noteActivity() {
    const now = Date.now();
    if (now - lastActivitySent < 30000 || !socket()) return;
    lastActivitySent = now;
    socket().send('activity', {});
  }

  toggle.addEventListener('click', async () => {
    try {
      const result = await api('me/status', { method: 'PUT', body: { away: status !== 'away' } });
      status = result.status;
      render();
    } catch (error) {
      onError(error);
    }
  });
  for (const kind of ['keydown', 'pointerdown', 'pointermove']) document.addEventListener(kind, noteActivity, { passive: true });

  return {
    render,
    /** The gateway says the technician's status changed (their own toggle, or auto-Away). */
    changed(next) {
      status = next;
      render();
    },
  };
}
