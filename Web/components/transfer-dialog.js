// Transfer (C6): pick an available colleague (only Online ones can be chosen), add a comment.
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function mountTransferDialog(dialog, { me, onTransferred }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  let colleagues = [];
  let sessionId = null;
  let chosen = null;

  function renderList() {
    const query = $('transfer-search').value.trim().toLowerCase();
    const shown = colleagues.filter((c) => c.id !== me().id && c.name.toLowerCase().includes(query));
    $('transfer-list').replaceChildren(...shown.map((colleague) => {
      const item = document.createElement('li');
      const label = document.createElement('label');
      label.className = 'inline';
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'transfer-to';
      radio.value = colleague.id;
      radio.disabled = colleague.status !== 'online';
      radio.checked = colleague.id === chosen;
      radio.addEventListener('change', () => {
        chosen = colleague.id;
        $('transfer-submit').disabled = false;
      });
      const status = document.createElement('span');
      status.className = 'presence';
      status.dataset.status = colleague.status;
      status.textContent = t(`presence.${colleague.status}`);
      label.append(radio, document.createTextNode(` ${colleague.name} `), status);
      item.append(label);
      return item;
    }));
    if (shown.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'muted';
      empty.textContent = t('transfer.none');
      $('transfer-list').append(empty);
    }
  }

  $('transfer-search').addEventListener('input', renderList);
  $('transfer-cancel').addEventListener('click', () => dialog.close());
  $('transfer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api(`sessions/${sessionId}/transfer`, {
        method: 'POST', body: { to: chosen, comment: $('transfer-comment').value },
      });
      dialog.close();
      onTransferred(session);
    } catch (error) {
      $('transfer-error').textContent = error.message;
      $('transfer-error').hidden = false;
    }
  });

  return {
    async open(id) {
      sessionId = id;
      chosen = null;
      $('transfer-search').value = '';
      $('transfer-comment').value = '';
      $('transfer-error').hidden = true;
      $('transfer-submit').disabled = true;
      colleagues = await api('technicians');
      renderList();
      dialog.showModal();
      $('transfer-search').focus();
    },
    /** Keeps the list's statuses current while the dialog is open. */
    statusChanged(technician) {
      colleagues = colleagues.map((c) => (c.id === technician.id ? { ...c, status: technician.status } : c));
      if (dialog.open) renderList();
    },
  };
}
