// A shared screen as VP8 video (H1): where the browser has WebCodecs, the technician's screen goes
// to the customer's applet as one VP8 frame of the whole screen per update (the screen update's
// only tile), which the applet decodes with libvpx. Video carries moving pictures in a fraction of
// the bytes and work JPEG tiles need. Paced like the tiles: at most WINDOW updates unanswered, the
// newest frame kept while the window is full. Each frame follows on the ones before it, so when
// the applet could not draw one it asks for a whole picture (a key frame).
import { framePacer, readFrames, sharingEnd } from './frame-pacer.js';
import { encodeScreenUpdate } from './screen-frames.js';

const WINDOW = 2;
/** Larger screens are scaled down to fit, as the pictures are. */
const MAX_WIDTH = 1920;
const MAX_HEIGHT = 1200;

/** The size a screen of `width` × `height` is sent at (even numbers: what video encoders like). */
export function videoSize(width, height) {
  const scale = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
  const even = (value) => Math.max(2, Math.round(value * scale / 2) * 2);
  return [even(width), even(height)];
}

/**
 * Bits a second for a screen of `width` × `height` at `rate` updates a second: enough that text
 * stays sharp while a window moves (about 5 Mbit/s for 1080p at 30), never below 1 Mbit/s.
 */
export function videoBitrate(width, height, rate) {
  return Math.round(Math.min(12e6, Math.max(1e6, width * height * rate * 0.08)));
}

/** The share of the full bit rate each colour quality gets (the customer's choice); very low is also greyscale. */
const QUALITY_SHARE = { high: 1, auto: 1, medium: 0.6, low: 0.35, very_low: 0.25 };

function encoderConfig(width, height, rate, share = 1) {
  return { codec: 'vp8', width, height, framerate: rate, bitrate: Math.round(videoBitrate(width, height, rate) * share), latencyMode: 'realtime' };
}

/** Whether this browser can send its screen as VP8 (Chrome and Edge; not Firefox without the track processor). */
export async function canStreamVideo(rate) {
  if (typeof VideoEncoder !== 'function' || typeof MediaStreamTrackProcessor !== 'function') return false;
  try {
    const { supported } = await VideoEncoder.isConfigSupported(encoderConfig(1920, 1080, rate));
    return Boolean(supported);
  } catch {
    return false;
  }
}

/**
 * Streams `stream` as VP8 screen updates through `sendBinary` until stopped or ended from the
 * browser's own bar (`onEnded`). The same handle as `streamScreen`: { acknowledged(sequence,
 * refresh), refresh(), pause(), resume(), setQuality(), stop() }.
 */
export function streamVideo(stream, { sendBinary, onEnded, maxRate, screen = 0, onFailure = () => {} }) {
  let size = null;
  let quality = 'high';
  /** Set when the quality changed: the encoder is configured again before the next frame. */
  let reconfigure = false;
  let greyCanvas = null;
  let wantKeyFrame = true;
  /** The sequence of the last key frame sent: a request for a whole picture older than it is answered already. */
  let keySequence = 0;

  const encoder = new VideoEncoder({
    output(chunk) {
      if (ending.stopped) return;
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      const sequence = pacer.sent();
      if (chunk.type === 'key') keySequence = sequence;
      const [width, height] = size;
      sendBinary(encodeScreenUpdate({ sequence, width, height, screen, tiles: [{ x: 0, y: 0, width, height, encoding: 'vp8', bytes }] }));
    },
    error: fail,
  });

  function fail(error) {
    if (ending.stopped) return;
    ending.stop();
    onFailure(error);
  }

  /** One frame in the encoder at a time: a picture never waits behind older ones. */
  async function encode(frame) {
    try {
      const wanted = videoSize(frame.displayWidth, frame.displayHeight);
      if (!size || size[0] !== wanted[0] || size[1] !== wanted[1] || reconfigure) {
        size = wanted;
        reconfigure = false;
        encoder.configure(encoderConfig(size[0], size[1], maxRate, QUALITY_SHARE[quality] ?? 1));
        wantKeyFrame = true;
      }
      const keyFrame = wantKeyFrame;
      wantKeyFrame = false;
      const source = quality === 'very_low' ? greyscale(frame) : frame;
      encoder.encode(source, { keyFrame });
      if (source !== frame) source.close();
      frame.close();
      // Its output (if the encoder kept it) has gone out once the flush is done.
      await encoder.flush();
    } catch (error) {
      fail(error);
    }
  }

  /** The frame drawn in grey at the size it is sent (the customer chose the fewest colours). */
  function greyscale(frame) {
    const [width, height] = size;
    if (!greyCanvas || greyCanvas.width !== width || greyCanvas.height !== height) greyCanvas = new OffscreenCanvas(width, height);
    const context = greyCanvas.getContext('2d');
    context.filter = 'grayscale(1)';
    context.drawImage(frame, 0, 0, width, height);
    return new VideoFrame(greyCanvas, { timestamp: frame.timestamp });
  }

  const pacer = framePacer({ window: WINDOW, maxRate, send: encode });
  const ending = sharingEnd(stream, pacer, { onEnded, alsoStop: () => { if (encoder.state !== 'closed') encoder.close(); } });
  readFrames(stream, { offer: pacer.offer, stopped: () => ending.stopped, maxRate });

  return {
    /** The applet drew update `acknowledged`, or could not and wants a whole picture (`refresh`). */
    acknowledged(acknowledged, refresh = false) {
      if (refresh && acknowledged >= keySequence) wantKeyFrame = true;
      pacer.acknowledged(acknowledged);
    },
    /** What is in flight is forgotten and the next picture stands alone. */
    refresh() {
      wantKeyFrame = true;
      pacer.forgetInFlight();
    },
    /** The customer's colours: fewer bits a second, greyscale at very low, from the next change on
     * (a capture frame is never held longer than it takes to send it: the browser's pool is small). */
    setQuality(level) {
      if (level === quality) return;
      quality = level;
      reconfigure = true;
    },
    // The technician's screen has no direct path: these keep the handle's shape.
    pause() {},
    resume() {},
    stop: ending.stop,
  };
}
