// A shared screen's frames paced by the viewer's acknowledgements (the customer's screen from a
// browser, the technician's screen as pictures or video): at most `window` updates unanswered and
// `maxRate` a second. A frame that comes while none may go waits as the one pending — a newer one
// replaces it, so a slow viewer gets fewer, fresher pictures — and goes as soon as one may.

/**
 * Reads the frames of `track` as the browser hands them over: Chrome and Edge's track processor
 * delivers them as they come, even with the tab in the background (where timers slow down);
 * elsewhere a playing video is drawn on a timer. `offer` gets each frame (a VideoFrame, or
 * { source, width, height }); the reading ends when `stopped()` says so or the track ends.
 */
export function readFrames(stream, { offer, stopped, maxRate }) {
  const [track] = stream.getVideoTracks();
  if (typeof MediaStreamTrackProcessor === 'function') {
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    (async () => {
      while (!stopped()) {
        const { value, done } = await reader.read();
        if (done) break;
        offer(value);
      }
    })().catch(() => { /* the track ended: its `ended` event says so */ });
    return;
  }
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  video.play();
  const timer = setInterval(() => {
    if (stopped()) clearInterval(timer);
    else if (video.videoWidth > 0) offer({ source: video, width: video.videoWidth, height: video.videoHeight });
  }, 1000 / maxRate);
}

/**
 * `send(frame)` sends one frame (it calls `sent()` for each update it numbers and sends) and may
 * be slow; `drop(frame)` tells whether a frame goes nowhere at all (a pause). Returns { offer,
 * sent, acknowledged, forgetInFlight, dropPending, stop, sequence }.
 */
export function framePacer({ window, maxRate, send, drop = () => false }) {
  let sequence = 0;
  let drawn = 0;
  let lastSentAt = 0;
  let busy = false;
  let stopped = false;
  let pending = null;

  const inFlight = () => sequence - drawn;
  const close = (frame) => frame?.close?.();

  async function offer(frame) {
    if (stopped || drop(frame)) {
      close(frame);
      return;
    }
    if (busy || inFlight() >= window || performance.now() - lastSentAt < 1000 / maxRate) {
      close(pending);
      pending = frame;
      // Held back by the rate alone: it goes when the interval is up, for no sending or
      // acknowledgement may come to release it (a screen that stopped changing sends no more frames).
      if (!busy && inFlight() < window) flushSoon();
      return;
    }
    busy = true;
    try {
      await send(frame);
    } finally {
      close(frame);
      busy = false;
    }
    // A frame that came while this one was sent goes as soon as it may.
    if (pending && inFlight() < window) flushSoon();
  }

  function flushSoon() {
    const waited = 1000 / maxRate - (performance.now() - lastSentAt);
    setTimeout(() => {
      if (!pending || busy) return;
      const next = pending;
      pending = null;
      offer(next);
    }, Math.max(0, waited));
  }

  return {
    offer,
    /** The sender numbers its next update: returns its sequence. */
    sent() {
      sequence += 1;
      lastSentAt = performance.now();
      return sequence;
    },
    /** The viewer drew update `acknowledged`: the window opens for the next. */
    acknowledged(acknowledged) {
      if (acknowledged > drawn && acknowledged <= sequence) drawn = acknowledged;
      if (pending && !busy) flushSoon();
    },
    /** What is in flight will never be acknowledged (the viewer starts afresh). */
    forgetInFlight() {
      drawn = sequence;
      if (pending && !busy) flushSoon();
    },
    dropPending() {
      close(pending);
      pending = null;
    },
    stop() {
      stopped = true;
      close(pending);
      pending = null;
    },
    get sequence() { return sequence; },
  };
}

/**
 * The end of a shared screen, once: the pacer and the browser's capture stop (and `alsoStop`);
 * when the browser's own bar ends the capture, `onEnded` is told. Returns { stop(), stopped }.
 */
export function sharingEnd(stream, pacer, { onEnded, alsoStop = () => {} }) {
  let stopped = false;
  let current = stream;
  function stop() {
    if (stopped) return;
    stopped = true;
    pacer.stop();
    alsoStop();
    for (const each of current.getTracks()) each.stop();
  }
  function watch(watched) {
    watched.getVideoTracks()[0].addEventListener('ended', () => {
      // A stream replaced meanwhile (another camera) ended on purpose.
      if (stopped || watched !== current) return;
      stop();
      onEnded();
    });
  }
  watch(stream);
  return {
    stop,
    get stopped() { return stopped; },
    /** Another stream takes over (the customer switched cameras): the old one ends quietly. */
    replace(next) {
      const old = current;
      current = next;
      watch(next);
      for (const each of old.getTracks()) each.stop();
    },
  };
}
