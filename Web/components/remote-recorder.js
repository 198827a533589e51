// Screen recording (J14): the console records the customer's screen it shows (the canvas) with
// the browser's MediaRecorder, in the WebM format the administrator chose, and uploads it to
// the gateway a piece a second, where it is kept with the session. The gateway checks the
// permission and tells the customer.
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

  async function start(id, canvas) {
    let started;
    try {
      started = await api(`sessions/${id}/recordings`, { method: 'POST' });
    } catch (error) {
      status.textContent = describeError(error);
      return;
    }
    const recordingId = started.recording.id;
    const mimeType = MediaRecorder.isTypeSupported(started.mimeType) ? started.mimeType : 'video/webm';
    const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType });
    const entry = { recorder, recordingId, uploads: Promise.resolve() };
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size === 0) return;
      // In order, one at a time: the file is the pieces end to end.
      entry.uploads = entry.uploads
        .then(() => api(`sessions/${id}/recordings/${recordingId}/pieces`, { method: 'POST', body: event.data }))
        .catch((error) => { status.textContent = t('remote.recordingLost', { reason: describeError(error) }); });
    });
    recorder.addEventListener('stop', () => {
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
    toggle(id, canvas) {
      if (running.has(id)) stop(id);
      else start(id, canvas);
    },
    /** The remote desktop ended: the recording ends with it. */
    stop,
  };
}
