// Drawing the screen updates of docs/protocol.md onto a canvas: the remote desktop's and a monitored
// technician's screen (E1). JPEG and PNG tiles are decoded off the UI thread by createImageBitmap; palette
// tiles inflated by a stream; copy tiles move what is shown (scrolling); video tiles decoded by
// WebCodecs (issue 23).
import { paletteToRGBA } from './screen-frames.js';
import { decodesVideo, drawVideoParts, LostTrack, videoPicture, videoTileDecoder } from './video-tiles.js';

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
 * drawn is; then a video frame that could not be decoded is thrown (LostTrack).
 */
export async function paintUpdate(canvas, update, sizeTo, video = null) {
  const pictures = await Promise.all(update.tiles.map((tile) => tilePicture(tile, video)));
  sizeTo(update.width, update.height);
  const context = canvas.getContext('2d');
  let lost = null;
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
      // Counted for the status line and tests: the moving part came as video.
      canvas.dataset.videoFrames = String(Number(canvas.dataset.videoFrames ?? 0) + 1);
    } else if (picture instanceof ImageData) {
      context.putImageData(picture, tile.x, tile.y);
    } else {
      context.drawImage(picture, tile.x, tile.y);
      picture.close();
    }
  });
  if (lost) throw lost;
}

/** Sizes a watcher's `canvas` to the screen (cleared when it changes). */
function fitted(canvas) {
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

/**
 * Draws an update of the customer's screen, then acknowledges it with `acknowledge(fields)`:
 * `video` says this browser decodes video tiles (the applet sends moving regions as video only
 * when every viewer does), `refresh` that a video frame could not be decoded and the whole screen
 * is wanted. `view.video` keeps the view's decoder; `sizeTo` defaults to fitting the canvas.
 */
export async function paintAndAcknowledge(view, canvas, update, acknowledge, sizeTo = fitted(canvas)) {
  const video = await decodesVideo;
  if (video && !view.video) view.video = videoTileDecoder();
  let refresh = false;
  try {
    await paintUpdate(canvas, update, sizeTo, view.video ?? null);
  } catch (error) {
    if (!(error instanceof LostTrack)) throw error;
    console.warn('The customer\'s screen is asked for again:', error.message);
    refresh = true;
  }
  acknowledge({ video, ...(refresh ? { refresh: true } : {}) });
}
