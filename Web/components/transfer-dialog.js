// Transfer (C6): pick an available colleague (only Online ones can be chosen) or a group's or
// channel's queue, add a comment. A collaborating colleague's Transfer passes their place in the
// session to another colleague (I4): colleagues only, and the dialog says what happens.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';

export function mountTransferDialog(dialog, { me, onTransferred }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  let colleagues = [];
  let queues = [];
  let sessionId = null;
  let chosen = null;
  /** A colleague passing their place: no queues. */
  let placeOnly = false;

  /** One radio line of the list: `key` is what `chosen` becomes. */
  function choice(key, text, disabled = false, ...extra) {
    const item = document.createElement('li');
    const label = document.createElement('label');
    label.className = 'inline';
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'transfer-to';
    radio.value = key;
    radio.disabled = disabled;
    radio.checked = key === chosen;
    radio.addEventListener('change', () => {
      chosen = key;
      $('transfer-submit').disabled = false;
    });
    label.append(radio, document.createTextNode(` ${text}`), ...extra);
    item.append(label);
    return item;
  }

  function renderList() {
    const query = $('transfer-search').value.trim().toLowerCase();
    const shown = colleagues.filter((c) => c.id !== me().id && c.name.toLowerCase().includes(query));
    const shownQueues = placeOnly ? [] : queues.filter((q) => q.name.toLowerCase().includes(query));
    $('transfer-list').replaceChildren(...shown.map((colleague) => {
      const status = document.createElement('span');
      status.className = 'presence';
      status.dataset.status = colleague.status;
      status.textContent = t(`presence.${colleague.status}`);
      return choice(colleague.id, `${colleague.name} `, colleague.status !== 'online', status);
    }), ...shownQueues.map((queue) => choice(`${queue.kind}:${queue.id}`, t(`transfer.queue_${queue.kind}`, { name: queue.name }))));
    if (shown.length + shownQueues.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'muted';
      empty.textContent = t('transfer.none');
      $('transfer-list').append(empty);
    }
  }

  /** The API's "to": a colleague's id, or {group: id} / {channel: id}. */
  function target(key) {
    const [kind, id] = key.split(':');
    return id === undefined ? key : { [kind]: id };
  }

  $('transfer-search').addEventListener('input', renderList);
  $('transfer-cancel').addEventListener('click', () => dialog.close());
  $('transfer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api(`sessions/${sessionId}/transfer`, {
        method: 'POST', body: { to: target(chosen), comment: $('transfer-comment').value },
      });
      dialog.close();
      onTransferred(session);
    } catch (error) {
      $('transfer-error').textContent = describeError(error);
      $('transfer-error').hidden = false;
    }
  });

  return {
    /** `collaborating`: the selected session is one this technician collaborates in. */
    async open(id, { collaborating = false } = {}) {
      sessionId = id;
      chosen = null;
      placeOnly = collaborating;
      $('transfer-place-note').hidden = !collaborating;
      $('transfer-search').value = '';
      $('transfer-comment').value = '';
      $('transfer-error').hidden = true;
      $('transfer-submit').disabled = true;
      [colleagues, queues] = await Promise.all([api('technicians'), collaborating ? [] : api('transfer-queues')]);
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
