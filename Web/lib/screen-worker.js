// The customer's screen decoded and drawn in a worker (issue 23): the page hands over its canvas
// (transferControlToOffscreen) and each update's bytes (transferred, not copied); JPEG, PNG,
// palette and video tiles are decoded and drawn here. The worker opens a socket of its own for its
// session's updates (screen-socket.js, `/ws/screens`), so neither a busy page nor the console's
// chat, queue and toolbar delay a frame's arrival, decoding or drawing; until it is open, and when
// it is not, the updates come through the page. What is drawn reaches the screen with the
// browser's next frame (an OffscreenCanvas commits in step with the page's frames).
// Messages (screen-view.js): { kind: 'canvas', canvas } first; then 'update' { update, video } and
// 'picture' { picture, width, height }, each answered in order with { width, height, fields?,
// videoFrames?, error? }; 'socket' { address, video } (open the worker's own socket, or close it
// when `address` is null; `video`: the page's choice, which its updates follow too), 'reset' (the
// session's video ends) and 'clear', not answered. What the worker's socket brought and it drew
// is told with { notice: 'drawn', sequence, videoFrames, width, height, at (Date.now()) }, and the
// socket's state with { notice: 'socket', open }.
import { fitted, paintCustomerUpdate } from './screen-paint.js';
import { screenSocket } from './screen-socket.js';
import { decodesVideo } from './video-tiles.js';

let canvas = null;
let sizeTo = null;
const state = { video: null };
const own = { socket: null, video: false, open: false, drawn: null };
// One message after the other, as the page sent them: a tile may copy what the one before drew.
let work = Promise.resolve();

self.addEventListener('message', ({ data }) => {
  // A message that fails is said and passed over; the ones after it still run.
  work = work.then(() => handle(data)).catch((error) => console.warn('The screen\'s worker could not do', data?.kind, error));
});

async function handle(message) {
  if (message.kind === 'canvas') {
    canvas = message.canvas;
    sizeTo = fitted(canvas);
    return;
  }
  if (message.kind === 'socket') {
    const had = own.socket;
    had?.stop();
    own.video = message.video;
    own.socket = message.address ? screenSocket(message.address, { onUpdate: fromSocket, onOpen: socketOpen }) : null;
    // A stopped socket says nothing more of itself.
    if (had && !own.socket) socketOpen(false);
    return;
  }
  if (message.kind === 'reset') {
    state.video?.close();
    state.video = null;
    own.drawn = null;
    return;
  }
  if (message.kind === 'clear') {
    canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
    return;
  }
  try {
    if (message.kind === 'update') {
      // Sent through the page before the worker's socket took over, and overtaken by what that
      // socket brought (a whole screen first): drawing it would put an older picture back.
      if (own.drawn !== null && message.update.sequence <= own.drawn) {
        self.postMessage({ fields: {}, width: canvas.width, height: canvas.height });
        return;
      }
      // The page says whether video is wanted (a page may hide WebCodecs); this worker must decode it too.
      const video = message.video && await decodesVideo;
      const painted = await paintCustomerUpdate(state, canvas, message.update, sizeTo, video);
      self.postMessage({ ...painted, width: canvas.width, height: canvas.height });
    } else if (message.kind === 'picture') {
      sizeTo(message.width, message.height);
      canvas.getContext('2d').drawImage(message.picture, 0, 0, message.width, message.height);
      message.picture.close();
      // Answered once shown (a Lens still is said frozen then): after the frame that commits it.
      await nextFrame();
      self.postMessage({ width: canvas.width, height: canvas.height });
    }
  } catch (error) {
    self.postMessage({ error: error.message, width: canvas.width, height: canvas.height });
  }
}

/** An update from the worker's socket: drawn in turn with the page's messages, acknowledged on the socket. */
function fromSocket(update, sessionId) {
  const socket = own.socket;
  work = work.then(async () => {
    const video = own.video && await decodesVideo;
    const { fields, videoFrames } = await paintCustomerUpdate(state, canvas, update, sizeTo, video);
    own.drawn = own.drawn === null ? update.sequence : Math.max(own.drawn, update.sequence);
    socket.acknowledge({ sessionId, sequence: update.sequence, ...fields });
    self.postMessage({ notice: 'drawn', sequence: update.sequence, videoFrames, width: canvas.width, height: canvas.height, at: Date.now() });
  }).catch((error) => console.warn('The screen\'s worker could not draw an update of its socket:', error));
}

function socketOpen(open) {
  own.open = open;
  // Closed: the page gets the updates again, from a whole screen; its own may be older than the last drawn here.
  if (!open) own.drawn = null;
  self.postMessage({ notice: 'socket', open, width: canvas.width, height: canvas.height });
}

/** Resolves at the browser's next frame (a worker's requestAnimationFrame, where it has one). */
function nextFrame() {
  return new Promise((resolve) => {
    if (typeof self.requestAnimationFrame === 'function') self.requestAnimationFrame(() => resolve());
    else setTimeout(resolve, 16);
  });
}
