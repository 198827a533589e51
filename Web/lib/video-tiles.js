// The customer's moving regions as VP8 video (issue 23): a video tile carries one frame of a video
// of its rectangle and the parts of it the frame changed. WebCodecs decodes (in hardware where the
// browser can); only the changed parts are drawn, so what tiles sharpened stays sharp. A frame
// follows on the ones before it since its key frame: one that cannot be decoded makes the viewer
// "lost", and the console asks for the whole screen.

/** Whether this browser decodes VP8 with WebCodecs; asked once. */
export const decodesVideo = (async () => {
  if (typeof VideoDecoder !== 'function' || typeof EncodedVideoChunk !== 'function') return false;
  try {
    const { supported } = await VideoDecoder.isConfigSupported({ codec: 'vp8', codedWidth: 1920, codedHeight: 1080 });
    return Boolean(supported);
  } catch {
    return false;
  }
})();

/** A decoded frame that did not come in time: the decoder is taken as lost. */
const OUTPUT_PATIENCE_MS = 2000;

/** Thrown when a frame cannot be decoded: the whole screen is needed. */
export class LostTrack extends Error {}

/** One screen's video decoder: `decode(tile)` resolves with the tile's VideoFrame, in order. */
export function videoTileDecoder() {
  let decoder = null;
  let size = '';
  let lost = true;
  let timestamp = 0;
  const waiting = [];

  function failAll(error) {
    lost = true;
    for (const pending of waiting.splice(0)) pending.reject(error);
  }

  function open(width, height) {
    if (decoder && decoder.state !== 'closed') decoder.close();
    decoder = new VideoDecoder({
      output: (frame) => {
        const pending = waiting.shift();
        if (pending) pending.resolve(frame);
        else frame.close();
      },
      error: (error) => failAll(new LostTrack(`the video decoder failed: ${error.message}`)),
    });
    decoder.configure({ codec: 'vp8', codedWidth: width, codedHeight: height, optimizeForLatency: true });
    size = `${width}x${height}`;
  }

  return {
    decode(tile) {
      const videoSize = `${tile.frameWidth}x${tile.frameHeight}`;
      if (tile.keyFrame) {
        if (!decoder || decoder.state === 'closed' || size !== videoSize || lost) open(tile.frameWidth, tile.frameHeight);
        lost = false;
      } else if (lost || size !== videoSize) {
        return Promise.reject(new LostTrack('a video frame came without the ones before it'));
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => failAll(new LostTrack('the video decoder gave no picture')), OUTPUT_PATIENCE_MS);
        waiting.push({
          resolve: (frame) => { clearTimeout(timer); resolve(frame); },
          reject: (error) => { clearTimeout(timer); reject(error); },
        });
        try {
          timestamp += 1;
          decoder.decode(new EncodedVideoChunk({ type: tile.keyFrame ? 'key' : 'delta', timestamp, data: tile.frame }));
        } catch (error) {
          failAll(new LostTrack(`a video frame could not be decoded: ${error.message}`));
        }
      });
    },
    close() {
      failAll(new LostTrack('closed'));
      if (decoder && decoder.state !== 'closed') decoder.close();
      decoder = null;
    },
  };
}

/**
 * The video tile's picture, ready to draw its parts: a frame with several parts is turned into
 * RGB once, off the UI thread (each drawImage of a VideoFrame would convert the whole frame).
 */
export async function videoPicture(frame, tile) {
  if (tile.parts.length <= 1) return frame;
  try {
    return await createImageBitmap(frame);
  } finally {
    frame.close();
  }
}

/** Draws the changed parts of `picture` (the video tile's, maybe smaller than the tile: scaled up) where the tile lies. */
export function drawVideoParts(context, tile, picture) {
  const scaleX = tile.frameWidth / tile.width;
  const scaleY = tile.frameHeight / tile.height;
  for (const part of tile.parts) {
    context.drawImage(picture, part.x * scaleX, part.y * scaleY, part.width * scaleX, part.height * scaleY,
      tile.x + part.x, tile.y + part.y, part.width, part.height);
  }
}
