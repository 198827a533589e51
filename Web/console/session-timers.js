// The session list's clock: once a second each row's waiting time and urgency are brought up to
// date in place (nothing else is redrawn), and a session that turns urgent is alerted once.
import { rowClass, timeText } from '../lib/session-logic.js';

export function startSessionTimers({ sessions, urgentAfterMs, urgentIds, onUrgent, onTick }) {
  const tick = () => {
    const now = Date.now();
    for (const row of document.querySelectorAll('#session-list tbody tr')) {
      const session = sessions().find((s) => s.id === row.dataset.sessionId);
      if (!session) continue;
      row.querySelector('.time').textContent = timeText(session, now);
      row.className = rowClass(session, now, urgentAfterMs());
      if (row.className === 'state-urgent' && !urgentIds.has(session.id)) {
        urgentIds.add(session.id);
        onUrgent(session);
      }
    }
    onTick(now);
  };
  setInterval(tick, 1000);
}
