// The customer's screen shown from the browser (issue 16, item 3): `getDisplayMedia`, view only —
// or what its camera sees (`getUserMedia`, issue 22: a phone pointed at the device), the same way.
// The pictures travel as the applet's screen updates (docs/protocol.md), so the technician's
// console shows them in its usual remote view; its acknowledgements pace them (at most WINDOW
// updates unanswered), and only the tiles that changed are sent. While a direct path carries the
// picture (screen-direct.js) they pause.
import { framePacer, readFrames, sharingEnd } from '../lib/frame-pacer.js';
import { changedRectangles, encodeScreenUpdate } from '../lib/screen-frames.js';

const TILE = 64;
/** Larger screens are scaled down to fit: enough to read, light on the customer's upload. */
const MAX_WIDTH = 1920;
const MAX_HEIGHT = 1200;
const WINDOW = 2;
/** At most this many updates a second, unless asked otherwise (a customer's upload is often thin). */
const MAX_RATE = 20;
const QUALITY = { very_low: 0.35, low: 0.45, medium: 0.65, high: 0.8, auto: 0.8 };

/** Whether this browser can share its screen at all (phones and old browsers cannot). */
export function canShareScreen() {
  return Boolean(navigator.mediaDevices?.getDisplayMedia) && window.isSecureContext;
}

/** Whether this browser can show what its camera sees (phones: the way to show a device, issue 22). */
export function canShowCamera() {
  return Boolean(navigator.mediaDevices?.getUserMedia) && window.isSecureContext;
}

/** Asks for the camera — `deviceId`'s, else the back one on a phone — at 720p where it can. Throws when refused. */
export function pickCamera(deviceId = null, frameRate = MAX_RATE) {
  const which = deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: 'environment' } };
  return navigator.mediaDevices.getUserMedia({
    video: { ...which, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: frameRate } },
    audio: false,
  });
}

/** The cameras this browser has (ids and labels once one was allowed). */
export async function cameras() {
  return (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === 'videoinput');
}

/** Asks the browser for a screen, window or tab (the browser's own picker). Throws when refused. */
export function pickScreen(frameRate = MAX_RATE) {
  return navigator.mediaDevices.getDisplayMedia({ video: { frameRate }, audio: false });
}

/**
 * Streams `stream` as screen updates through `sendBinary` until stopped or the customer ends it in
 * the browser's own bar (`onEnded`). Returns { acknowledged(sequence), setQuality(level), pause(),
 * resume(), refresh(), replaceStream(stream), stop() }.
 */
export function streamScreen(stream, { sendBinary, onEnded, maxRate = MAX_RATE, screen = 0 }) {
  /** The direct path shows the screen: nothing goes through the gateway meanwhile. */
  let paused = false;
  let quality = QUALITY.high;
  let previous = null;
  const canvas = new OffscreenCanvas(1, 1);
  const context = canvas.getContext('2d', { willReadFrequently: true });

  function size(sourceWidth, sourceHeight) {
    const scale = Math.min(1, MAX_WIDTH / sourceWidth, MAX_HEIGHT / sourceHeight);
    return [Math.max(1, Math.round(sourceWidth * scale)), Math.max(1, Math.round(sourceHeight * scale))];
  }

  async function jpeg(image, rectangle) {
    const piece = new OffscreenCanvas(rectangle.width, rectangle.height);
    piece.getContext('2d').putImageData(image, -rectangle.x, -rectangle.y, rectangle.x, rectangle.y, rectangle.width, rectangle.height);
    const blob = await piece.convertToBlob({ type: 'image/jpeg', quality });
    return { ...rectangle, bytes: new Uint8Array(await blob.arrayBuffer()) };
  }

  /** Which tiles differ from the last picture sent (all of them for the first or a new size). */
  function differs(image, width) {
    const now = new Uint32Array(image.data.buffer);
    const before = previous && previous.width === image.width && previous.height === image.height ? new Uint32Array(previous.data.buffer) : null;
    return (column, row) => {
      if (!before) return true;
      const x0 = column * TILE;
      const x1 = Math.min(image.width, x0 + TILE);
      const y1 = Math.min(image.height, (row + 1) * TILE);
      for (let y = row * TILE; y < y1; y += 1) {
        for (let at = y * width + x0, end = y * width + x1; at < end; at += 1) {
          if (now[at] !== before[at]) return true;
        }
      }
      return false;
    };
  }

  /** Draws `frame` (a VideoFrame, or the video element) and sends what changed. */
  async function send(frame) {
    const [width, height] = size(frame.displayWidth ?? frame.width, frame.displayHeight ?? frame.height);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    // Very low quality is greyscale (J7, and the customer's choice for a technician's screen).
    context.filter = quality === QUALITY.very_low ? 'grayscale(1)' : 'none';
    context.drawImage(frame.source ?? frame, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    const rectangles = changedRectangles(width, height, TILE, differs(image, width));
    if (rectangles.length === 0) return;
    const tiles = await Promise.all(rectangles.map((rectangle) => jpeg(image, rectangle)));
    if (ending.stopped) return;
    previous = image;
    sendBinary(encodeScreenUpdate({ sequence: pacer.sent(), width, height, tiles, screen }));
  }

  const pacer = framePacer({
    window: WINDOW,
    maxRate,
    send,
    // The first picture always goes through the gateway, even when the direct path is already up:
    // the console has a whole screen to fall back on should that path drop.
    drop: () => paused && pacer.sequence > 0,
  });
  const ending = sharingEnd(stream, pacer, { onEnded });
  /** Reads `from` until the sharing ends or another stream replaces it. */
  function read(from) {
    const reading = { replaced: false };
    readFrames(from, { offer: pacer.offer, stopped: () => ending.stopped || reading.replaced, maxRate });
    return reading;
  }
  let reading = read(stream);

  return {
    /** The viewer drew update `acknowledged` (or could not and wants the whole picture: `refresh`): the window opens for the next. */
    acknowledged(acknowledged, refresh = false) {
      if (refresh) previous = null;
      pacer.acknowledged(acknowledged);
    },
    /** Another colour quality: the whole picture in it with the next change (frames are held for no longer than that). */
    setQuality(level) {
      quality = QUALITY[level] ?? QUALITY.high;
      previous = null;
    },
    pause() {
      paused = true;
      if (pacer.sequence > 0) pacer.dropPending();
    },
    /** The gateway wants the whole picture (a viewer joined or fell behind): what is in flight is forgotten. */
    refresh() {
      previous = null;
      pacer.forgetInFlight();
    },
    /** Back through the gateway: the whole picture first, the console's may be behind. */
    resume() {
      paused = false;
      previous = null;
    },
    /** Another camera (the customer switched): its pictures from now on, the whole picture first. */
    replaceStream(next) {
      reading.replaced = true;
      ending.replace(next);
      previous = null;
      reading = read(next);
    },
    stop: ending.stop,
  };
}
