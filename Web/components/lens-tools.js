// The technician's Lens tools on the camera's picture (Q3), over the call's data channel with the
// phone: drawings that stay on the object they were drawn around (the whiteboard's strokes, each
// followed through the video by object-tracker.js and drawn where it went, on both sides), clear,
// and freeze: the phone takes a still of its camera, shows it and sends it here, so both sides look
// at the same picture while the technician explains; the live picture waits meanwhile.
import { drawLensShapes } from '../lib/lens-drawings.js';
import { SEARCH, follow, greyFrame, greyScale, takeTemplate } from '../lib/object-tracker.js';

/** Drawings' places go to the phone at most this often while they move. */
const SEND_EVERY_MS = 66;

/** `freeze`: the toolbar's Freeze button; `draw(remote, image, width, height)` shows a still (a promise). */
export function mountLensTools({ freeze, current, draw }) {
  /** Per session: { channel, shapes, stroke, frozen, still (pieces of the still arriving), sentAt }. */
  const lenses = new Map();
  const work = document.createElement('canvas');

  function lensOf(id) {
    if (!lenses.has(id)) lenses.set(id, { channel: null, shapes: [], stroke: null, frozen: false, still: null, sentAt: 0, nextId: 1 });
    return lenses.get(id);
  }

  function tell(lens, message) {
    if (lens.channel?.readyState === 'open') lens.channel.send(JSON.stringify(message));
  }

  /** The drawings as the phone needs them: points and moves as fractions of the picture. */
  function shapesMessage(lens) {
    return { t: 'shapes', shapes: lens.shapes.map(({ id, points, dx, dy }) => ({ id, points, dx, dy })) };
  }

  /** Every drawing where it is now, and the stroke being drawn. */
  function redraw(remote, lens) {
    const { ink, canvas } = remote;
    const context = ink.getContext('2d');
    context.clearRect(0, 0, ink.width, ink.height);
    const drawn = lens.stroke?.length > 1 ? [...lens.shapes, { points: lens.stroke }] : lens.shapes;
    drawLensShapes(context, drawn, { x: 0, y: 0, width: canvas.width, height: canvas.height }, Math.max(3, Math.round(canvas.width / 320)));
    ink.dataset.shapes = JSON.stringify(lens.shapes.map(({ id, dx, dy, box }) => ({ id, dx, dy, box })));
  }

  /** A finished stroke becomes a drawing that follows what is under it: what was there when the
   * stroke began (the technician aimed at the picture of that moment), found again in the picture
   * now — the object may have moved while the stroke was drawn. */
  function addShape(remote, lens, points, startFrame) {
    const { canvas } = remote;
    const xs = points.map(([x]) => x * canvas.width);
    const ys = points.map(([, y]) => y * canvas.height);
    const scale = startFrame.scale;
    const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
    const template = takeTemplate(startFrame, { x: box.x / scale, y: box.y / scale, width: box.width / scale, height: box.height / scale });
    const now = greyFrame(canvas, canvas.width, canvas.height, scale, work);
    const at = lens.frozen ? { x: template.x, y: template.y } : follow(template, now, template, SEARCH * 4);
    // The box in fractions of the picture, as every place here is.
    const fractions = { x: box.x / canvas.width, y: box.y / canvas.height, width: box.width / canvas.width, height: box.height / canvas.height };
    const shape = { id: lens.nextId++, points, dx: 0, dy: 0, baseDx: 0, baseDy: 0, template, at, scale,
      frameWidth: canvas.width, frameHeight: canvas.height, box: fractions };
    place(shape, canvas);
    lens.shapes.push(shape);
    redraw(remote, lens);
    tell(lens, shapesMessage(lens));
  }

  /** Strokes on the ink layer while the whiteboard is on, in fractions of the picture. */
  function wire(remote, id) {
    const { ink } = remote;
    const at = (event) => {
      const box = ink.getBoundingClientRect();
      return [(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height];
    };
    ink.addEventListener('mousedown', (event) => {
      if (!remote.lensSession || remote.tool !== 'whiteboard') return;
      const lens = lensOf(id);
      lens.stroke = [at(event)];
      const scale = greyScale(remote.canvas.width);
      lens.startFrame = { ...greyFrame(remote.canvas, remote.canvas.width, remote.canvas.height, scale, work), scale };
    });
    ink.addEventListener('mousemove', (event) => {
      const lens = lensOf(id);
      if (!lens.stroke) return;
      lens.stroke.push(at(event));
      redraw(remote, lens);
    });
    const end = () => {
      const lens = lensOf(id);
      const { stroke, startFrame } = lens;
      lens.stroke = null;
      lens.startFrame = null;
      if (stroke?.length > 1) addShape(remote, lens, stroke, startFrame);
    };
    ink.addEventListener('mouseup', end);
    ink.addEventListener('mouseleave', end);
  }

  /** A drawing's move from where it was drawn, as fractions of the picture. */
  function place(shape, canvas) {
    shape.dx = shape.baseDx + ((shape.at.x - shape.template.x) * shape.scale) / canvas.width;
    shape.dy = shape.baseDy + ((shape.at.y - shape.template.y) * shape.scale) / canvas.height;
  }

  /** The picture's size changed (the phone's browser scales its video to the network and its
   * processor): what is under the drawing now, at the new size, is what it follows from here. */
  function anchorAgain(shape, canvas, grey, scale) {
    const { box } = shape;
    const x = (box.x + shape.dx) * canvas.width;
    const y = (box.y + shape.dy) * canvas.height;
    const width = box.width * canvas.width;
    const height = box.height * canvas.height;
    shape.template = takeTemplate(grey, { x: x / scale, y: y / scale, width: width / scale, height: height / scale });
    shape.at = { x: shape.template.x, y: shape.template.y };
    Object.assign(shape, { baseDx: shape.dx, baseDy: shape.dy, scale, frameWidth: canvas.width, frameHeight: canvas.height });
  }

  /** A live picture ({ source, width, height }) is being drawn: every drawing follows its object
   * in it (the screen's canvas may show it only from the next frame), the phone is told where. */
  function frame(remote, id, picture) {
    const lens = lenses.get(id);
    if (!lens || lens.frozen || lens.shapes.length === 0) return;
    const scale = greyScale(picture.width);
    const grey = greyFrame(picture.source, picture.width, picture.height, scale, work);
    for (const shape of lens.shapes) {
      if (shape.frameWidth !== picture.width || shape.frameHeight !== picture.height) {
        anchorAgain(shape, picture, grey, scale);
        continue;
      }
      shape.at = follow(shape.template, grey, shape.at);
      place(shape, picture);
    }
    redraw(remote, lens);
    const now = performance.now();
    if (now - lens.sentAt >= SEND_EVERY_MS) {
      lens.sentAt = now;
      tell(lens, { t: 'moves', moves: lens.shapes.map(({ id: shapeId, dx, dy }) => ({ id: shapeId, dx, dy })) });
    }
  }

  /** What the phone sends: the still it froze on, a header then its JPEG in pieces. */
  async function received(id, data) {
    const lens = lensOf(id);
    if (typeof data === 'string') {
      const message = JSON.parse(data);
      if (message.t === 'still') lens.still = { bytes: message.bytes, pieces: [], received: 0 };
      return;
    }
    if (!lens.still) return;
    lens.still.pieces.push(data);
    lens.still.received += data.byteLength;
    if (lens.still.received < lens.still.bytes) return;
    const blob = new Blob(lens.still.pieces, { type: 'image/jpeg' });
    lens.still = null;
    if (!lens.frozen) return;
    const image = await createImageBitmap(blob);
    const { remote } = current();
    if (remote && current().id === id && lens.frozen) {
      // Said frozen once the still is on the screen (drawn in the screen's worker, maybe a moment later).
      await draw(remote, image, image.width, image.height);
      remote.canvas.dataset.frozen = 'true';
      redraw(remote, lens);
    }
  }

  function setFrozen(id, frozen) {
    const lens = lensOf(id);
    lens.frozen = frozen;
    tell(lens, { t: 'freeze', on: frozen });
    const { remote } = current();
    if (remote && !frozen) delete remote.canvas.dataset.frozen;
    render(remote, id);
  }

  function render(remote, id) {
    const lens = id ? lenses.get(id) : null;
    const ready = Boolean(remote?.lensSession && remote.phase === 'active' && lens?.channel?.readyState === 'open');
    freeze.hidden = !ready;
    freeze.setAttribute('aria-pressed', String(Boolean(lens?.frozen)));
  }

  freeze.addEventListener('click', () => {
    const { id } = current();
    if (id) setFrozen(id, !lensOf(id).frozen);
  });

  return {
    wire,
    frame,
    render,
    /** Whether the live picture waits (frozen). */
    frozen: (id) => Boolean(lenses.get(id)?.frozen),
    /** The phone opened the call's data channel. */
    channel(id, channel) {
      const lens = lensOf(id);
      lens.channel = channel;
      channel.binaryType = 'arraybuffer';
      channel.addEventListener('message', ({ data }) => received(id, data).catch((error) => console.warn('A Lens message was dropped:', error)));
      channel.addEventListener('open', () => {
        tell(lens, shapesMessage(lens));
        const { remote } = current();
        if (current().id === id) render(remote, id);
      });
    },
    /** The whiteboard's Clear (or the whiteboard off): the drawings go on both sides. */
    clear(remote, id) {
      const lens = lenses.get(id);
      if (!lens) return;
      lens.shapes = [];
      lens.stroke = null;
      redraw(remote, lens);
      tell(lens, { t: 'clear' });
    },
    /** The picture ended: nothing is kept. */
    close(id) {
      lenses.delete(id);
    },
  };
}
