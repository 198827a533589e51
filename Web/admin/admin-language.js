// Shared by the Admin Center scripts. It speaks the administrator's console language (A3): every script awaits
// `ready` before drawing, so nothing is drawn in English first.
import { api } from '../lib/api.js';
import { browserLanguage, loadLanguage, t, translatePage } from '../lib/i18n.js';

export const ready = (async () => {
  const me = await api('me').catch(() => null);
  // Signed out: the browser's language, as the sign-in form has it.
  await loadLanguage(me?.language ?? browserLanguage(), 'admin');
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

/** Fills `fieldset` (after its legend) with one checkbox per group, labelled by `labelOf`; the
 * ones in `checked` are ticked. */
export function renderGroupBoxes(fieldset, groups, checked = new Set(), labelOf = (group) => group.name) {
  fieldset.querySelectorAll('label').forEach((label) => label.remove());
  fieldset.append(...groups.map((group) => {
    const label = document.createElement('label');
    label.className = 'inline';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = group.id;
    box.checked = checked.has(group.id);
    label.append(box, ` ${labelOf(group)}`);
    return label;
  }));
}

/** The viewer's time zone: reports and the audit log are read in it. */
export const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A table cell showing `value` as text (never as HTML); empty for none. */
export function textCell(value) {
  const td = document.createElement('td');
  td.textContent = value ?? '';
  return td;
}
