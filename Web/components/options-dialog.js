// Console options (B3, B4), saved on the gateway so they follow the technician.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { SOUND_ALERTS, playAlert } from '../lib/sounds.js';

export function mountOptionsDialog(dialog, { onSaved }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  const toChoice = (value) => (value === null || value === undefined ? 'default' : value ? 'on' : 'off');
  const fromChoice = (choice) => (choice === 'default' ? null : choice === 'on');

  /** One checkbox per sound alert, with a button to hear it. */
  function renderSounds(muted) {
    const fieldset = $('options-sounds');
    fieldset.querySelectorAll('label').forEach((label) => label.remove());
    for (const name of SOUND_ALERTS) {
      const label = document.createElement('label');
      label.className = 'inline';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.dataset.sound = name;
      box.checked = !muted.includes(name);
      const listen = document.createElement('button');
      listen.type = 'button';
      listen.className = 'link';
      listen.textContent = '▶';
      listen.title = t('options.listen');
      listen.addEventListener('click', () => playAlert(name));
      label.append(box, document.createTextNode(` ${t(`sound.${name}`)} `), listen);
      fieldset.append(label);
    }
  }

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
          mutedSounds: [...$('options-sounds').querySelectorAll('input[data-sound]')].filter((box) => !box.checked).map((box) => box.dataset.sound),
        },
      });
      dialog.close();
      onSaved(saved.options);
    } catch (error) {
      $('options-error').textContent = error.message;
      $('options-error').hidden = false;
    }
  });

  return {
    async open() {
      const { options } = await api('me/options');
      $('options-auto-start').value = toChoice(options.autoStartIncoming);
      $('options-confirm-end').checked = options.confirmEnd;
      $('options-confirm-logout').checked = options.confirmLogout;
      renderSounds(options.mutedSounds);
      $('options-error').hidden = true;
      dialog.showModal();
    },
  };
}
