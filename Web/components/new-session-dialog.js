// New session (C1, F1): name, method, type (Q1: standard or Lens) and the customer's device (P1);
// then shows the PIN to read out or the link to send.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';

export function mountNewSessionDialog(dialog, { onCreated, canEmail, canSms, canLens }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  const form = $('new-session-form');
  const result = $('new-session-result');
  let createdId = null;

  /** Email invitation (F1): sent by the gateway, or prepared for the technician's own mail client. */
  async function offerEmail(id) {
    const emailForm = $('new-session-email');
    emailForm.hidden = !canEmail();
    $('new-session-email-status').hidden = true;
    if (emailForm.hidden) return;
    try {
      const draft = await api(`sessions/${id}/invitations/email-draft`);
      $('new-session-mailto').href = draft.mailto;
    } catch {
      $('new-session-mailto').hidden = true;
    }
  }

  /** Sends the link by email or SMS and says how it went. */
  function sendBy(channel, input) {
    return async (event) => {
      event.preventDefault();
      const status = $('new-session-email-status');
      try {
        const sent = await api(`sessions/${createdId}/invitations/${channel}`, { method: 'POST', body: { to: $(input).value } });
        status.textContent = t('email.sent', { to: sent.to });
        status.className = '';
      } catch (error) {
        status.textContent = describeError(error);
        status.className = 'error';
      }
      status.hidden = false;
    };
  }
  $('new-session-email').addEventListener('submit', sendBy('email', 'new-session-email-to'));
  $('new-session-sms').addEventListener('submit', sendBy('sms', 'new-session-sms-to'));

  function reset() {
    form.hidden = false;
    result.hidden = true;
    $('new-session-error').hidden = true;
    $('new-session-name').value = '';
    $('new-session-platform').value = '';
    // Lens only for groups allowed it; its device is always a phone.
    $('new-session-types').hidden = !canLens();
    form.querySelector('input[name=type][value=standard]').checked = true;
    $('new-session-platform-line').hidden = false;
  }
  for (const radio of form.querySelectorAll('input[name=type]')) {
    radio.addEventListener('change', () => {
      $('new-session-platform-line').hidden = form.querySelector('input[name=type]:checked').value === 'lens';
    });
  }

  $('new-session-cancel').addEventListener('click', () => dialog.close());
  $('new-session-close').addEventListener('click', () => dialog.close());
  $('new-session-copy').addEventListener('click', async () => {
    const link = $('new-session-link');
    link.select();
    try {
      await navigator.clipboard.writeText(link.value);
      $('new-session-copy').textContent = t('new.copied');
    } catch {
      document.execCommand('copy');
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const method = form.querySelector('input[name=method]:checked').value;
    const type = form.querySelector('input[name=type]:checked').value;
    const body = { name: $('new-session-name').value, method, type };
    if (type === 'standard' && $('new-session-platform').value) body.platform = $('new-session-platform').value;
    try {
      const created = await api('sessions', { method: 'POST', body });
      form.hidden = true;
      result.hidden = false;
      $('new-session-created').textContent = t('new.created', { id: created.id });
      const isPin = method === 'pin';
      $('new-session-pin').hidden = !isPin;
      $('new-session-pin-site').hidden = !isPin;
      $('new-session-link-label').hidden = isPin;
      $('new-session-link').hidden = isPin;
      $('new-session-copy').hidden = isPin;
      $('new-session-copy').textContent = t('new.copy');
      createdId = created.id;
      $('new-session-email').hidden = true;
      $('new-session-sms').hidden = isPin || !canSms();
      if (isPin) {
        $('new-session-pin').textContent = created.pin;
        $('new-session-pin-site').textContent = t('new.pinSite', { url: `${location.origin}/` });
      } else {
        $('new-session-link').value = created.link;
        offerEmail(created.id);
      }
      onCreated(created.session);
    } catch (error) {
      $('new-session-error').textContent = describeError(error);
      $('new-session-error').hidden = false;
    }
  });

  return {
    open() {
      reset();
      dialog.showModal();
      $('new-session-name').focus();
    },
  };
}
