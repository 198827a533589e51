// Each session's log as this console knows it: its history read once when the session is first
// selected, and the lines the gateway pushes. A line pushed while the history is on its way may be
// missing from it: it is kept, not lost.
import { api } from '../lib/api.js';

export function sessionLogs() {
  const logs = new Map(); // session id → log entries, oldest first
  const loading = new Map(); // session id → lines pushed while its history loads

  return {
    /** The session's entries, or undefined before its history is read. */
    of: (id) => logs.get(id),
    /** A whole log read elsewhere (the History list). */
    set: (id, entries) => logs.set(id, entries),
    /** Reads the session's history once; true when it was read now. Throws what the API threw. */
    async load(id) {
      if (logs.has(id) || loading.has(id)) return false;
      loading.set(id, []);
      try {
        const history = await api(`sessions/${id}/log`);
        const pushed = loading.get(id).filter((line) => !history.some((e) => e.id === line.id));
        logs.set(id, [...history, ...pushed]);
        return true;
      } finally {
        loading.delete(id);
      }
    },
    /** A line the gateway pushed, kept once, for a session whose log is read or being read. */
    add(entry) {
      const entries = logs.get(entry.sessionId) ?? loading.get(entry.sessionId);
      if (entries && !entries.some((e) => e.id === entry.id)) entries.push(entry);
    },
  };
}
