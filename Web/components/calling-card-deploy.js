// The Calling Card tab (O1): with deploy_calling_card, the technician installs one of the cards
// an administrator assigned to their group on the customer's computer; the customer accepts in
// the applet. Not in Instant Chat (the gateway refuses it too).
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function mountCallingCardDeploy(root, { canUse, onError }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [tab, pick, launch, startup, install, status] = ['calling-card-tab', 'calling-card-pick', 'calling-card-launch',
    'calling-card-startup', 'calling-card-install', 'calling-card-status'].map($);
  let cards = null; // loaded once, when first needed
  let session = null;

  async function load() {
    if (cards !== null) return;
    cards = [];
    try {
      cards = await api('me/calling-cards');
    } catch (error) {
      onError(error);
    }
    pick.replaceChildren(...cards.map((card) => new Option(card.name, card.id)));
    render();
  }

  function render() {
    const active = session && ['active', 'collaboration'].includes(session.state);
    tab.hidden = !active || !canUse('deploy_calling_card') || !cards?.length;
    const chatOnly = session?.customer?.client === 'browser';
    install.disabled = chatOnly;
    install.title = chatOnly ? t('chatOnly.reason') : '';
  }

  install.addEventListener('click', async () => {
    if (!session) return;
    install.disabled = true;
    try {
      await api(`sessions/${session.id}/calling-card`, {
        method: 'POST', body: { cardId: pick.value, launchAfterInstall: launch.checked, launchAtStartup: startup.checked },
      });
      status.textContent = t('card.offered');
      onError(null);
    } catch (error) {
      onError(error);
    }
    render();
  });

  return {
    /** The selected session when it is the technician's own, else null. */
    show(next) {
      if (next?.id !== session?.id) status.textContent = '';
      session = next;
      if (session && canUse('deploy_calling_card')) load();
      render();
    },
  };
}
