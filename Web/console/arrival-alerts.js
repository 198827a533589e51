// Sound alerts (B2) and the background tab's title: what a pushed change means to the technician.
import { t } from '../lib/i18n.js';
import { playAlert } from '../lib/sounds.js';

/** `mutedSounds()`: the technician's muted alerts, read when one plays. */
export function mountArrivalAlerts({ mutedSounds }) {
  let unseenArrivals = 0;
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    unseenArrivals = 0;
    document.title = 'Lifeline — Technician Console';
  });

  function alert(name) {
    playAlert(name, mutedSounds());
  }

  return {
    alert,
    /** The sound for a session's new state, if it has one. */
    alertForChange(before, session) {
      if (before?.state === session.state) return;
      if (['waiting', 'incoming'].includes(session.state)) alert(document.hidden ? 'new_session_minimised' : 'new_session_open');
      else if (['closed_by_customer', 'closed_by_customer_waiting'].includes(session.state)) alert('customer_disconnected');
      else if (session.state === 'reconnecting') alert('network_interrupted');
    },
    /** While the console is in a background tab, the title says how many sessions arrived. */
    noteArrival() {
      if (!document.hidden) return;
      unseenArrivals += 1;
      document.title = `(${unseenArrivals}) ${t('title.arrived')} — Lifeline`;
    },
  };
}
