// The customer's screen decoded and drawn in a worker (issue 23): the page hands over its canvas
// (transferControlToOffscreen) and each update's bytes (transferred, not copied); JPEG, PNG,
// palette and video tiles are decoded and drawn here, so a frame's decoding and drawing never wait
// for the console's chat, queue and toolbar, nor they for it (the frames still arrive through the
// page's socket: a busy page delays them; docs/benchmarks.md). What is drawn reaches the screen with
// the browser's next frame (an OffscreenCanvas commits in step with the page's frames).
// Messages (screen-view.js): { kind: 'canvas', canvas } first; then 'update' { update, video } and
// 'picture' { picture, width, height }, each answered in order with { width, height, fields?,
// videoFrames?, error? }; 'reset' (the session's video ends) and 'clear', not answered.
import { fitted, paintCustomerUpdate } from './screen-paint.js';
import { decodesVideo } from './video-tiles.js';

let canvas = null;
let sizeTo = null;
const state = { video: null };
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
  if (message.kind === 'reset') {
    state.video?.close();
    state.video = null;
    return;
  }
  if (message.kind === 'clear') {
    canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
    return;
  }
  try {
    if (message.kind === 'update') {
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

/** Resolves at the browser's next frame (a worker's requestAnimationFrame, where it has one). */
function nextFrame() {
  return new Promise((resolve) => {
    if (typeof self.requestAnimationFrame === 'function') self.requestAnimationFrame(() => resolve());
    else setTimeout(resolve, 16);
  });
}
