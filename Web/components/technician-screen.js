// The technician's own screen shown to the customer (H1, the manual's "Partage d'écran"): one click
// on Share screen asks the browser which screen to show and starts; another click stops. The
// pictures go up the console socket as binary frames (the session id in front, then a screen
// update, as the customer's come down); the customer's applet acknowledges each one it drew, which
// paces them. The gateway says who shares in each session, and why a sharing ended.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { canShareScreen, pickScreen, streamScreen } from '../customer/screen-share.js';

/** A technician's office line carries a screen at the frame rate the remote desktop has. */
const TECHNICIAN_RATE = 30;

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

export function mountTechnicianScreen(button, { me, canUse, isColleague, sendBinary, onError }) {
  /** Every screen this console shows, by frame id (a session's id, or `monitoring:<id>`): its streamer. */
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
    button.querySelector('span').textContent = t(mineHere ? 'toolbar.stopSharing' : 'toolbar.shareScreen');
    const other = shown && !mineHere ? sharers.get(shown.id) : null;
    button.title = !canShareScreen() ? t('shareScreen.unsupported') : other ? t('shareScreen.sharedBy', { name: other }) : '';
  }

  /**
   * Asks the browser for a screen, runs `before` (the gateway's agreement), then streams it as
   * frames named `frameId` until stopped or ended from the browser's bar (`onEnded`). Returns the
   * streamer, or null when the picker was closed or `before` failed (said through onError).
   */
  async function share(frameId, before, onEnded) {
    let stream;
    try {
      stream = await pickScreen(TECHNICIAN_RATE);
    } catch {
      return null;  // The technician closed the browser's picker: nothing starts.
    }
    try {
      await before();
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      onError(error);
      return null;
    }
    const streamer = streamScreen(stream, {
      maxRate: TECHNICIAN_RATE,
      sendBinary: (update) => sendBinary(consoleFrame(frameId, update)),
      onEnded: () => {
        if (streams.get(frameId) !== streamer) return;
        streams.delete(frameId);
        onEnded();
      },
    });
    streams.set(frameId, streamer);
    return streamer;
  }

  function stopStream(frameId) {
    streams.get(frameId)?.stop();
    streams.delete(frameId);
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
      return error.code === 'unexpected_frame' && Boolean(error.sessionId) && !streams.has(error.sessionId);
    },
    /** The selected session: the button is offered where the technician may share. */
    show(session) {
      shown = session;
      label();
    },
    /** `technician_screen` and `technician_screen_ack` from the gateway. */
    message(message) {
      if (message.type === 'technician_screen_ack') {
        streams.get(message.sessionId)?.acknowledged(message.sequence);
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
