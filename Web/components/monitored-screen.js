// A monitored technician's screen in the administrator's monitoring view (E1): *See their screen*
// asks; the technician's console asks them and their browser's picker is their agreement; the
// pictures come as binary frames named `monitoring:<id>` and are drawn on a canvas, each one
// acknowledged (the technician's console sends at most two ahead). *Stop watching their screen*
// ends it; the monitoring goes on.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { paintFitted } from '../lib/screen-paint.js';

export const MONITORING_FRAME_PREFIX = 'monitoring:';

export function mountMonitoredScreen(section, { send, onError }) {
  const ask = section.querySelector('#monitoring-screen-ask');
  const stop = section.querySelector('#monitoring-screen-stop');
  const status = section.querySelector('#monitoring-screen-status');
  const canvas = section.querySelector('#monitoring-screen canvas');
  let shown = null;
  /** The monitoring whose pictures the canvas holds. */
  let drawnFor = null;
  let drawing = Promise.resolve();

  async function call(method) {
    if (!shown) return;
    try {
      await api(`monitorings/${shown.id}/screen`, { method });
    } catch (error) {
      onError(error);
    }
  }
  ask.addEventListener('click', () => call('POST'));
  stop.addEventListener('click', () => call('DELETE'));

  return {
    /** The monitoring shown in the view (its summary), or null. */
    show(summary) {
      shown = summary;
      const screen = summary?.screen ?? 'none';
      ask.hidden = !summary || summary.state !== 'active' || screen === 'shared' || screen === 'asked';
      stop.hidden = !summary || !['asked', 'shared'].includes(screen);
      status.textContent = summary && screen !== 'none' ? t(`monitor.screen.${screen}`) : '';
      canvas.hidden = !summary || screen !== 'shared' || drawnFor !== summary.id;
    },
    /** A decoded binary frame named `monitoring:<id>`. */
    frame(frameId, update) {
      const monitoringId = frameId.slice(MONITORING_FRAME_PREFIX.length);
      drawing = drawing.then(async () => {
        await paintFitted(canvas, update);
        drawnFor = monitoringId;
        if (shown?.id === monitoringId && shown.screen === 'shared') canvas.hidden = false;
        send('frame_ack', { sessionId: frameId, sequence: update.sequence });
      }).catch((error) => console.warn('A picture of the technician\'s screen could not be drawn:', error));
    },
  };
}
