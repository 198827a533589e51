// The remote desktop's binary frames as the console receives them (docs/protocol.md): the session
// id, then the applet's screen update. Pure: no DOM. Every length is checked before it is used.

const MAGIC = 0x4c;
const HEADER = 14;
const TILE_HEADER = 13;
const MAX_TILES = 4096;
/** The tiles that carry a picture of their own: 1 JPEG, 3 palette (lossless), 6 PNG (a still picture, lossless). */
const PICTURE_ENCODINGS = { 1: 'jpeg', 3: 'palette', 6: 'png' };
/** What a tile sent from this browser holds: JPEG pictures, or one VP8 frame of the whole screen (H1). */
const TILE_ENCODINGS = { jpeg: 1, vp8: 4 };

/** Decodes one console frame; throws an Error with a clear message on anything malformed. */
export function decodeConsoleFrame(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 1) throw new Error('empty frame');
  const idLength = bytes[0];
  if (1 + idLength > bytes.length) throw new Error('truncated session id');
  const sessionId = new TextDecoder().decode(bytes.subarray(1, 1 + idLength));
  const frame = bytes.subarray(1 + idLength);
  if (frame.length > 2 && frame[0] === MAGIC && frame[2] === 2) return { sessionId, cursor: decodeCursorUpdate(frame) };
  return { sessionId, update: decodeScreenUpdate(frame) };
}

/** `decodeConsoleFrame`, or null (said on the console) for a malformed frame: one bad frame is dropped, nothing stops. */
export function decodeConsoleFrameOrDrop(buffer) {
  try {
    return decodeConsoleFrame(buffer);
  } catch (error) {
    console.warn('Dropped a malformed screen frame:', error.message);
    return null;
  }
}

const CURSOR_HEADER = 16;

/** The pointer: position, and its shape (RGBA) when it changed. */
export function decodeCursorUpdate(bytes) {
  if (bytes.length < CURSOR_HEADER) throw new Error('cursor frame shorter than its header');
  if (bytes[1] !== 1) throw new Error(`unsupported frame version ${bytes[1]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [x, y, hotX, hotY, width, height] = [4, 6, 8, 10, 12, 14].map((at) => view.getUint16(at));
  if (width > 256 || height > 256 || (width === 0) !== (height === 0)) throw new Error('cursor shape out of bounds');
  if (bytes.length !== CURSOR_HEADER + width * height * 4) throw new Error('cursor frame has the wrong length');
  const shape = width === 0 ? null
    : { hotX: Math.min(hotX, width - 1), hotY: Math.min(hotY, height - 1), width, height, rgba: bytes.slice(CURSOR_HEADER) };
  return { x, y, shape };
}

export function decodeScreenUpdate(bytes) {
  if (bytes.length < HEADER) throw new Error('frame shorter than its header');
  if (bytes[0] !== MAGIC || bytes[2] !== 1) throw new Error('not a screen frame');
  if (bytes[1] !== 1) throw new Error(`unsupported frame version ${bytes[1]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sequence = view.getUint32(4);
  const width = view.getUint16(8);
  const height = view.getUint16(10);
  const count = view.getUint16(12);
  if (count > MAX_TILES) throw new Error('too many tiles');
  const tiles = [];
  let offset = HEADER;
  for (let index = 0; index < count; index += 1) {
    if (offset + TILE_HEADER > bytes.length) throw new Error(`tile ${index} is cut short`);
    const x = view.getUint16(offset);
    const y = view.getUint16(offset + 2);
    const w = view.getUint16(offset + 4);
    const h = view.getUint16(offset + 6);
    const encoding = bytes[offset + 8];
    const length = view.getUint32(offset + 9);
    offset += TILE_HEADER;
    if (length > bytes.length - offset) throw new Error(`tile ${index} is cut short`);
    if (encoding < 1 || encoding > 6 || encoding === 4) throw new Error(`unknown tile encoding ${encoding}`);
    if (w === 0 || h === 0 || x + w > width || y + h > height) throw new Error(`tile ${index} lies outside the screen`);
    if (encoding === 2) {
      // Copy a rectangle already shown (scrolling): source x, y.
      if (length !== 4) throw new Error(`tile ${index} is cut short`);
      const sourceX = view.getUint16(offset);
      const sourceY = view.getUint16(offset + 2);
      if (sourceX + w > width || sourceY + h > height) throw new Error(`tile ${index} lies outside the screen`);
      tiles.push({ x, y, width: w, height: h, encoding: 'copy', sourceX, sourceY });
    } else if (encoding === 5) {
      tiles.push({ x, y, width: w, height: h, encoding: 'video', ...decodeVideoTile(bytes.subarray(offset, offset + length), w, h, index) });
    } else {
      tiles.push({ x, y, width: w, height: h, encoding: PICTURE_ENCODINGS[encoding], bytes: bytes.subarray(offset, offset + length) });
    }
    offset += length;
  }
  if (offset !== bytes.length) throw new Error('extra bytes after the last tile');
  return { sequence, width, height, tiles };
}

/** More changed parts than this come as one rectangle around them (VideoTile.maximumParts). */
const MAX_VIDEO_PARTS = 256;

/**
 * A video tile's payload (issue 23): the video's size (the tile's, or smaller: the console scales
 * it up), the parts of the tile the frame changed, then one VP8 frame. A key frame starts the
 * video and carries the video's size.
 */
export function decodeVideoTile(bytes, width, height, index = 0) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 6) throw new Error(`video tile ${index} is cut short`);
  const frameWidth = view.getUint16(0);
  const frameHeight = view.getUint16(2);
  if (frameWidth < 2 || frameHeight < 2 || frameWidth > width || frameHeight > height) throw new Error(`video tile ${index} is larger than itself`);
  const count = view.getUint16(4);
  if (count > MAX_VIDEO_PARTS) throw new Error(`video tile ${index} has too many parts`);
  if (bytes.length < 6 + count * 8) throw new Error(`video tile ${index} is cut short`);
  const parts = [];
  for (let part = 0; part < count; part += 1) {
    const at = 6 + part * 8;
    const [x, y, w, h] = [0, 2, 4, 6].map((field) => view.getUint16(at + field));
    if (w === 0 || h === 0 || x + w > width || y + h > height) throw new Error(`video tile ${index} paints outside itself`);
    parts.push({ x, y, width: w, height: h });
  }
  const frame = bytes.subarray(6 + count * 8);
  if (frame.length === 0) throw new Error(`video tile ${index} has no frame`);
  const keyFrame = (frame[0] & 1) === 0;
  if (keyFrame) {
    if (frame.length < 10) throw new Error(`video tile ${index} is cut short`);
    const keyWidth = (frame[6] | (frame[7] << 8)) & 0x3fff;
    const keyHeight = (frame[8] | (frame[9] << 8)) & 0x3fff;
    if (keyWidth !== frameWidth || keyHeight !== frameHeight) throw new Error(`video tile ${index} is not the size of its key frame`);
  }
  return { frameWidth, frameHeight, parts, frame, keyFrame };
}

const NAMED_KEYSYMS = {
  Backspace: 0xff08, Tab: 0xff09, Enter: 0xff0d, Escape: 0xff1b, Delete: 0xffff, Home: 0xff50, End: 0xff57,
  PageUp: 0xff55, PageDown: 0xff56, ArrowLeft: 0xff51, ArrowUp: 0xff52, ArrowRight: 0xff53, ArrowDown: 0xff54,
  Insert: 0xff63, Shift: 0xffe1, Control: 0xffe3, Alt: 0xffe9, AltGraph: 0xfe03, Meta: 0xffeb, OS: 0xffeb,
  CapsLock: 0xffe5, ContextMenu: 0xff67, PrintScreen: 0xff61, Pause: 0xff13, ScrollLock: 0xff14, NumLock: 0xff7f,
};

/** The X keysym for a browser key event (local-layout sync: the character the technician typed). */
export function keysymFor(event) {
  if (event.key in NAMED_KEYSYMS) {
    // The right-hand modifiers have keysyms of their own.
    if (event.code === 'ShiftRight') return 0xffe2;
    if (event.code === 'ControlRight') return 0xffe4;
    if (event.code === 'AltRight') return 0xffea;
    return NAMED_KEYSYMS[event.key];
  }
  const f = /^F([1-9]|1[0-9]|2[0-4])$/.exec(event.key);
  if (f) return 0xffbd + Number(f[1]);
  const chars = [...event.key];
  if (chars.length !== 1) return null;
  const code = chars[0].codePointAt(0);
  // Latin-1 characters are their own keysyms; the rest of Unicode is 0x01000000 + code point.
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return 0x01000000 + code;
}

/** Pixels (RGBA, for ImageData) of an inflated palette tile: colour count, RGB colours, then rows
 * of packed indices (1, 2 or 4 bits, most significant first, each row on a byte). */
export function paletteToRGBA(raw, width, height) {
  // A count of 0 means 256 colours (8 bits a pixel).
  const count = raw[0] === 0 ? 256 : raw[0];
  if (raw.length < 1 + count * 3) throw new Error('bad palette');
  const bits = count <= 2 ? 1 : count <= 4 ? 2 : count <= 16 ? 4 : 8;
  const perByte = 8 / bits;
  const rowBytes = Math.ceil(width / perByte);
  const start = 1 + count * 3;
  if (raw.length < start + rowBytes * height) throw new Error('palette tile is cut short');
  const pixels = new Uint8ClampedArray(width * height * 4);
  const mask = (1 << bits) - 1;
  for (let y = 0; y < height; y += 1) {
    const line = start + y * rowBytes;
    for (let x = 0; x < width; x += 1) {
      const index = bits === 8 ? raw[line + x] : (raw[line + Math.floor(x / perByte)] >> (8 - bits * (1 + (x % perByte)))) & mask;
      if (index >= count) throw new Error('palette index out of range');
      const out = (y * width + x) * 4;
      pixels[out] = raw[1 + index * 3];
      pixels[out + 1] = raw[2 + index * 3];
      pixels[out + 2] = raw[3 + index * 3];
      pixels[out + 3] = 255;
    }
  }
  return pixels;
}

/** Key combinations the technician's own system would catch (J9), as keysyms pressed in order. */
export const KEY_COMBOS = {
  'ctrl-alt-del': [0xffe3, 0xffe9, 0xffff],
  'alt-tab': [0xffe9, 0xff09],
  super: [0xffeb],
  'ctrl-esc': [0xffe3, 0xff1b],
  'ctrl-alt-f1': [0xffe3, 0xffe9, 0xffbe],
  'ctrl-alt-f7': [0xffe3, 0xffe9, 0xffc4],
  print: [0xff61],
  'alt-f4': [0xffe9, 0xffc1],
};

/** Input events for a combination: every key down in order, then up in reverse. */
export function comboEvents(name) {
  const keys = KEY_COMBOS[name] ?? [];
  return [...keys.map((keysym) => ({ t: 'key', keysym, down: true })),
    ...[...keys].reverse().map((keysym) => ({ t: 'key', keysym, down: false }))];
}

/** X button number for a browser mouse button (0 left, 1 middle, 2 right). */
export function xButton(button) {
  return { 0: 1, 1: 2, 2: 3, 3: 8, 4: 9 }[button] ?? null;
}

/**
 * One screen update as the applet writes it (docs/protocol.md), from JPEG tiles
 * `{x, y, width, height, bytes}`: what a browser sharing its screen sends (issue 16).
 */
export function encodeScreenUpdate({ sequence, width, height, tiles, screen = 0 }) {
  if (tiles.length > MAX_TILES) throw new Error('too many tiles');
  const size = HEADER + tiles.reduce((sum, tile) => sum + TILE_HEADER + tile.bytes.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  // The fourth byte: which of a technician's shared screens (0 the first).
  bytes.set([MAGIC, 1, 1, screen]);
  view.setUint32(4, sequence >>> 0);
  view.setUint16(8, width);
  view.setUint16(10, height);
  view.setUint16(12, tiles.length);
  let offset = HEADER;
  for (const tile of tiles) {
    if (tile.width < 1 || tile.height < 1 || tile.x + tile.width > width || tile.y + tile.height > height) {
      throw new Error('tile lies outside the screen');
    }
    view.setUint16(offset, tile.x);
    view.setUint16(offset + 2, tile.y);
    view.setUint16(offset + 4, tile.width);
    view.setUint16(offset + 6, tile.height);
    const encoding = TILE_ENCODINGS[tile.encoding ?? 'jpeg'];
    if (!encoding) throw new Error(`unknown tile encoding ${tile.encoding}`);
    bytes[offset + 8] = encoding;
    view.setUint32(offset + 9, tile.bytes.length);
    bytes.set(tile.bytes, offset + TILE_HEADER);
    offset += TILE_HEADER + tile.bytes.length;
  }
  return bytes;
}

/**
 * The rectangles to send after a change: `changed(column, row)` tells which tiles of `tileSize`
 * differ; neighbouring changed tiles of one row become one rectangle, and when most of the
 * screen changed the whole screen is one. Pure, for the browser's screen sharing.
 */
export function changedRectangles(width, height, tileSize, changed) {
  const columns = Math.ceil(width / tileSize);
  const rows = Math.ceil(height / tileSize);
  const rectangles = [];
  let count = 0;
  for (let row = 0; row < rows; row += 1) {
    let start = -1;
    for (let column = 0; column <= columns; column += 1) {
      const differs = column < columns && changed(column, row);
      if (differs) count += 1;
      if (differs && start < 0) start = column;
      if (!differs && start >= 0) {
        const x = start * tileSize;
        const y = row * tileSize;
        rectangles.push({ x, y, width: Math.min(width, column * tileSize) - x, height: Math.min(height, y + tileSize) - y });
        start = -1;
      }
    }
  }
  if (count * 2 > columns * rows) return [{ x: 0, y: 0, width, height }];
  return rectangles;
}
