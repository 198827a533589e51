// Drawing the screen updates of docs/protocol.md onto a canvas: the remote desktop's and a monitored
// technician's screen (E1). JPEG tiles are decoded off the UI thread by createImageBitmap; palette
// tiles inflated by a stream; copy tiles move what is shown (scrolling).
import { paletteToRGBA } from './screen-frames.js';

/** A tile as an ImageBitmap. */
export async function tileBitmap(tile) {
  if (tile.encoding === 'jpeg') return createImageBitmap(new Blob([tile.bytes], { type: 'image/jpeg' }));
  const inflated = new Blob([tile.bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  const raw = new Uint8Array(await new Response(inflated).arrayBuffer());
  return createImageBitmap(new ImageData(paletteToRGBA(raw, tile.width, tile.height), tile.width, tile.height));
}

/** Draws `update` onto `canvas`; `sizeTo(width, height)` sizes it to the screen first, once the tiles are decoded. */
export async function paintUpdate(canvas, update, sizeTo) {
  const bitmaps = await Promise.all(update.tiles.map((tile) => (tile.encoding === 'copy' ? null : tileBitmap(tile))));
  sizeTo(update.width, update.height);
  const context = canvas.getContext('2d');
  // In order: a copy (scrolling) moves what is shown before the new parts are drawn.
  update.tiles.forEach((tile, index) => {
    if (tile.encoding === 'copy') {
      context.drawImage(canvas, tile.sourceX, tile.sourceY, tile.width, tile.height, tile.x, tile.y, tile.width, tile.height);
    } else {
      context.drawImage(bitmaps[index], tile.x, tile.y);
      bitmaps[index].close();
    }
  });
}

/** Draws `update` onto a watcher's `canvas`, which takes the screen's size (cleared when it changes). */
export function paintFitted(canvas, update) {
  return paintUpdate(canvas, update, (width, height) => {
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
  });
}
