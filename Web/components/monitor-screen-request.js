// The monitored technician's side of E1's screen: an administrator asks to see their screen; a
// banner asks them, and *Share my screen* opens the browser's picker — their choice is their
// agreement (*Decline* says no). While shared the banner says so and *Stop sharing* ends it; so
// does the administrator stopping or the monitoring ending.
import { t } from '../lib/i18n.js';

export function mountMonitorScreenRequest(banner, { technicianScreen, send }) {
  const text = banner.querySelector('#monitor-screen-text');
  const shareButton = banner.querySelector('#monitor-screen-share');
  const declineButton = banner.querySelector('#monitor-screen-decline');
  const endButton = banner.querySelector('#monitor-screen-end');
  /** The administrator's request: { monitoringId, administratorName }, and whether it is being shared. */
  let request = null;
  let sharing = false;

  const frameId = () => `monitoring:${request.monitoringId}`;

  function render() {
    banner.hidden = !request;
    if (!request) return;
    text.textContent = t(sharing ? 'monitor.screenShared' : 'monitor.screenRequest', { name: request.administratorName });
    shareButton.hidden = sharing;
    declineButton.hidden = sharing;
    endButton.hidden = !sharing;
  }

  function answer(shared) {
    send('monitor_screen_answer', { monitoringId: request.monitoringId, shared });
  }

  shareButton.addEventListener('click', async () => {
    if (!request) return;
    const asked = request;
    const streamer = await technicianScreen.share(frameId(), async () => answer(true), () => {
      // Ended from the browser's own bar.
      if (request !== asked) return;
      answer(false);
      request = null;
      sharing = false;
      render();
    });
    sharing = Boolean(streamer) && request === asked;
    render();
  });
  declineButton.addEventListener('click', () => {
    if (!request) return;
    answer(false);
    request = null;
    render();
  });
  endButton.addEventListener('click', () => {
    if (!request) return;
    technicianScreen.stopStream(frameId());
    answer(false);
    request = null;
    sharing = false;
    render();
  });

  return {
    /** `monitor_screen_request` from the gateway. */
    message(message) {
      if (message.watching) {
        request = { monitoringId: message.monitoringId, administratorName: message.administratorName };
        sharing = false;
      } else if (request?.monitoringId === message.monitoringId) {
        technicianScreen.stopStream(frameId());
        request = null;
        sharing = false;
      }
      render();
    },
  };
}
