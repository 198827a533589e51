// Follows what the technician drew around on a moving camera picture (Q3: annotations that stay on
// the object): the picture under a drawing is kept as a template of grey levels, and in each new
// frame the drawing moves to where that template matches best (least sum of absolute
// differences), searched near where it was — coarse steps first, then every position around the
// best. Pure: frames come in as grey pixels (`greyFrame` makes them from a canvas).

/** About this many grey pixels across: enough to place a drawing within a few video pixels, cheap at 30 frames a second. */
const GREY_WIDTH = 320;
/** The template's largest side, in grey pixels. */
const MAX_TEMPLATE = 48;
/** How far a drawing may move between two frames, in grey pixels. */
export const SEARCH = 20;

/** The grey scale for a picture `width` wide: video pixels per grey pixel. */
export function greyScale(width) {
  return Math.max(1, Math.round(width / GREY_WIDTH));
}

/** The grey levels of what `context`'s canvas shows, at 1/`scale` (`work`: a canvas reused for it). */
export function greyFrame(source, width, height, scale, work) {
  const w = Math.max(1, Math.floor(width / scale));
  const h = Math.max(1, Math.floor(height / scale));
  if (work.width !== w || work.height !== h) {
    work.width = w;
    work.height = h;
  }
  const context = work.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, w, h);
  const rgba = context.getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h);
  for (let i = 0, j = 0; i < data.length; i += 1, j += 4) data[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8;
  return { data, width: w, height: h };
}

/** The template under `box` ({x, y, width, height} in grey pixels, clamped to the frame): the
 * whole box, sampled every `step` pixels so that it has at most MAX_TEMPLATE samples a side (a big
 * object keeps its edges, not just its middle). */
export function takeTemplate(frame, box) {
  const width = clamp(Math.round(box.width), 8, frame.width);
  const height = clamp(Math.round(box.height), 8, frame.height);
  const step = Math.max(1, Math.ceil(Math.max(width, height) / MAX_TEMPLATE));
  const x = clamp(Math.round(box.x + box.width / 2 - width / 2), 0, frame.width - width);
  const y = clamp(Math.round(box.y + box.height / 2 - height / 2), 0, frame.height - height);
  const columns = Math.ceil(width / step);
  const rows = Math.ceil(height / step);
  const pixels = new Uint8Array(columns * rows);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) pixels[row * columns + column] = frame.data[(y + row * step) * frame.width + x + column * step];
  }
  return { x, y, width, height, step, columns, rows, pixels };
}

/** Where the template is now in `frame`, searched within `radius` grey pixels of its last place: {x, y} (its top left corner). */
export function follow(template, frame, at = template, radius = SEARCH) {
  // `sparse`: every other sample, for the coarse search.
  const difference = (x, y, sparse) => {
    const { step, columns, rows, pixels } = template;
    let sum = 0;
    for (let row = 0; row < rows; row += sparse) {
      const line = (y + row * step) * frame.width + x;
      const own = row * columns;
      for (let column = 0; column < columns; column += sparse) sum += Math.abs(frame.data[line + column * step] - pixels[own + column]);
    }
    return sum;
  };
  const maxX = frame.width - template.width;
  const maxY = frame.height - template.height;
  const centre = { x: clamp(at.x, 0, maxX), y: clamp(at.y, 0, maxY) };
  let best = centre;
  let bestScore = difference(best.x, best.y, 2);
  for (let y = Math.max(0, centre.y - radius); y <= Math.min(maxY, centre.y + radius); y += 2) {
    for (let x = Math.max(0, centre.x - radius); x <= Math.min(maxX, centre.x + radius); x += 2) {
      const score = difference(x, y, 2);
      if (score < bestScore) {
        bestScore = score;
        best = { x, y };
      }
    }
  }
  const coarse = best;
  bestScore = difference(coarse.x, coarse.y, 1);
  for (let y = Math.max(0, coarse.y - 2); y <= Math.min(maxY, coarse.y + 2); y += 1) {
    for (let x = Math.max(0, coarse.x - 2); x <= Math.min(maxX, coarse.x + 2); x += 1) {
      const score = difference(x, y, 1);
      if (score < bestScore) {
        bestScore = score;
        best = { x, y };
      }
    }
  }
  return best;
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}
