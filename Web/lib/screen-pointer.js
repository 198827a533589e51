// The customer's pointer over a drawn screen (docs/protocol.md, cursor frames): its shape comes as
// RGBA when it changes, its place with every move; an image laid over the canvas, scaled with it.

/** A cursor shape as a PNG data URL, for CSS `cursor` and the pointer image. */
export function cursorURL(shape) {
  const canvas = document.createElement('canvas');
  canvas.width = shape.width;
  canvas.height = shape.height;
  canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(shape.rgba), shape.width, shape.height), 0, 0);
  return canvas.toDataURL('image/png');
}

/** Puts `pointer` (an image over `canvas`) where the customer's pointer is, at the canvas's scale. */
export function placePointer(pointer, canvas, shape, cursor) {
  const ratio = canvas.clientWidth / canvas.width;
  pointer.style.width = `${shape.width * ratio}px`;
  pointer.style.left = `${(cursor.x - shape.hotX) * ratio}px`;
  pointer.style.top = `${(cursor.y - shape.hotY) * ratio}px`;
  canvas.dataset.pointer = `${cursor.x},${cursor.y}`;
}
