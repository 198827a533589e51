// The WebSockets (docs/protocol.md): JSON frames {"v":1,"type":...}, and binary screen updates of
// the remote desktop on the console's. Both reconnect by themselves.
export const PROTOCOL_VERSION = 1;

export function encode(type, fields) {
  return JSON.stringify({ v: PROTOCOL_VERSION, type, ...fields });
}

/**
 * Opens `path` on this site and reopens it with backoff and jitter after a drop, until `onClose`
 * returns true (the server ended it for good) or `stop` is called.
 */
export function reconnectingSocket(path, { onOpen = () => {}, onMessage, onBinary = () => {}, onStatus = () => {}, onClose = () => false }) {
  let socket;
  let attempt = 0;
  let stopped = false;

  function open() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}${path}`);
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      attempt = 0;
      onStatus(true);
      onOpen(send);
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
      onMessage(message);
    });
    socket.addEventListener('close', (event) => {
      onStatus(false);
      if (stopped || onClose(event)) return;
      attempt += 1;
      const delay = Math.min(15000, 500 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
      setTimeout(open, delay);
    });
  }

  function send(type, fields) {
    if (socket.readyState === WebSocket.OPEN) socket.send(encode(type, fields));
  }

  open();
  return {
    send,
    /** Sends binary data when connected; false when not (nothing is queued). */
    sendBinary(data) {
      if (socket.readyState !== WebSocket.OPEN) return false;
      socket.send(data);
      return true;
    },
    stop() {
      stopped = true;
      socket.close();
    },
  };
}

/** Opens /ws/console and calls `onMessage` with each decoded frame; `onStatus(connected)` on changes. */
export function connectConsole({ onMessage, onBinary = () => {}, onStatus, onSignedOut }) {
  return reconnectingSocket('/ws/console', {
    onBinary,
    onStatus,
    onMessage(message) {
      if (message.type === 'error' && message.code === 'unauthenticated') onSignedOut();
      onMessage(message);
    },
    onClose(event) {
      if (event.reason === 'signed out' || event.reason === 'account disabled') {
        onSignedOut();
        return true;
      }
      return false;
    },
  });
}
