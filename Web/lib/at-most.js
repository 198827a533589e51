// Work run at most `count` at a time, the rest waiting in turn: several listings at once keep a
// tree of many folders from waiting on each one's round trip, and a few only keep the gateway's
// limit of requests waiting per session (64) far away.

/** Returns `run(work)`: `work()` once fewer than `count` others run, its result. */
export function atMost(count) {
  let running = 0;
  const queue = [];
  return async (work) => {
    // A work that ends hands its turn to the next one waiting.
    if (running >= count) await new Promise((resolve) => queue.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next(); else running -= 1;
    }
  };
}
