// The Admin Center speaks the administrator's console language (A3): every admin script awaits
// `ready` before drawing, so nothing is drawn in English first.
import { api } from '../lib/api.js';
import { loadLanguage, t, translatePage } from '../lib/i18n.js';

export const ready = (async () => {
  const me = await api('me').catch(() => null);
  await loadLanguage(me?.language ?? 'en', 'admin');
  translatePage();
  return me;
})();

/** A permission's name as administrators read it. */
export function permissionName(permission) {
  return t(`permission.${permission}`);
}

/** A session state or how a session ended, in the viewer's language. */
export function stateName(state) {
  return t(`state.${state}`);
}
