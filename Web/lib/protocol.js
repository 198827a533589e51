// The console WebSocket (docs/protocol.md): JSON frames {"v":1,"type":...}, and binary screen
// updates of the remote desktop. Reconnects by itself.
export const PROTOCOL_VERSION = 1;

export function encode(type, fields) {
  return JSON.stringify({ v: PROTOCOL_VERSION, type, ...fields });
}

/** Opens /ws/console and calls `onMessage` with each decoded frame; `onStatus(connected)` on changes. */
export function connectConsole({ onMessage, onBinary = () => {}, onStatus, onSignedOut }) {
  let socket;
  let attempt = 0;
  let stopped = false;

  function open() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/ws/console`);
    // Remote-desktop screen updates arrive as binary frames.
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      attempt = 0;
      onStatus(true);
    });
    socket.addEventListener('message', (event) => {
      if (event.data instanceof ArrayBuffer) {
        onBinary(event.data);
        return;
      }
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === 'error' && message.code === 'unauthenticated') onSignedOut();
      onMessage(message);
    });
    socket.addEventListener('close', (event) => {
      onStatus(false);
      if (stopped) return;
      if (event.reason === 'signed out' || event.reason === 'account disabled') {
        onSignedOut();
        return;
      }
      attempt += 1;
      const delay = Math.min(15000, 500 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
      setTimeout(open, delay);
    });
  }

  open();
  return {
    send(type, fields) {
      if (socket.readyState === WebSocket.OPEN) socket.send(encode(type, fields));
    },
    stop() {
      stopped = true;
      socket.close();
    },
  };
}
