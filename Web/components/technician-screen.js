// The technician's own screen shown to the customer (H1, the manual's "Partage d'écran"): one click
// on Share screen asks the browser which screen to show and starts; another click stops. The
// pictures go up the console socket as binary frames (the session id in front, then a screen
// update, as the customer's come down): VP8 video where the browser has WebCodecs, changed JPEG
// tiles elsewhere and for an administrator watching (E1). The customer's applet acknowledges each
// one it drew, which paces them. The gateway says who shares in each session, and why a sharing ended.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { canShareScreen, pickScreen, streamScreen } from '../customer/screen-share.js';
import { encodeScreenUpdate } from '../lib/screen-frames.js';
import { canStreamVideo, streamVideo } from '../lib/screen-video.js';

/** A technician's office line carries a screen at the frame rate the remote desktop has. */
const TECHNICIAN_RATE = 30;
/** Screens a technician shows at once (the customer switches between them). */
const MAX_SCREENS = 4;

/** The key of a streamed screen: the frame id, and which of the technician's screens after the first. */
const streamKey = (frameId, screen) => (screen ? `${frameId}#${screen}` : frameId);

/** A binary console frame: the session id's length, the id (ASCII), then the update. */
export function consoleFrame(sessionId, update) {
  const id = new TextEncoder().encode(sessionId);
  const frame = new Uint8Array(1 + id.length + update.length);
  frame[0] = id.length;
  frame.set(id, 1);
  frame.set(update, 1 + id.length);
  return frame;
}

/** Whether `session` lets its technician show their screen now: the lead while Active, a colleague while collaborating. */
export function mayShareIn(session, isColleague) {
  return Boolean(session) && (isColleague ? session.state === 'collaboration' : session.state === 'active');
}

export function mountTechnicianScreen(button, addButton, { me, canUse, isColleague, sendBinary, onError }) {
  /** Every screen this console shows, by `streamKey` (a session's id, or `monitoring:<id>`; `#n` for more screens): its streamer. */
  const streams = new Map();
  /** The session whose customer sees this technician's screen, if any. */
  let sharedSessionId = null;
  /** Who shares in each session, as the gateway last said: sessionId → technician name. */
  const sharers = new Map();
  let shown = null;

  /** The button's state: offered where the technician may share, pressed while they share there. */
  function label() {
    const colleague = shown ? isColleague(shown) : false;
    button.hidden = !canUse('share_screen');
    // A sharing that just started may already be announced by the gateway: the sharer is this console.
    button.disabled = !canShareScreen() || !mayShareIn(shown, colleague) || (sharers.has(shown.id) && sharedSessionId !== shown.id);
    const mineHere = sharedSessionId !== null && sharedSessionId === shown?.id;
    button.setAttribute('aria-pressed', String(mineHere));
    addButton.hidden = !mineHere;
    addButton.disabled = screensOf(sharedSessionId).length >= MAX_SCREENS;
    button.querySelector('span').textContent = t(mineHere ? 'toolbar.stopSharing' : 'toolbar.shareScreen');
    const other = shown && !mineHere ? sharers.get(shown.id) : null;
    button.title = !canShareScreen() ? t('shareScreen.unsupported') : other ? t('shareScreen.sharedBy', { name: other }) : '';
  }

  /** The screens streamed under `frameId`, in order. */
  function screensOf(frameId) {
    return [...streams.keys()].filter((key) => key === frameId || key.startsWith(`${frameId}#`));
  }

  /**
   * Asks the browser for a screen, runs `before` (the gateway's agreement), then streams it as
   * frames named `frameId` (as the technician's `screen`th after the first) until stopped or ended
   * from the browser's bar (`onEnded`). Returns the streamer, or null when the picker was closed
   * or `before` failed (said through onError).
   */
  async function share(frameId, before, onEnded, screen = 0) {
    let stream;
    try {
      stream = await pickScreen(TECHNICIAN_RATE);
    } catch {
      return null;  // The technician closed the browser's picker: nothing starts.
    }
    // The customer's applet decodes video; an administrator's second console could not join one midway.
    const video = !frameId.startsWith('monitoring:') && await canStreamVideo(TECHNICIAN_RATE);
    try {
      await before();
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      onError(error);
      return null;
    }
    const key = streamKey(frameId, screen);
    const ended = () => {
      if (streams.get(key) !== streamer) return;
      streams.delete(key);
      onEnded();
    };
    const options = { maxRate: TECHNICIAN_RATE, screen, sendBinary: (update) => sendBinary(consoleFrame(frameId, update)), onEnded: ended };
    const streamer = video
      ? streamVideo(stream, { ...options, onFailure: (error) => { ended(); onError(error); } })
      : streamScreen(stream, options);
    streams.set(key, streamer);
    return streamer;
  }

  /** Stops every screen streamed under `frameId`. */
  function stopStream(frameId) {
    for (const key of screensOf(frameId)) {
      streams.get(key).stop();
      streams.delete(key);
    }
  }

  /** One more screen for the customer (they switch between them); when it ends, the applet lets it go. */
  async function addScreen(sessionId) {
    const taken = new Set(screensOf(sessionId));
    const screen = Array.from({ length: MAX_SCREENS - 1 }, (_, index) => index + 1).find((n) => !taken.has(streamKey(sessionId, n)));
    if (!screen) return;
    await share(sessionId, async () => {}, () => {
      // An update of 0 × 0 for that screen: it is no longer shared.
      sendBinary(consoleFrame(sessionId, encodeScreenUpdate({ sequence: 0, width: 0, height: 0, tiles: [], screen })));
      label();
    }, screen);
    label();
  }

  async function stop(tellGateway) {
    const sessionId = sharedSessionId;
    if (sessionId === null) return;
    sharedSessionId = null;
    stopStream(sessionId);
    label();
    if (tellGateway) {
      try {
        await api(`sessions/${sessionId}/technician-screen`, { method: 'DELETE' });
      } catch (error) {
        // Already stopped on the gateway's side (the customer closed it): nothing to undo.
        if (error.code !== 'not_sharing') onError(error);
      }
    }
  }

  async function start(session) {
    const sessionId = session.id;
    const started = await share(sessionId, () => api(`sessions/${sessionId}/technician-screen`, { method: 'POST' }),
      // Stopped from the browser's own "Stop sharing" bar.
      () => { if (sharedSessionId === sessionId) stop(true); });
    if (started) sharedSessionId = sessionId;
    label();
  }

  addButton.addEventListener('click', () => {
    if (sharedSessionId !== null && sharedSessionId === shown?.id) addScreen(sharedSessionId);
  });

  button.addEventListener('click', async () => {
    if (!shown) return;
    if (sharedSessionId === shown.id) {
      await stop(true);
      return;
    }
    if (sharedSessionId !== null) await stop(true);
    await start(shown);
  });

  return {
    share,
    stopStream,
    /** Pictures that were on their way when a sharing ended come back refused: nothing to tell the technician. */
    isLateRefusal(error) {
      return error.code === 'unexpected_frame' && Boolean(error.sessionId) && screensOf(error.sessionId).length === 0;
    },
    /** The selected session: the button is offered where the technician may share. */
    show(session) {
      shown = session;
      label();
    },
    /** `technician_screen`, `technician_screen_ack` and `technician_screen_quality` from the gateway. */
    message(message) {
      if (message.type === 'technician_screen_quality') {
        // The customer chose fewer colours (or the best again): every screen shown there follows.
        for (const key of screensOf(message.sessionId)) streams.get(key).setQuality(message.quality);
        return;
      }
      if (message.type === 'technician_screen_ack') {
        streams.get(streamKey(message.sessionId, message.screen))?.acknowledged(message.sequence, message.refresh === true);
        return;
      }
      if (message.technicianId) sharers.set(message.sessionId, message.technicianName);
      else sharers.delete(message.sessionId);
      if (sharedSessionId === message.sessionId && message.technicianId !== me()?.id) {
        stop(false);
        if (message.reason === 'closed_by_customer') onError(new Error(t('shareScreen.closedByCustomer')));
      }
      label();
    },
  };
}
