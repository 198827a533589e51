// What the technician shows on the customer's own camera picture in a Lens session (Q3), from the
// call's data channel: their drawings, placed where the technician's console follows them; and
// the freeze — the page takes a still of the camera (a full-resolution photo where it can), shows
// it instead of the moving picture and sends the same still to the technician, so both look at one
// picture until the technician lets go.
import { drawLensShapes } from '../lib/lens-drawings.js';

const $ = (id) => document.getElementById(id);
/** The still's pieces on the data channel (below every browser's message limit). */
const PIECE = 16 * 1024;
/** A photo slower than this (a phone refocusing) gives way to the video's picture: the technician is waiting. */
const PHOTO_WITHIN_MS = 1500;

/** `note(key)` writes in the page's log. */
export function mountLensInk({ note }) {
  const preview = $('lens-preview');
  const ink = $('lens-ink');
  const still = $('lens-still');
  let channel = null;
  let shapes = [];
  let frozen = false;

  /** Where the picture is drawn inside the video element (object-fit: contain). */
  function pictureBox(width, height) {
    const box = { width: preview.clientWidth, height: preview.clientHeight };
    const scale = Math.min(box.width / width, box.height / height);
    return { x: (box.width - width * scale) / 2, y: (box.height - height * scale) / 2, width: width * scale, height: height * scale };
  }

  function fit(canvas) {
    if (canvas.width !== preview.clientWidth || canvas.height !== preview.clientHeight) {
      canvas.width = preview.clientWidth;
      canvas.height = preview.clientHeight;
    }
  }

  function drawShapes() {
    fit(ink);
    const context = ink.getContext('2d');
    context.clearRect(0, 0, ink.width, ink.height);
    if (!preview.videoWidth) return;
    const box = frozen && still.dataset.width
      ? pictureBox(Number(still.dataset.width), Number(still.dataset.height)) : pictureBox(preview.videoWidth, preview.videoHeight);
    drawLensShapes(context, shapes, box, 4);
    ink.dataset.shapes = String(shapes.length);
  }

  /** A still of the camera: its full-resolution photo where the browser can take one quickly
   * (`takePhoto`), else the video's picture now. */
  async function takeStill(track) {
    if (typeof ImageCapture === 'function') {
      const capture = new ImageCapture(track);
      const waited = new Promise((resolve) => { setTimeout(() => resolve(null), PHOTO_WITHIN_MS); });
      try {
        const photo = await Promise.race([capture.takePhoto(), waited]);
        if (photo) return await createImageBitmap(photo);
      } catch { /* no photo from this camera: its video picture */ }
      try {
        return await capture.grabFrame();
      } catch { /* the element's picture, below */ }
    }
    return createImageBitmap(preview);
  }

  /** The camera's picture now, as a JPEG, shown here and sent to the technician. */
  async function freeze() {
    const image = await takeStill(preview.srcObject?.getVideoTracks()[0]);
    const canvas = new OffscreenCanvas(image.width, image.height);
    canvas.getContext('2d').drawImage(image, 0, 0);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    if (!frozen) return;
    // Both sides draw the same JPEG, so they show the very same picture.
    const decoded = await createImageBitmap(jpeg);
    fit(still);
    const box = pictureBox(decoded.width, decoded.height);
    const context = still.getContext('2d');
    context.clearRect(0, 0, still.width, still.height);
    context.drawImage(decoded, box.x, box.y, box.width, box.height);
    Object.assign(still.dataset, { width: String(decoded.width), height: String(decoded.height) });
    still.hidden = false;
    drawShapes();
    const bytes = new Uint8Array(await jpeg.arrayBuffer());
    if (channel?.readyState !== 'open') return;
    channel.send(JSON.stringify({ t: 'still', bytes: bytes.length, width: decoded.width, height: decoded.height }));
    for (let at = 0; at < bytes.length; at += PIECE) channel.send(bytes.slice(at, at + PIECE));
  }

  function receive(message) {
    switch (message.t) {
      case 'shapes':
        shapes = message.shapes;
        break;
      case 'moves':
        for (const move of message.moves) {
          const shape = shapes.find((each) => each.id === move.id);
          if (shape) Object.assign(shape, { dx: move.dx, dy: move.dy });
        }
        break;
      case 'clear':
        shapes = [];
        break;
      case 'freeze':
        if (message.on === frozen) return;
        frozen = message.on;
        note(frozen ? 'lens.frozen' : 'lens.unfrozen');
        if (frozen) freeze().catch((error) => console.warn('The still could not be taken:', error));
        else still.hidden = true;
        break;
      default:
        return;
    }
    drawShapes();
  }

  new ResizeObserver(drawShapes).observe(preview);

  return {
    /** The call's data channel, opened by this page with the direct path. */
    channel(opened) {
      channel = opened;
      channel.binaryType = 'arraybuffer';
      channel.addEventListener('message', ({ data }) => {
        if (typeof data === 'string') receive(JSON.parse(data));
      });
      channel.addEventListener('close', () => {
        shapes = [];
        frozen = false;
        still.hidden = true;
        drawShapes();
      });
    },
  };
}
