// Drawing the screen updates of docs/protocol.md onto a canvas: the remote desktop's and a monitored
// technician's screen (E1). JPEG and PNG tiles are decoded off the UI thread by createImageBitmap; palette
// tiles inflated by a stream; copy tiles move what is shown (scrolling); video tiles decoded by
// WebCodecs (issue 23). The canvas may be an OffscreenCanvas in a worker (screen-worker.js): nothing
// here touches the page.
import { paletteToRGBA } from './screen-frames.js';
import { drawVideoParts, LostTrack, videoPicture, videoTileDecoder } from './video-tiles.js';

/**
 * A tile's picture: a JPEG or PNG as an ImageBitmap; a palette tile as ImageData, put on the canvas as it
 * is (turning its few pixels into a bitmap first would only wait for another task).
 */
async function tilePixels(tile) {
  if (tile.encoding !== 'palette') return createImageBitmap(new Blob([tile.bytes], { type: `image/${tile.encoding}` }));
  const inflated = new Blob([tile.bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  const raw = new Uint8Array(await new Response(inflated).arrayBuffer());
  return new ImageData(paletteToRGBA(raw, tile.width, tile.height), tile.width, tile.height);
}

/**
 * A tile's picture: ImageBitmap or ImageData, a video tile's VideoFrame, or the LostTrack error of
 * one that cannot be decoded. A picture tile that cannot be decoded is left out (null), said on
 * the console: the rest of the update is drawn and acknowledged, so the screen never stops there.
 */
function tilePicture(tile, video) {
  if (tile.encoding === 'copy') return null;
  if (tile.encoding !== 'video') {
    return tilePixels(tile).catch((error) => {
      console.warn(`A ${tile.encoding} tile could not be decoded:`, error.message);
      return null;
    });
  }
  if (!video) return new LostTrack('this view does not decode video');
  return video.decode(tile).then((frame) => videoPicture(frame, tile))
    .catch((error) => (error instanceof LostTrack ? error : new LostTrack(error.message)));
}

/**
 * Draws `update` onto `canvas`; `sizeTo(width, height)` sizes it to the screen first, once the
 * tiles are decoded; `video` decodes video tiles (`videoTileDecoder`). Every tile that can be
 * drawn is. Returns { videoFrames, lost }: the video frames drawn, and the LostTrack of a video
 * frame that could not be decoded (null when none).
 */
export async function paintUpdate(canvas, update, sizeTo, video = null) {
  const pictures = await Promise.all(update.tiles.map((tile) => tilePicture(tile, video)));
  sizeTo(update.width, update.height);
  const context = canvas.getContext('2d');
  let lost = null;
  let videoFrames = 0;
  // In order: a copy (scrolling) moves what is shown before the new parts are drawn.
  update.tiles.forEach((tile, index) => {
    const picture = pictures[index];
    if (tile.encoding === 'copy') {
      context.drawImage(canvas, tile.sourceX, tile.sourceY, tile.width, tile.height, tile.x, tile.y, tile.width, tile.height);
    } else if (!picture) {
      // Left out: it could not be decoded.
    } else if (picture instanceof LostTrack) {
      lost = picture;
    } else if (tile.encoding === 'video') {
      drawVideoParts(context, tile, picture);
      picture.close();
      videoFrames += 1;
    } else if (picture instanceof ImageData) {
      context.putImageData(picture, tile.x, tile.y);
    } else {
      context.drawImage(picture, tile.x, tile.y);
      picture.close();
    }
  });
  return { videoFrames, lost };
}

/**
 * Draws an update of the customer's screen. `video` says this browser decodes video tiles (the
 * applet sends moving regions as video only when every viewer does); `state.video` keeps the
 * screen's decoder. Returns { fields, videoFrames }: the acknowledgement's fields — `video`, and
 * `refresh` when a video frame could not be decoded and the whole screen is wanted.
 */
export async function paintCustomerUpdate(state, canvas, update, sizeTo, video) {
  if (video && !state.video) state.video = videoTileDecoder();
  const { videoFrames, lost } = await paintUpdate(canvas, update, sizeTo, video ? state.video : null);
  if (lost) console.warn('The customer\'s screen is asked for again:', lost.message);
  return { fields: { video, ...(lost ? { refresh: true } : {}) }, videoFrames };
}

/** Sizes `canvas` to the screen (cleared when the size changes). */
export function fitted(canvas) {
  return (width, height) => {
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
  };
}

/** Draws `update` onto a watcher's `canvas`, which takes the screen's size. */
export function paintFitted(canvas, update) {
  return paintUpdate(canvas, update, fitted(canvas));
}
