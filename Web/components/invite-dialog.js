// Invite an external technician (I2): a one-time link and PIN for someone outside the
// organisation, who joins this session's chat in the inviter's language; the lead sees who is
// invited or collaborating and can remove them.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';

export function mountInviteDialog(dialog, button, { sessionId, onError, beforeOpen = async () => {}, canInviteExternal = () => true }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  let current = null;

  function fail(error) {
    $('invite-error').textContent = error ? describeError(error) : '';
    $('invite-error').hidden = !error;
  }

  async function refresh() {
    const collaborators = await api(`sessions/${current}/collaborators`);
    $('invite-list').replaceChildren(...collaborators.map((collaborator) => {
      const item = document.createElement('li');
      item.dataset.collaboratorId = collaborator.id;
      const access = t(collaborator.approved ? 'invite.approved' : 'invite.limited');
      item.append(document.createTextNode(`${collaborator.name} · ${t(`state.${collaborator.state}`)} · ${access} `));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = t('invite.remove');
      remove.addEventListener('click', async () => {
        try {
          await api(`sessions/${current}/collaborators/${collaborator.id}`, { method: 'DELETE' });
          await refresh();
        } catch (error) {
          fail(error);
        }
      });
      item.append(remove);
      return item;
    }));
    $('invite-none').hidden = collaborators.length > 0;
  }

  $('invite-cancel').addEventListener('click', () => dialog.close());
  $('colleague-close')?.addEventListener('click', () => dialog.close());
  $('invite-copy').addEventListener('click', () => navigator.clipboard?.writeText($('invite-link').href).catch(() => {}));
  $('invite-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const invited = await api(`sessions/${current}/collaborators`, {
        method: 'POST',
        body: { name: $('invite-name').value, email: $('invite-email').value || undefined, sendEmail: $('invite-send-email').checked },
      });
      $('invite-emailed').textContent = invited.emailed ? t('invite.emailed', { email: invited.email }) : '';
      $('invite-emailed').hidden = !invited.emailed;
      $('invite-link').href = invited.link;
      $('invite-link').textContent = invited.link;
      $('invite-pin').textContent = invited.pin;
      $('invite-pin-page').textContent = t('invite.pinPage', { address: `${location.origin}/collaborate` });
      $('invite-result').hidden = false;
      $('invite-name').value = '';
      $('invite-email').value = '';
      $('invite-send-email').checked = false;
      fail(null);
      await refresh();
    } catch (error) {
      fail(error);
    }
  });

  button.addEventListener('click', async () => {
    current = sessionId();
    if (!current) return;
    $('invite-result').hidden = true;
    fail(null);
    // The same button invites colleagues (I1) and external technicians (I2), as permitted.
    $('invite-form').hidden = !canInviteExternal();
    try {
      await beforeOpen();
      if (canInviteExternal()) await refresh();
      dialog.showModal();
    } catch (error) {
      onError(error);
    }
  });

  return {
    /** The button works for the lead of an active session with the permission. */
    enable(allowed) {
      button.disabled = !allowed;
    },
  };
}
