// What the customer shows the technician from Instant Chat (issue 16): the screen, view only, or
// what a phone's camera sees (issue 22) — asked by the technician, chosen by the customer, sent
// as screen updates through the gateway and straight to the technician's browser where it can.
import { t } from '../lib/i18n.js';
import { cameras, canShareScreen, canShowCamera, pickCamera, pickScreen, streamScreen } from './screen-share.js';
import { canSendDirect, offerDirectPath } from './screen-direct.js';

const $ = (id) => document.getElementById(id);

/**
 * `send(type, fields)` and `sendBinary(bytes)` on the page's socket, `note(key, params)` in its
 * log, `technicianName()` as it is now. `lens` (lens-camera.js) in a Lens session: its camera,
 * allowed beforehand, is shown as soon as the technician asks, with the voices both ways.
 * Returns { message(message) → whether it was the sharing's, stop(key, tellGateway), lensReady() }.
 */
export function mountScreenSharing({ send, sendBinary, note, technicianName, lens = null }) {
  /** The screen shown to the technician from this page, while it is (issue 16), and its stream. */
  let sharing = null;
  let sharedStream = null;
  /** Its direct path to the technician's browser, while one is tried or up. */
  let direct = null;
  /** What the gateway allows for the direct path of the screen asked for; null: through the gateway only. */
  let webrtcSetup = null;
  /** A Lens session's request that came before the customer allowed the camera. */
  let lensWaiting = false;

  /** The technician asks to see the screen: the customer's click on "Share my screen" opens the
   * browser's picker; "Show my camera" shows what the camera sees instead (a phone has no screen to share). */
  function askForScreen(message) {
    webrtcSetup = message.webrtc ?? null;
    if (lens) {
      // The customer allowed the camera for this when they joined: it shows at once, or as soon as they allow it.
      if (lens.stream) shareScreen(true);
      else lensWaiting = true;
      return;
    }
    const box = $('screen-request');
    $('screen-request-text').textContent = t('screen.asks', { technician: message.technicianName });
    const screen = canShareScreen();
    const camera = canShowCamera();
    $('screen-share').hidden = !screen;
    $('screen-explain').hidden = !screen;
    $('screen-camera').hidden = !camera;
    $('screen-camera-explain').hidden = !camera;
    box.hidden = false;
    $(screen ? 'screen-share' : 'screen-camera').focus();
  }

  function answerScreen(accepted) {
    $('screen-request').hidden = true;
    send('remote_answer', { accepted });
  }

  /** `camera`: what the camera sees rather than the screen. */
  async function shareScreen(camera = false) {
    $('screen-request').hidden = true;
    let stream;
    try {
      // A Lens session's camera was allowed already: a copy of its picture is shared, so stopping
      // the sharing leaves the customer's own view (and the microphone) as they are.
      stream = lens ? new MediaStream(lens.stream.getVideoTracks().map((track) => track.clone()))
        : await (camera ? pickCamera() : pickScreen());
    } catch {
      // The customer closed the browser's picker, or the browser refused: that is a no.
      note('screen.notShared');
      send('remote_answer', { accepted: false });
      return;
    }
    send('remote_answer', { accepted: true });
    sharedStream = stream;
    pausedBy.background = false;
    pausedBy.customer = false;
    pausedNow = false;
    $('screen-pause').setAttribute('aria-pressed', 'false');
    const bar = $('screen-sharing');
    bar.dataset.updates = '0';
    bar.dataset.transport = 'frames';
    sharing = streamScreen(stream, {
      sendBinary: (bytes) => {
        // How many pictures went through the gateway, and which way they go now: for support staff and tests.
        bar.dataset.updates = String(Number(bar.dataset.updates) + 1);
        sendBinary(bytes);
      },
      onEnded: () => stopSharing('screen.youStopped', true),
    });
    startDirect(stream, camera);
    showCamera(camera ? stream.getVideoTracks()[0] : null);
    const key = camera ? 'screen.cameraSharing' : 'screen.sharing';
    $('screen-sharing-text').textContent = t(key, { technician: technicianName() });
    // A Lens customer pauses the picture or leaves (✕), as the manual has it; stopping it alone
    // would only have the technician's console ask for it again.
    $('screen-stop').hidden = Boolean(lens);
    $('screen-sharing').hidden = false;
    note(key, { technician: technicianName() });
  }

  /** The picture pauses while the page is in the background (a phone's other app, its screen off)
   * or while the customer paused it (Q4): nothing through the gateway, the direct path's picture off
   * (a Lens call's voices go on), the technician told; it resumes when both are over. */
  const pausedBy = { background: false, customer: false };
  let pausedNow = false;
  function applyPause() {
    const paused = pausedBy.background || pausedBy.customer;
    if (!sharing || paused === pausedNow) return;
    pausedNow = paused;
    if (paused) sharing.pause();
    else if ($('screen-sharing').dataset.transport !== 'webrtc') sharing.resume();
    for (const track of sharedStream?.getVideoTracks() ?? []) track.enabled = !paused;
    direct?.pause(paused);
    $('screen-sharing').dataset.paused = String(paused);
    send('remote_notice', { notice: { t: 'paused', paused } });
  }
  document.addEventListener('visibilitychange', () => {
    if (!sharing) return;
    const hidden = document.visibilityState === 'hidden';
    if (hidden === pausedBy.background) return;
    pausedBy.background = hidden;
    applyPause();
    if (!hidden && !pausedBy.customer) note('screen.wasPaused');
  });
  $('screen-pause').addEventListener('click', () => {
    if (!sharing) return;
    pausedBy.customer = !pausedBy.customer;
    $('screen-pause').setAttribute('aria-pressed', String(pausedBy.customer));
    applyPause();
    note(pausedBy.customer ? 'lens.youPaused' : 'lens.resumed');
  });

  /** The camera's buttons: Switch camera when there are several (front and back, Q2), and its torch. */
  async function showCamera(track) {
    const bar = $('screen-sharing');
    bar.dataset.camera = track?.label ?? '';
    showTorch(track);
    $('screen-pause').hidden = !track;
    $('screen-switch').hidden = !track || (await cameras()).length < 2;
  }

  /** The next camera shows instead, on the same sharing; the torch follows the camera. */
  async function switchCamera() {
    if (!sharing || !sharedStream) return;
    const list = await cameras();
    const shown = sharedStream.getVideoTracks()[0]?.getSettings().deviceId;
    const next = list[(list.findIndex((device) => device.deviceId === shown) + 1) % list.length];
    let stream;
    try {
      stream = await pickCamera(next.deviceId);
    } catch {
      // That camera is busy or was refused: the one shown stays.
      return;
    }
    if (!sharing) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const [track] = stream.getVideoTracks();
    sharedStream = stream;
    track.enabled = !pausedNow;
    sharing.replaceStream(stream);
    lens?.preview(track);
    // A new direct path for the new camera (an offer starts one, the console closes the last);
    // meanwhile the pictures go through the gateway, so the technician never loses sight.
    if (direct) {
      direct.close();
      direct = null;
      startDirect(stream, true);
    }
    await showCamera(track);
  }

  /** The camera's torch (Q4): offered when the camera has one (a phone's back camera), on and off by the customer. */
  function showTorch(track) {
    const button = $('screen-torch');
    const lit = (on) => button.setAttribute('aria-pressed', String(on));
    lit(false);
    button.hidden = !track?.getCapabilities?.().torch;
    button.onclick = async () => {
      const on = button.getAttribute('aria-pressed') !== 'true';
      try {
        await track.applyConstraints({ advanced: [{ torch: on }] });
        lit(on);
      } catch {
        // The camera refused (another app holds the torch): it stays as it was.
        lit(!on);
      }
    };
  }

  /** Offers the direct path to the technician's browser when the gateway allows one: while it is up
   * the pictures go straight there and pause through the gateway. */
  function startDirect(stream, camera) {
    if (!webrtcSetup || !canSendDirect()) return;
    const bar = $('screen-sharing');
    direct = offerDirectPath(stream, {
      camera,
      iceServers: webrtcSetup.iceServers,
      iceTransportPolicy: webrtcSetup.iceTransportPolicy ?? 'all',
      voice: lens ? { microphone: lens.microphone, onAudio: (track) => lens.playTechnician(track), onStats: (stats) => lens.stats(stats),
        onChannel: (channel) => lens.channel(channel) } : null,
      sendSignal: (signal) => send('webrtc_signal', { signal }),
      onTransport: (transport) => {
        if (!sharing) return;
        if (transport === 'webrtc') sharing.pause();
        else sharing.resume();
        bar.dataset.transport = transport;
        send('screen_transport', { transport });
      },
    });
  }

  /** Ends the sharing here; `tellGateway` when the customer ended it (not the technician). */
  function stopSharing(key, tellGateway) {
    if (!sharing) return;
    const stopping = sharing;
    sharing = null;
    sharedStream = null;
    direct?.close();
    direct = null;
    stopping.stop();
    $('screen-sharing').hidden = true;
    if (tellGateway) send('remote_ended', { reason: 'The customer stopped sharing their screen.' });
    note(key);
  }

  $('screen-share').addEventListener('click', () => shareScreen(false));
  $('screen-camera').addEventListener('click', () => shareScreen(true));
  $('screen-switch').addEventListener('click', switchCamera);
  $('screen-not-now').addEventListener('click', () => answerScreen(false));
  $('screen-stop').addEventListener('click', () => stopSharing('screen.youStopped', true));

  return {
    stop: stopSharing,
    /** The Lens customer allowed the camera: a request that waited for it is answered now. */
    lensReady() {
      if (!lensWaiting) return;
      lensWaiting = false;
      shareScreen(true);
    },
    /** A socket message about what the customer shows; false when it is not one. */
    message(message) {
      switch (message.type) {
        case 'remote_request':
          // Only the view can be shown from a browser; the gateway refuses control before it gets here.
          if (message.mode === 'view' && (lens || canShareScreen() || canShowCamera()) && !sharing) askForScreen(message);
          else send('remote_answer', { accepted: false });
          return true;
        case 'remote_stop':
          $('screen-request').hidden = true;
          lensWaiting = false;
          stopSharing('screen.ended', false);
          return true;
        case 'frame_ack':
          sharing?.acknowledged(message.sequence);
          return true;
        case 'remote_settings':
          sharing?.setQuality(message.quality);
          direct?.setQuality(message.quality);
          return true;
        case 'webrtc_signal':
          direct?.receive(message.signal);
          return true;
        case 'screen_refresh':
          // A technician started watching, or one fell behind: the whole picture with the next update.
          sharing?.refresh();
          return true;
        case 'remote_viewers':
          if (sharing) note('screen.viewers', { names: message.names.join(', ') });
          return true;
        default:
          return false;
      }
    },
  };
}
