// Console options (B3, B4), saved on the gateway so they follow the technician.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { CUSTOMER_DETAILS } from '../lib/session-logic.js';
import { SOUND_ALERTS, playAlert } from '../lib/sounds.js';
import { mountSecurityDialog } from './security-dialog.js';

export function mountOptionsDialog(dialog, { onSaved, fieldNames = () => [], email = () => '' }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  const security = mountSecurityDialog(document.getElementById('security-dialog'), { email });
  $('options-security').addEventListener('click', () => {
    dialog.close();
    security.open();
  });
  const toChoice = (value) => (value === null || value === undefined ? 'default' : value ? 'on' : 'off');
  const fromChoice = (choice) => (choice === 'default' ? null : choice === 'on');

  /** One checkbox per name, checked unless listed in `off`; `extra(name)` may add a control. */
  function renderChecks(fieldset, key, names, off, label, extra = () => null) {
    fieldset.querySelectorAll('label').forEach((node) => node.remove());
    for (const name of names) {
      const line = document.createElement('label');
      line.className = 'inline';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.dataset[key] = name;
      box.checked = !off.includes(name);
      line.append(box, document.createTextNode(` ${label(name)} `));
      const control = extra(name);
      if (control) line.append(control);
      fieldset.append(line);
    }
  }

  /** The names whose checkbox is cleared. */
  function unchecked(fieldset, key) {
    return [...fieldset.querySelectorAll(`input[data-${key}]`)].filter((box) => !box.checked).map((box) => box.dataset[key]);
  }

  /** A button to hear a sound alert. */
  function listenButton(name) {
    const listen = document.createElement('button');
    listen.type = 'button';
    listen.className = 'link';
    listen.textContent = '▶';
    listen.title = t('options.listen');
    listen.addEventListener('click', () => playAlert(name));
    return listen;
  }

  const COLUMNS = ['name', 'id', 'status', 'time', 'channel', 'transferred_by'];
  const COLUMN_LABELS = { name: 'list.name', id: 'list.id', status: 'list.status', time: 'list.time', channel: 'list.channel', transferred_by: 'list.transferredBy' };

  $('options-cancel').addEventListener('click', () => dialog.close());
  $('options-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const saved = await api('me/options', {
        method: 'PUT',
        body: {
          autoStartIncoming: fromChoice($('options-auto-start').value),
          confirmEnd: $('options-confirm-end').checked,
          confirmLogout: $('options-confirm-logout').checked,
          clipboardSync: $('options-clipboard-sync').checked,
          alwaysDetach: $('options-always-detach').checked,
          theme: $('options-theme').value,
          hiddenColumns: unchecked($('options-columns'), 'column'),
          hiddenFields: unchecked($('options-columns'), 'field'),
          shownDetails: CUSTOMER_DETAILS.filter((name) => !unchecked($('options-columns'), 'detail').includes(name)),
          mutedSounds: unchecked($('options-sounds'), 'sound'),
        },
      });
      dialog.close();
      onSaved(saved.options);
    } catch (error) {
      $('options-error').textContent = describeError(error);
      $('options-error').hidden = false;
    }
  });

  return {
    async open() {
      const { options } = await api('me/options');
      $('options-auto-start').value = toChoice(options.autoStartIncoming);
      $('options-confirm-end').checked = options.confirmEnd;
      $('options-confirm-logout').checked = options.confirmLogout;
      $('options-clipboard-sync').checked = options.clipboardSync ?? true;
      $('options-always-detach').checked = options.alwaysDetach ?? false;
      $('options-theme').value = options.theme ?? 'light';
      renderChecks($('options-sounds'), 'sound', SOUND_ALERTS, options.mutedSounds, (name) => t(`sound.${name}`), listenButton);
      renderChecks($('options-columns'), 'column', COLUMNS, options.hiddenColumns, (name) => t(COLUMN_LABELS[name]));
      // The organisation's custom fields are columns too; appended after the fixed ones.
      const fixed = [...$('options-columns').querySelectorAll('label')];
      renderChecks($('options-columns'), 'field', fieldNames(), options.hiddenFields ?? [], (name) => name);
      const fields = [...$('options-columns').querySelectorAll('label')];
      // The customer's computer: checked when shown (they start off).
      const shown = options.shownDetails ?? [];
      renderChecks($('options-columns'), 'detail', CUSTOMER_DETAILS, CUSTOMER_DETAILS.filter((name) => !shown.includes(name)),
        (name) => t(`list.${name}`));
      $('options-columns').querySelector('legend').after(...fixed, ...fields);
      $('options-error').hidden = true;
      dialog.showModal();
    },
  };
}
