// A vertical splitter between two panes (the chat's width, issue 15): drag it, or focus it and
// use the arrow keys (Home / End for the narrowest and widest). The width is kept in this
// browser, for the next visit.
export function mountSplitter(handle, { target, variable, storageKey, min, max, defaultWidth }) {
  const container = handle.parentElement;
  const clamp = (width) => Math.round(Math.min(max(), Math.max(min, width)));
  function set(width) {
    const value = clamp(width);
    container.style.setProperty(variable, `${value}px`);
    handle.setAttribute('aria-valuemin', String(min));
    handle.setAttribute('aria-valuemax', String(Math.round(max())));
    handle.setAttribute('aria-valuenow', String(value));
    return value;
  }
  // Without a saved width the style sheet's default stands (the pane is not laid out yet here).
  const saved = Number(localStorage.getItem(storageKey));
  if (saved > 0) set(saved);
  else handle.setAttribute('aria-valuenow', String(defaultWidth));
  const save = (value) => localStorage.setItem(storageKey, String(value));
  // In a right-to-left page the chat sits on the right: dragging left widens it.
  const direction = () => (getComputedStyle(container).direction === 'rtl' ? -1 : 1);

  handle.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = target.getBoundingClientRect().width;
    const move = (moved) => save(set(startWidth + (moved.clientX - startX) * direction()));
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', () => handle.removeEventListener('pointermove', move), { once: true });
  });
  handle.addEventListener('keydown', (event) => {
    const width = target.getBoundingClientRect().width;
    const step = event.shiftKey ? 64 : 16;
    const next = {
      ArrowRight: width + step * direction(), ArrowLeft: width - step * direction(), Home: min, End: max(),
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    save(set(next));
  });
}
