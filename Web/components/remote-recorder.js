// Screen recording (J14): the console records the customer's screen it shows (the canvas) with
// the browser's MediaRecorder, in the WebM format the administrator chose, and uploads it to
// the gateway a piece a second, where it is kept with the session. The gateway checks the
// permission and tells the customer. A Lens call's recording (Q3) has the technician's drawings on
// the picture and both voices.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { labelIconButton } from '../lib/icons.js';

export function mountRecorder(button, { status }) {
  /** Per session id: { recorder, recordingId, uploads (promise chain) }. */
  const running = new Map();

  function render(id) {
    const on = running.has(id);
    button.setAttribute('aria-pressed', String(on));
    labelIconButton(button, t(on ? 'remote.recordStop' : 'remote.record'));
    button.classList.toggle('recording', on);
  }

  /** What is recorded: the canvas; in a Lens call (`lens`: { ink, voices }) the canvas with the
   * drawings over it, and the voices mixed into one track. */
  function recorded(canvas, lens) {
    if (!lens) return { stream: canvas.captureStream(15), stopMixing: () => {} };
    const mixed = document.createElement('canvas');
    const paint = () => {
      if (mixed.width !== canvas.width || mixed.height !== canvas.height) {
        mixed.width = canvas.width;
        mixed.height = canvas.height;
      }
      const context = mixed.getContext('2d');
      context.drawImage(canvas, 0, 0);
      context.drawImage(lens.ink, 0, 0, mixed.width, mixed.height);
    };
    paint();
    const painter = setInterval(paint, 1000 / 15);
    const stream = mixed.captureStream(15);
    let audio = null;
    if (lens.voices.length > 0) {
      audio = new AudioContext();
      const mix = audio.createMediaStreamDestination();
      for (const track of lens.voices) audio.createMediaStreamSource(new MediaStream([track])).connect(mix);
      audio.resume().catch(() => {});
      stream.addTrack(mix.stream.getAudioTracks()[0]);
    }
    return {
      stream,
      stopMixing: () => {
        clearInterval(painter);
        audio?.close().catch(() => {});
      },
    };
  }

  async function start(id, canvas, lens) {
    let started;
    try {
      started = await api(`sessions/${id}/recordings`, { method: 'POST' });
    } catch (error) {
      status.textContent = describeError(error);
      return;
    }
    const recordingId = started.recording.id;
    const { stream, stopMixing } = recorded(canvas, lens);
    const voiced = stream.getAudioTracks().length > 0 ? started.mimeType.replace(/codecs=(vp8|vp9)$/, 'codecs=$1,opus') : started.mimeType;
    const mimeType = [voiced, started.mimeType, 'video/webm'].find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(stream, { mimeType });
    const entry = { recorder, recordingId, uploads: Promise.resolve(), stopMixing };
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size === 0) return;
      // In order, one at a time: the file is the pieces end to end.
      entry.uploads = entry.uploads
        .then(() => api(`sessions/${id}/recordings/${recordingId}/pieces`, { method: 'POST', body: event.data }))
        .catch((error) => { status.textContent = t('remote.recordingLost', { reason: describeError(error) }); });
    });
    recorder.addEventListener('stop', () => {
      entry.stopMixing();
      entry.uploads = entry.uploads.then(() => api(`sessions/${id}/recordings/${recordingId}/stop`, { method: 'POST' }))
        .then(() => { status.textContent = t('remote.recordingSaved'); })
        .catch(() => {});
    });
    running.set(id, entry);
    recorder.start(1000);
    render(id);
  }

  function stop(id) {
    const entry = running.get(id);
    if (!entry) return;
    running.delete(id);
    if (entry.recorder.state !== 'inactive') entry.recorder.stop();
    render(id);
  }

  return {
    render,
    /** `lens` ({ ink, voices }): a Lens call's drawings and voices go in the recording too. */
    toggle(id, canvas, lens = null) {
      if (running.has(id)) stop(id);
      else start(id, canvas, lens);
    },
    /** The remote desktop ended: the recording ends with it. */
    stop,
  };
}
