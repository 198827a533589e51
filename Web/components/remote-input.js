// Mouse and keyboard on the customer's screen (J1, J11): in the customer's screen coordinates,
// control mode only, moves coalesced; F8 gives the keyboard back to the console.
import { evdevCode } from '../lib/keycodes.js';
import { keysymFor, xButton } from '../lib/screen-frames.js';

/** `send(type, fields)` is the console socket; `onRelease()` takes the keyboard back (F8). */
export function createRemoteInput({ send, onRelease }) {
  let pendingMove = null;
  let moveTimer = null;

  function sendInput(id, events) {
    send('remote_input', { sessionId: id, events });
  }

  function flushMove(id) {
    clearTimeout(moveTimer);
    moveTimer = null;
    if (pendingMove) sendInput(id, [pendingMove]);
    pendingMove = null;
  }

  /** Mouse and keyboard on the canvas, in the customer's screen coordinates (control mode, no
   * whiteboard or laser on: those take the mouse instead). */
  function wireInput(remote, id) {
    const { canvas } = remote;
    // Only the technician with the mouse and keyboard (issue 21: the lead, or the colleague given control).
    const controlling = () => remote.inControl && remote.phase === 'active' && !remote.tool;
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return {
        x: Math.round(((event.clientX - box.left) / box.width) * canvas.width),
        y: Math.round(((event.clientY - box.top) / box.height) * canvas.height),
      };
    };
    canvas.addEventListener('mousemove', (event) => {
      if (!controlling()) return;
      pendingMove = { t: 'move', ...point(event) };
      // Moves are coalesced to one every 15 ms; buttons and keys go at once.
      if (!moveTimer) moveTimer = setTimeout(() => flushMove(id), 15);
    });
    for (const [type, down] of [['mousedown', true], ['mouseup', false]]) {
      canvas.addEventListener(type, (event) => {
        if (!controlling()) return;
        event.preventDefault();
        canvas.focus();
        const button = xButton(event.button);
        if (button === null) return;
        pendingMove = null;
        sendInput(id, [{ t: 'button', button, down, ...point(event) }]);
      });
    }
    canvas.addEventListener('wheel', (event) => {
      if (!controlling()) return;
      event.preventDefault();
      sendInput(id, [{ t: 'wheel', steps: event.deltaY < 0 ? -1 : 1, ...point(event) }]);
    }, { passive: false });
    canvas.addEventListener('contextmenu', (event) => { if (controlling()) event.preventDefault(); });
    // With clipboard sync, Ctrl+V first puts the technician's clipboard on the customer's, then
    // presses V there: the browser's paste event carries the text.
    let pasteKey = null;
    const keyEvent = (event, down) => {
      if (remote.keyboard === 'remote') {
        const code = evdevCode(event);
        return code === null ? null : { t: 'physical_key', code, down };
      }
      const keysym = keysymFor(event);
      return keysym === null ? null : { t: 'key', keysym, down };
    };
    for (const [type, down] of [['keydown', true], ['keyup', false]]) {
      canvas.addEventListener(type, (event) => {
        // F8 is the console's: the keyboard leaves the customer's screen (as TigerVNC's menu key).
        if (event.key === 'F8') {
          event.preventDefault();
          if (down) onRelease();
          return;
        }
        if (!controlling()) return;
        const isPaste = (event.ctrlKey && event.code === 'KeyV') || (event.shiftKey && event.code === 'Insert');
        if (remote.clipboard && isPaste) {
          if (down) {
            pasteKey = keyEvent(event, true);
            // No paste event (nothing to paste, or the browser refused): the key goes anyway.
            setTimeout(() => { if (pasteKey) sendPasteKey(); }, 300);
          }
          return;
        }
        const input = keyEvent(event, down);
        if (input === null) return;
        event.preventDefault();
        flushMove(id);
        sendInput(id, [input]);
      });
    }
    const sendPasteKey = () => {
      sendInput(id, [pasteKey, { ...pasteKey, down: false }]);
      pasteKey = null;
    };
    canvas.addEventListener('paste', (event) => {
      if (!controlling() || !remote.clipboard) return;
      event.preventDefault();
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (text) send('remote_tool', { sessionId: id, tool: { t: 'clipboard', text } });
      if (pasteKey) sendPasteKey();
    });
  }

  return { wire: wireInput };
}
