// The screen worker's own socket (issue 23, docs/protocol.md `/ws/screens`): once open, the
// gateway sends this session's screen updates here instead of to the page, so a busy page never
// holds a frame back. Reopened like every socket of the console (protocol.js), but not when the
// gateway closed it for good (its console closed or is unknown: the page gives a new address with
// its next console).
import { reconnectingSocket } from './protocol.js';
import { decodeConsoleFrameOrDrop } from './screen-frames.js';

/** Close reasons after which the same address would be refused again. */
const FINAL = new Set(['unknown console', 'console closed', 'replaced', 'too many screens']);
/** Attempts in a row refused at the upgrade (the console is not open there: 404) before giving up. */
const REFUSALS = 3;

/**
 * Opens `path` and calls `onUpdate(update, sessionId)` with each screen update; `onOpen(open)` when
 * it opens or closes. Returns { acknowledge(fields), stop() }.
 */
export function screenSocket(path, { onUpdate, onOpen }) {
  let opened = false;
  let refused = 0;
  let stopped = false;
  const socket = reconnectingSocket(path, {
    onOpen() {
      opened = true;
      refused = 0;
    },
    // Stopped: a newer socket (or none) is the worker's now, and says how it is.
    onStatus: (open) => { if (!stopped) onOpen(open); },
    onMessage: (message) => console.warn('The screen\'s socket said:', message),
    onBinary(buffer) {
      const decoded = decodeConsoleFrameOrDrop(buffer);
      if (decoded?.update) onUpdate(decoded.update, decoded.sessionId);
    },
    onClose(event) {
      if (!opened) refused += 1;
      opened = false;
      return FINAL.has(event.reason) || refused >= REFUSALS;
    },
  });
  return {
    /** The update drawn: the gateway may send the next (flow control, J7). */
    acknowledge: (fields) => socket.send('frame_ack', fields),
    stop() {
      stopped = true;
      socket.stop();
    },
  };
}
