// The technician's own two-step verification (A2): turn it on with a QR code, save recovery
// codes, a phone for SMS codes, new recovery codes, turn it off (needs the password; refused
// when the organisation requires it).
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { groupedKey, qrImageSource, recoveryCodesFile, showRecoveryCodes } from '../lib/two-step.js';

export function mountSecurityDialog(dialog, { email }) {
  const $ = (id) => dialog.querySelector(`#${id}`);
  const sections = ['security-enrol', 'security-codes', 'security-on', 'security-start'];

  function show(...visible) {
    for (const id of sections) $(id).hidden = !visible.includes(id);
    $('security-error').hidden = true;
  }

  function fail(error) {
    $('security-error').textContent = describeError(error);
    $('security-error').hidden = false;
  }

  function showCodes(codes) {
    showRecoveryCodes($('security-code-list'), codes);
    $('security-download').href = recoveryCodesFile(codes, email());
    show('security-codes');
  }

  async function refresh() {
    const status = await api('me/two-step');
    $('security-status').textContent = status.enabled
      ? t('security.on', { left: status.recoveryCodesLeft })
      : t(status.required ? 'security.offRequired' : 'security.off');
    $('security-phone').value = status.smsPhone ?? '';
    $('security-phone-line').hidden = !status.smsAvailable;
    $('security-disable-line').hidden = status.required;
    if (status.enabled) show('security-on'); else show('security-start');
  }

  /** Runs an action, showing its error in the dialog. */
  const guarded = (action) => async () => {
    try { await action(); } catch (error) { fail(error); }
  };

  $('security-start').addEventListener('click', guarded(async () => {
    const enrolment = await api('me/two-step/enrolment', { method: 'POST' });
    $('security-qr').src = qrImageSource(enrolment.qrCodeSVG);
    $('security-secret').textContent = groupedKey(enrolment.secret);
    $('security-enrol-code').value = '';
    show('security-enrol');
    $('security-enrol-code').focus();
  }));

  $('security-confirm').addEventListener('click', guarded(async () => {
    const { recoveryCodes } = await api('me/two-step/enrolment/confirm', { method: 'POST', body: { code: $('security-enrol-code').value } });
    showCodes(recoveryCodes);
    $('security-status').textContent = t('security.on', { left: recoveryCodes.length });
  }));

  $('security-save-phone').addEventListener('click', guarded(async () => {
    await api('me/two-step/sms', { method: 'PUT', body: { phone: $('security-phone').value } });
    await refresh();
  }));

  $('security-renew').addEventListener('click', guarded(async () => {
    const { recoveryCodes } = await api('me/two-step/recovery-codes', { method: 'POST', body: { code: $('security-current-code').value } });
    $('security-current-code').value = '';
    showCodes(recoveryCodes);
  }));

  $('security-disable').addEventListener('click', guarded(async () => {
    await api('me/two-step/disable', { method: 'POST', body: { password: $('security-password').value } });
    $('security-password').value = '';
    await refresh();
  }));

  $('security-codes-done').addEventListener('click', guarded(refresh));
  $('security-close').addEventListener('click', () => dialog.close());

  return {
    async open() {
      await refresh();
      dialog.showModal();
    },
  };
}
