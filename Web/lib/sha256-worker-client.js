// The page's side of sha256-worker.js: one worker, started on first use, answers by id.
let worker = null;
let counter = 0;
const waiting = new Map();

/** The SHA-256 (hex) of a Blob or File, computed in a worker while the page goes on. */
export function hashBlob(blob) {
  if (!worker) {
    worker = new Worker(new URL('./sha256-worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', ({ data }) => {
      const promise = waiting.get(data.id);
      waiting.delete(data.id);
      if (data.error) promise?.reject(new Error(data.error)); else promise?.resolve(data.sha256);
    });
  }
  counter += 1;
  const id = counter;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, blob });
  });
}
