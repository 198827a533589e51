// The PIN entry page: checks the PIN (without using it up) and shows how to start the applet.
import { api } from '../lib/api.js';
import { customerLanguage, describeError, loadLanguage, mountCustomerLanguagePicker, t, translatePage } from '../lib/i18n.js';
import { showInstructions } from './instructions.js';

const form = document.getElementById('pin-form');
const input = document.getElementById('pin-input');
const errorLine = document.getElementById('pin-error');

await loadLanguage(customerLanguage(), 'customer');
translatePage();
mountCustomerLanguagePicker(document.getElementById('pin-language'));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  errorLine.hidden = true;
  const pin = input.value.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(pin)) {
    errorLine.textContent = t('pin.invalid');
    errorLine.hidden = false;
    return;
  }
  try {
    const invitation = await api('customer/pin-check', { method: 'POST', body: { pin } });
    form.hidden = true;
    showInstructions(document.getElementById('instructions'), invitation, `--pin ${pin}`, { pin });
  } catch (error) {
    errorLine.textContent = describeError(error);
    errorLine.hidden = false;
  }
});
