// The second step of sign-in (A2): a code from the authenticator app, a recovery code or an SMS
// code; or, when the organisation requires two-step and the account has none, enrolment first.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { groupedKey, qrImageSource, recoveryCodesFile, showRecoveryCodes } from '../lib/two-step.js';

const $ = (id) => document.getElementById(id);

export function mountTwoStepLogin({ onSignedIn, onBack }) {
  const form = $('two-step-form');
  let step = null;
  let signedIn = null;

  function fail(error) {
    $('two-step-error').textContent = describeError(error);
    $('two-step-error').hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('two-step-error').hidden = true;
    const code = $('two-step-code').value.trim();
    try {
      if (step.mode === 'enrol') {
        signedIn = await api('auth/two-step/enrolment/confirm', { method: 'POST', body: { challenge: step.challenge, code } });
        // The codes are shown once: the console opens when the technician says they are saved.
        showRecoveryCodes($('two-step-codes'), signedIn.recoveryCodes);
        $('two-step-download').href = recoveryCodesFile(signedIn.recoveryCodes, signedIn.technician.email);
        $('two-step-entry').hidden = true;
        $('two-step-enrol').hidden = true;
        $('two-step-recovery').hidden = false;
        $('two-step-continue').focus();
      } else {
        const result = await api('auth/two-step', { method: 'POST', body: { challenge: step.challenge, code } });
        form.hidden = true;
        await onSignedIn(result.technician);
      }
    } catch (error) {
      $('two-step-code').value = '';
      fail(error);
      if (error.code === 'challenge_expired') onBack();
    }
  });

  $('two-step-continue').addEventListener('click', async () => {
    form.hidden = true;
    await onSignedIn(signedIn.technician);
  });

  $('two-step-sms').addEventListener('click', async () => {
    try {
      await api('auth/two-step/sms', { method: 'POST', body: { challenge: step.challenge } });
      $('two-step-sms-sent').textContent = t('twoStep.smsSent', { phone: step.smsPhoneHint });
      $('two-step-sms-sent').hidden = false;
    } catch (error) {
      fail(error);
    }
  });

  $('two-step-back').addEventListener('click', () => {
    form.hidden = true;
    onBack();
  });

  return {
    /** Shows the step the gateway asked for after a right password. */
    async show(twoStep) {
      step = twoStep;
      for (const id of ['two-step-error', 'two-step-sms-sent', 'two-step-recovery']) $(id).hidden = true;
      $('two-step-entry').hidden = false;
      $('two-step-code').value = '';
      $('two-step-sms').hidden = !step.smsPhoneHint;
      $('two-step-sms').textContent = t('twoStep.sendSms', { phone: step.smsPhoneHint ?? '' });
      $('two-step-prompt').textContent = t(step.mode === 'enrol' ? 'twoStep.promptEnrol' : 'twoStep.prompt');
      $('two-step-enrol').hidden = step.mode !== 'enrol';
      if (step.mode === 'enrol') {
        try {
          const enrolment = await api('auth/two-step/enrolment', { method: 'POST', body: { challenge: step.challenge } });
          $('two-step-qr').src = qrImageSource(enrolment.qrCodeSVG);
          $('two-step-secret').textContent = groupedKey(enrolment.secret);
        } catch (error) {
          fail(error);
        }
      }
      form.hidden = false;
      $('two-step-code').focus();
    },
  };
}
