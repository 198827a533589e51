// Console options (B3, B4), saved on the gateway so they follow the technician.
import { api } from '../lib/api.js';

export function mountOptionsDialog(dialog, { onSaved }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  const toChoice = (value) => (value === null || value === undefined ? 'default' : value ? 'on' : 'off');
  const fromChoice = (choice) => (choice === 'default' ? null : choice === 'on');

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
      $('options-error').hidden = true;
      dialog.showModal();
    },
  };
}
