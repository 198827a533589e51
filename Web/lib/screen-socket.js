// The screen worker's own socket (issue 23, docs/protocol.md `/ws/screens`): once open, the
// gateway sends this session's screen updates here instead of to the page, so a busy page never
// holds a frame back. Reopened with backoff after a drop, but not when the gateway closed it for
// good (its console closed or is unknown: the page gives a new address with its next console).
import { encode } from './protocol.js';
import { decodeConsoleFrameOrDrop } from './screen-frames.js';

/** Close reasons after which the same address would be refused again. */
const FINAL = new Set(['unknown console', 'console closed', 'replaced', 'too many screens']);
/** Attempts in a row refused at the upgrade (the console is not open there: 404) before giving up. */
const REFUSALS = 3;

/**
 * Opens `address` and calls `onUpdate(update, sessionId)` with each screen update; `onOpen(open)` when it
 * opens or closes. Returns { acknowledge(fields), stop() }.
 */
export function screenSocket(address, { onUpdate, onOpen }) {
  let socket = null;
  let attempt = 0;
  let stopped = false;
  let timer = null;
  let refused = 0;

  function open() {
    let opened = false;
    socket = new WebSocket(address);
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      opened = true;
      attempt = 0;
      refused = 0;
      onOpen(true);
    });
    socket.addEventListener('message', (event) => {
      if (!(event.data instanceof ArrayBuffer)) {
        console.warn('The screen\'s socket said:', event.data);
        return;
      }
      const decoded = decodeConsoleFrameOrDrop(event.data);
      if (decoded?.update) onUpdate(decoded.update, decoded.sessionId);
    });
    socket.addEventListener('close', (event) => {
      // Stopped: a newer socket (or none) is the worker's now.
      if (stopped) return;
      onOpen(false);
      if (!opened) refused += 1;
      if (FINAL.has(event.reason) || refused >= REFUSALS) return;
      attempt += 1;
      const delay = Math.min(15000, 500 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
      timer = setTimeout(open, delay);
    });
  }

  open();
  return {
    /** The update drawn: the gateway may send the next (flow control, J7). */
    acknowledge(fields) {
      if (socket.readyState === WebSocket.OPEN) socket.send(encode('frame_ack', fields));
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket.close();
    },
  };
}
