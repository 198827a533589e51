// Where the customer's screen is drawn (issue 23): in a worker (screen-worker.js) that owns the
// page's canvas where the browser can (OffscreenCanvas), else on the page as before. Either way
// the canvas stays what the rest of the console reads: drawn on the lens and the recording,
// saved as a screenshot. Its size follows the screen's, said to `onSize(width, height)` (after
// the canvas was handed to the worker, the page may not size it, and it shows the new size only
// from the next frame: use `view.width` and `view.height`). In a worker, the view opens a socket of
// its own for the screen's updates (`address()`, screen-socket.js): what it draws from there is
// told with `onDrawn({ sequence, videoFrames, at })`, and `onSocket(open)` says when it opens or closes.
import { decodesVideo } from './video-tiles.js';
import { fitted, paintCustomerUpdate } from './screen-paint.js';

/** Whether `canvas` can be drawn by a worker. */
function drawnByWorker(canvas) {
  return typeof Worker === 'function' && typeof OffscreenCanvas === 'function'
    && typeof canvas.transferControlToOffscreen === 'function';
}

/**
 * The view of one screen on `canvas`: { mode ('worker' or 'page', once drawn), width, height,
 * connect(address) (the worker's socket opens again there: a new console, the desktop again; null closes it),
 * paint(update) → { fields, videoFrames } (the acknowledgement's fields; updates are drawn in the
 * order given, so a caller need not wait for one before giving the next), picture(source, width,
 * height, { live }) (a whole picture: the direct path's, live, or a Lens still; a live one is
 * left out, null, when two are being drawn already), reset() (the video ends), clear() }.
 * Where it is drawn is chosen with the first picture: on the page when `onPage()` says so (a Lens
 * call's drawings follow what the picture shows, so both must change together), else in a worker.
 */
export function screenView(canvas, { onSize = () => {}, onPage = () => false, address = () => null, onDrawn = () => {},
  onSocket = () => {} } = {}) {
  let chosen = null;
  const view = () => {
    if (!chosen) {
      chosen = !onPage() && drawnByWorker(canvas) ? workerView(canvas, { onSize, onDrawn, onSocket }) : pageView(canvas, onSize);
      chosen.connect?.(address());
      canvas.dataset.renderer = chosen.mode;
    }
    return chosen;
  };
  return {
    get mode() { return chosen?.mode ?? null; },
    get width() { return chosen?.width ?? 0; },
    get height() { return chosen?.height ?? 0; },
    paint: (update) => view().paint(update),
    picture: (source, width, height, options) => view().picture(source, width, height, options),
    reset: () => chosen?.reset(),
    clear: () => chosen?.clear(),
    connect: (to) => chosen?.connect?.(to),
  };
}

function pageView(canvas, onSize) {
  const state = { video: null };
  const fit = fitted(canvas);
  // One update after the other: one decoded sooner must not be drawn before the one before it.
  let painted = Promise.resolve();
  const sizeTo = (width, height) => {
    if (canvas.width === width && canvas.height === height) return;
    fit(width, height);
    onSize(width, height);
  };
  return {
    mode: 'page',
    get width() { return canvas.width; },
    get height() { return canvas.height; },
    paint(update) {
      const paint = painted.then(async () => paintCustomerUpdate(state, canvas, update, sizeTo, await decodesVideo));
      painted = paint.catch(() => {});
      return paint;
    },
    async picture(source, width, height) {
      sizeTo(width, height);
      canvas.getContext('2d').drawImage(source, 0, 0, width, height);
      return { width, height };
    },
    reset() {
      state.video?.close();
      state.video = null;
    },
    clear() {
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
    },
  };
}

function workerView(canvas, { onSize, onDrawn, onSocket }) {
  // Made with the screen's first picture (screenView chooses then), so a session whose screen is
  // never shown costs no worker.
  const worker = new Worker(new URL('./screen-worker.js', import.meta.url), { type: 'module', name: 'screen' });
  const offscreen = canvas.transferControlToOffscreen();
  worker.postMessage({ kind: 'canvas', canvas: offscreen }, [offscreen]);
  // Set when the worker failed (its script did not load or threw): nothing more can be drawn.
  let failure = null;
  let size = { width: 0, height: 0 };
  // The answers come in the order the messages went.
  const waiting = [];
  // Pictures are made ready (createImageBitmap) one after the other, so they go in order.
  let pictures = Promise.resolve();
  let picturesWaiting = 0;

  worker.addEventListener('message', ({ data }) => {
    if (data.width !== size.width || data.height !== size.height) {
      size = { width: data.width, height: data.height };
      onSize(size.width, size.height);
    }
    // Told, not an answer: what the worker's own socket brought, or its state.
    if (data.notice === 'drawn') return onDrawn(data);
    if (data.notice === 'socket') return onSocket(data.open);
    const pending = waiting.shift();
    if (data.error) pending?.reject(new Error(data.error));
    else pending?.resolve(data);
  });
  worker.addEventListener('error', (event) => {
    console.warn('The screen\'s worker failed:', event.message);
    failure = new Error(`the screen's worker failed: ${event.message}`);
    for (const pending of waiting.splice(0)) pending.reject(failure);
  });

  function ask(message, transfer) {
    return new Promise((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      waiting.push({ resolve, reject });
      worker.postMessage(message, transfer);
    });
  }

  return {
    mode: 'worker',
    get width() { return size.width; },
    get height() { return size.height; },
    async paint(update) {
      const video = await decodesVideo;
      // The update's bytes move to the worker: every tile is a view on the frame's buffer.
      const buffers = new Set(update.tiles.flatMap((tile) => [tile.bytes?.buffer, tile.frame?.buffer]).filter(Boolean));
      return ask({ kind: 'update', update, video }, [...buffers]);
    },
    picture(source, width, height, { live = false } = {}) {
      // A live picture comes while two wait to be drawn: it is left out (the next one is newer).
      if (live && picturesWaiting >= 2) return Promise.resolve(null);
      picturesWaiting += 1;
      // A VideoFrame is closed by its giver once this returns: a copy of it goes, without its pixels moving.
      const ready = typeof VideoFrame === 'function' && source instanceof VideoFrame
        ? Promise.resolve(source.clone())
        : createImageBitmap(source);
      const posted = pictures.then(() => ready).then((picture) => ({ answer: ask({ kind: 'picture', picture, width, height }, [picture]) }));
      pictures = posted.catch(() => {});
      const answered = posted.then(({ answer }) => answer);
      answered.finally(() => { picturesWaiting -= 1; }).catch(() => {});
      return answered;
    },
    async connect(address) {
      worker.postMessage({ kind: 'socket', address, video: await decodesVideo });
    },
    reset() {
      worker.postMessage({ kind: 'reset' });
    },
    clear() {
      worker.postMessage({ kind: 'clear' });
    },
  };
}
