// The console's icons: a small set of inline SVG line drawings (24×24, stroke in the text's
// colour), drawn here so there is no icon font and no build step. An element asks for one with
// data-icon="name"; its name for screen readers stays in aria-label (or its text).
const PATHS = {
  plus: 'M12 5v14M5 12h14',
  play: 'M7 4.5v15l12-7.5z',
  pause: 'M8 5v14M16 5v14',
  stop: 'M6 6h12v12H6z',
  transfer: 'M4 12h14M13 6l6 6-6 6',
  'user-plus': 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-7 7-7s7 3 7 7M19 8v6M16 11h6',
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 3',
  keyboard: 'M3 6h18v12H3zM7 10h.01M11 10h.01M15 10h.01M7 14h10',
  sidebar: 'M3 4h18v16H3zM9 4v16',
  chat: 'M4 5h16v11H9l-5 4z',
  monitor: 'M3 4h18v12H3zM8 20h8M12 16v4',
  mouse: 'M12 3a6 6 0 0 0-6 6v6a6 6 0 0 0 12 0V9a6 6 0 0 0-6-6zM12 7v4',
  eye: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  pen: 'M4 20l4-1 11-11-3-3L5 16zM14 7l3 3',
  eraser: 'M8 20h12M4 16l9-9 5 5-8 8H8z',
  laser: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M2 12h3M19 12h3',
  magnifier: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5 21 21M10.5 8v5M8 10.5h5',
  expand: 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5',
  external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  camera: 'M3 7h4l2-3h6l2 3h4v13H3zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
  record: 'M12 18a6 6 0 1 0 0-12 6 6 0 0 0 0 12z',
  close: 'M6 6l12 12M18 6 6 18',
  gear: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1 7 17M17 7l2.1-2.1',
  notes: 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  script: 'M4 4h16v16H4zM7 9l3 3-3 3M12 15h5',
  power: 'M12 3v9M7.8 5.6a8 8 0 1 0 8.4 0',
  folder: 'M3 6h6l2 2h10v11H3z',
  card: 'M3 6h18v12H3zM8 12a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM5 16c.5-2 2-3 3-3s2.5 1 3 3M14 10h4M14 14h4',
  help: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 17h.01',
  admin: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  file: 'M6 3h9l4 4v14H6zM14 3v5h5M12 11v6M9 14l3 3 3-3',
  mic: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3',
  speaker: 'M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11',
};

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element drawing `name`, hidden from screen readers (the control carries the name). */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name] ?? PATHS.help);
  svg.append(path);
  return svg;
}

/** Puts its icon at the start of every element under `root` that asks for one, once. */
export function drawIcons(root = document) {
  for (const element of root.querySelectorAll('[data-icon]')) {
    if (element.querySelector(':scope > svg.icon')) continue;
    element.prepend(icon(element.dataset.icon));
  }
}

/** Renames an icon-only button (its tooltip and its screen-reader name), keeping the icon. */
export function labelIconButton(button, label) {
  button.setAttribute('aria-label', label);
  button.title = label;
}
