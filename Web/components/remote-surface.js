// The customer's screen as the console shows it: its canvas, and above it the ink layer
// (whiteboard, laser), the pointer and the lens.
import { t } from '../lib/i18n.js';

/** The screen canvas, the ink layer (whiteboard, laser) above it, the pointer and the lens. */
export function createSurface() {
  const surface = document.createElement('div');
  surface.className = 'remote-surface';
  const canvas = document.createElement('canvas');
  canvas.className = 'remote-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('remote.screenLabel'));
  canvas.width = 0;
  canvas.height = 0;
  const ink = document.createElement('canvas');
  ink.className = 'remote-ink';
  const pointer = document.createElement('img');
  pointer.className = 'remote-pointer';
  pointer.alt = '';
  pointer.hidden = true;
  const lens = document.createElement('canvas');
  lens.className = 'remote-lens';
  lens.width = 240;
  lens.height = 160;
  lens.hidden = true;
  surface.append(canvas, ink, pointer, lens);
  return { surface, canvas, ink, pointer, lens };
}
