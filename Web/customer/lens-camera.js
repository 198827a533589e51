// The customer's side of a Lens session (Q1, Q2, Q4): the phone's camera and microphone, allowed
// by the customer with one tap (browsers ask only after a gesture, and iOS plays sound only after
// one), shown on the page before anything is sent; the customer mutes their microphone, and the
// technician's voice plays here. The picture goes to the technician when they start the session
// (chat-screen.js takes the stream then).
import { t } from '../lib/i18n.js';
import { mountLensInk } from './lens-ink.js';

const $ = (id) => document.getElementById(id);

/** The back camera at 720p and the microphone with echo cancellation (the phone is a speakerphone). */
const CONSTRAINTS = {
  video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
};

/**
 * `note(key)` writes in the page's log, `onReady()` is called once the camera is allowed,
 * `onMuted(muted)` when the microphone goes off or on (by the customer, or by the phone during a call).
 */
export function mountLensCamera({ note, onReady, onMuted }) {
  const panel = $('lens-panel');
  const preview = $('lens-preview');
  const allow = $('lens-allow');
  const mute = $('lens-mute');
  const error = $('lens-error');
  let stream = null;
  let microphone = null;
  let voice = null;
  const ink = mountLensInk({ note });

  /** The customer muted or unmuted: the button, their log and the technician say so. */
  function setMuted(muted) {
    mute.setAttribute('aria-pressed', String(muted));
    note(muted ? 'lens.micOff' : 'lens.micOn');
    onMuted(muted);
  }

  async function ask() {
    error.hidden = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
    } catch {
      // No microphone (or it was refused alone): the camera still shows the device, the chat carries the words.
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: CONSTRAINTS.video, audio: false });
        note('lens.noMicrophone');
      } catch {
        error.textContent = t('lens.denied');
        error.hidden = false;
        return;
      }
    }
    [microphone = null] = stream.getAudioTracks();
    if (microphone) {
      // A phone call takes the microphone away: the technician is told, as when the customer mutes.
      microphone.addEventListener('mute', () => onMuted(true));
      microphone.addEventListener('unmute', () => onMuted(!microphone.enabled));
    }
    preview.srcObject = new MediaStream(stream.getVideoTracks());
    preview.play().catch(() => {});
    allow.hidden = true;
    $('lens-explain').hidden = true;
    mute.hidden = !microphone;
    panel.dataset.ready = 'true';
    onReady();
  }

  allow.addEventListener('click', ask);
  mute.addEventListener('click', () => {
    if (!microphone) return;
    microphone.enabled = !microphone.enabled;
    setMuted(!microphone.enabled);
  });

  return {
    show() {
      panel.hidden = false;
      panel.closest('main').classList.add('lens');
      allow.focus();
    },
    /** The camera and microphone once allowed, else null. */
    get stream() { return stream; },
    get microphone() { return microphone; },
    /** The picture shown here follows the camera the customer switched to. */
    preview(track) {
      preview.srcObject = new MediaStream([track]);
      preview.play().catch(() => {});
    },
    /** The call's health (screen-direct.js `callStats`), kept on the panel for support staff and tests. */
    stats({ path, audioReceived, audioEnergy, audioSent }) {
      Object.assign(panel.dataset, { path, audioReceived: String(audioReceived), audioEnergy: String(audioEnergy), audioSent: String(audioSent) });
    },
    /** The call's data channel: the technician's drawings and the freeze. */
    channel: (opened) => ink.channel(opened),
    /** The technician's voice, on the direct path. */
    playTechnician(track) {
      voice?.remove();
      voice = document.createElement('audio');
      voice.id = 'lens-voice';
      voice.autoplay = true;
      voice.srcObject = new MediaStream([track]);
      voice.hidden = true;
      document.body.append(voice);
      voice.play().catch(() => { /* plays with the customer's next tap */ });
    },
  };
}
