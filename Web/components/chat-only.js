// Instant Chat's "chat only" mode seen from the console (G2): says why the tools are greyed and
// offers "Invite to download", which sends the customer a link that starts the applet in this
// same session.
import { api } from '../lib/api.js';

export function mountChatOnly(root, { onError }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [banner, invite, sent] = ['chat-only', 'invite-applet', 'invite-applet-sent'].map($);
  /** Sessions whose customer was invited from this console. */
  const invited = new Set();
  let session = null;

  invite.addEventListener('click', async () => {
    if (!session) return;
    const id = session.id;
    invite.disabled = true;
    try {
      await api(`sessions/${id}/applet-invitation`, { method: 'POST' });
      invited.add(id);
      onError(null);
    } catch (error) {
      onError(error);
    }
    invite.disabled = false;
    render();
  });

  function render() {
    const chatOnly = session?.customer?.client === 'browser' && !['closed', 'closed_by_customer', 'closed_by_customer_waiting', 'timed_out'].includes(session.state);
    banner.hidden = !chatOnly;
    invite.hidden = !chatOnly || !['active', 'collaboration'].includes(session.state);
    sent.hidden = !chatOnly || !invited.has(session.id);
  }

  return {
    /** The selected session when it is the technician's own, else null. */
    show(next) {
      session = next;
      render();
    },
  };
}
