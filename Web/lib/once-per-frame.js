// Work asked for many times within a frame, done once at its end (once per 50 ms while the
// page is hidden, when frames do not come).
export function oncePerFrame(work) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    const run = () => {
      pending = false;
      work();
    };
    if (document.hidden) setTimeout(run, 50); else requestAnimationFrame(run);
  };
}
