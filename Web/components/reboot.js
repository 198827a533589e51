// The Reboot tab (M1–M4): restart the customer's computer normally, by force, or once into safe
// mode with networking, optionally signing the customer in by itself once after it. The customer is asked in the applet; the session shows Rebooting and
// comes back by itself after the boot. What the applet answered is shown here, with the programs
// holding the restart off when there are some.
import { t } from '../lib/i18n.js';

const KINDS = ['normal', 'emergency', 'safe_mode'];

export function mountReboot(panel, { send }) {
  const status = panel.querySelector('#reboot-status');
  const inhibitors = panel.querySelector('#reboot-inhibitors');
  const autoLogin = panel.querySelector('#reboot-autologin');
  const buttons = new Map(KINDS.map((kind) => [kind, panel.querySelector(`[data-reboot='${kind}']`)]));
  const results = new Map(); // session id → { text, inhibitors }
  const requests = new Map(); // request id → session id
  let session = null;
  let counter = 0;

  for (const [kind, button] of buttons) {
    button.addEventListener('click', () => {
      if (!session) return;
      if (kind === 'emergency' && !window.confirm(t('reboot.confirmEmergency'))) return;
      results.set(session.id, { text: t('reboot.asked') });
      const requestId = `reboot-${++counter}`;
      requests.set(requestId, session.id);
      send('reboot_request', { sessionId: session.id, kind, requestId, ...(autoLogin.checked ? { autoLogin: true } : {}) });
      render();
    });
  }

  function render() {
    const elevated = session?.customer?.privileged === true;
    // From Waiting or Outgoing it comes back to Waiting or Outgoing, as the appendix has it.
    const active = ['waiting', 'active', 'collaboration', 'outgoing'].includes(session?.state);
    buttons.get('normal').disabled = !active;
    buttons.get('emergency').disabled = !active || !elevated;
    // Safe mode changes how the machine boots: root only, like the emergency restart.
    buttons.get('safe_mode').disabled = !active || !elevated;
    // The sign-in screen's settings are the machine's: only the elevated applet may change them (M4).
    autoLogin.disabled = !active || !elevated;
    if (autoLogin.disabled) autoLogin.checked = false;
    const result = results.get(session?.id);
    status.textContent = session?.state === 'rebooting' ? t('reboot.rebooting') : result?.text ?? (elevated ? '' : t('reboot.elevateForMore'));
    inhibitors.replaceChildren(...(result?.inhibitors ?? []).map((item) => {
      const line = document.createElement('li');
      line.textContent = `${item.who}: ${item.why} (${item.what}, ${item.mode})`;
      return line;
    }));
  }

  return {
    show(next) {
      session = next;
      render();
    },
    /** `reboot_result`: restarting, refused by the customer, or failed (with the blocking programs). */
    result(message) {
      const key = { restarting: 'reboot.restarting', refused: 'reboot.refused', failed: 'reboot.failed' }[message.outcome];
      results.set(message.sessionId, { text: t(key, { reason: message.message ?? '' }), inhibitors: message.inhibitors });
      if (message.sessionId === session?.id) render();
    },
    /** A refused `reboot_request` (permission, state, not elevated …), said here. */
    refused(message) {
      const sessionId = requests.get(message.requestId);
      if (!sessionId) return false;
      requests.delete(message.requestId);
      results.set(sessionId, { text: message.message });
      if (sessionId === session?.id) render();
      return true;
    },
  };
}
