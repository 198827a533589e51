// Long work's time kept as a performance measure (`performance.getEntriesByType('measure')`):
// the file manager's benchmark prints its plan's and copies' parts from them.

/** `work`, its time kept as a performance measure (the file manager's benchmark prints them). */
export async function measured(name, work) {
  const start = performance.now();
  try {
    return await work;
  } finally {
    performance.measure(name, { start, end: performance.now() });
  }
}
