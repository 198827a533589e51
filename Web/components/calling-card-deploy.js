// The Calling Card tab (O1): with deploy_calling_card, the technician installs one of the cards
// an administrator assigned to their group on the customer's computer; the customer accepts in
// the applet. The toolbox greys the tab in Instant Chat and without a card (the gateway refuses
// those too).
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function mountCallingCardDeploy(root, { canUse, onError, onLoaded }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [pick, launch, startup, install, status] = ['calling-card-pick', 'calling-card-launch',
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
    onLoaded();
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
    install.disabled = false;
  });

  return {
    /** The selected session when it is the technician's own, else null. */
    show(next) {
      if (next?.id !== session?.id) status.textContent = '';
      session = next;
      if (session && canUse('deploy_calling_card')) load();
    },
    /** Whether the technician's group has a card to install (false until they are loaded). */
    available: () => Boolean(cards?.length),
  };
}
