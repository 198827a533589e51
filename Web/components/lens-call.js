// The voices of a Lens session (Q2): the technician's microphone goes to the customer's phone and
// the customer's voice plays here, both on the direct path the picture takes (remote-direct.js);
// the technician mutes either, the bar says whether the call is direct or relayed by the TURN
// server, and that the customer muted their microphone. Through the gateway there is no voice.
import { t } from '../lib/i18n.js';
import { callStats } from '../lib/call-stats.js';

/** How often the call's statistics are read for the bar (and for support staff and tests). */
const STATS_EVERY_MS = 1000;

/** `elements`: { group, mic, speaker, path }. */
export function mountLensCall({ group, mic, speaker, path }) {
  /** Per session: { microphone (promise of a track or null) and micTrack once it came, audio (the
   * customer's voice playing) and customerTrack, connection, noMicrophone, micMuted, speakerMuted, customerMuted }. */
  const calls = new Map();
  let shown = null;
  let timer = null;

  function callOf(id) {
    if (!calls.has(id)) calls.set(id, { microphone: null, audio: null, connection: null, micMuted: false, speakerMuted: false, customerMuted: false });
    return calls.get(id);
  }

  /** The technician's microphone for session `id`, asked once; null when there is none or it was refused. */
  function microphone(id) {
    const call = callOf(id);
    call.microphone ??= navigator.mediaDevices?.getUserMedia
      ? navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } })
        .then((stream) => {
          const [track] = stream.getAudioTracks();
          track.enabled = !call.micMuted;
          call.micTrack = track;
          return track;
        })
        .catch(() => null)
      : Promise.resolve(null);
    return call.microphone;
  }

  /** The customer's voice, played here unless the technician muted it. */
  function play(id, track) {
    const call = callOf(id);
    call.audio?.remove();
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.muted = call.speakerMuted;
    audio.srcObject = new MediaStream([track]);
    audio.dataset.session = id;
    audio.hidden = true;
    document.body.append(audio);
    audio.play().catch(() => { /* autoplay waits for the technician's next click */ });
    call.audio = audio;
    call.customerTrack = track;
  }

  /** The path's statistics into the bar: direct or relayed, and how much voice came and went. */
  async function readStats() {
    const call = shown ? calls.get(shown.id) : null;
    if (!call?.connection) return;
    const stats = await call.connection.getStats().catch(() => null);
    if (!stats) return;
    const reading = callStats(stats);
    // Kept on the bar for support staff (the browser's inspector) and tests.
    for (const [name, value] of Object.entries(reading)) group.dataset[name] = value === null ? '' : String(value);
    render();
  }

  function render() {
    const call = shown ? calls.get(shown.id) : null;
    group.hidden = !shown || shown.type !== 'lens' || !shown.picture;
    if (group.hidden) return;
    mic.setAttribute('aria-pressed', String(Boolean(call?.micMuted)));
    speaker.setAttribute('aria-pressed', String(Boolean(call?.speakerMuted)));
    const parts = [];
    if (!call?.connection) parts.push(t('lens.path.gateway'));
    else if (group.dataset.path) parts.push(t(`lens.path.${group.dataset.path}`));
    if (call?.noMicrophone) parts.push(t('lens.noMicrophone'));
    if (call?.customerMuted) parts.push(t('lens.customerMuted'));
    path.textContent = parts.join(' · ');
  }

  mic.addEventListener('click', () => {
    if (!shown) return;
    const call = callOf(shown.id);
    call.micMuted = !call.micMuted;
    // A microphone still being asked for takes the choice when it comes (`microphone`).
    if (call.micTrack) call.micTrack.enabled = !call.micMuted;
    render();
  });
  speaker.addEventListener('click', () => {
    if (!shown) return;
    const call = callOf(shown.id);
    call.speakerMuted = !call.speakerMuted;
    if (call.audio) {
      call.audio.muted = call.speakerMuted;
      call.audio.play().catch(() => {});
    }
    render();
  });

  return {
    microphone,
    /** The direct path's connection came up (or went: null); its voices follow it. */
    async connected(id, connection) {
      const call = callOf(id);
      call.connection = connection;
      if (connection) call.noMicrophone = (await microphone(id)) === null;
      render();
    },
    /** The customer's voice arrived on the direct path. */
    audio: play,
    /** Both voices of the call, for its recording. */
    voices(id) {
      const call = calls.get(id);
      return [call?.customerTrack, call?.micTrack].filter((track) => track && track.readyState === 'live');
    },
    /** The customer muted their microphone, or turned it back on. */
    customerMuted(id, muted) {
      callOf(id).customerMuted = muted;
      render();
    },
    /** The session shown, with `picture`: whether its camera is on screen now. */
    show(session, picture) {
      shown = session ? { id: session.id, type: session.type, picture } : null;
      clearInterval(timer);
      timer = shown?.type === 'lens' && picture ? setInterval(readStats, STATS_EVERY_MS) : null;
      render();
    },
    /** The picture ended: the voices end with it, the microphone is let go. */
    close(id) {
      const call = calls.get(id);
      if (!call) return;
      call.audio?.remove();
      call.microphone?.then((track) => track?.stop());
      calls.delete(id);
      render();
    },
  };
}
