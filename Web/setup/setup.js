// One-time setup: the token comes from the URL the gateway printed at its first start.
import { api } from '../lib/api.js';

const message = document.getElementById('setup-message');
const token = new URLSearchParams(location.search).get('token') ?? '';
const form = document.getElementById('setup-form');

const status = await api('setup').catch(() => ({ needed: false }));
if (!status.needed) {
  message.textContent = 'Setup is complete. Sign in at /console/.';
  message.hidden = false;
  for (const input of form.querySelectorAll('input, button')) input.disabled = true;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('setup', {
      method: 'POST',
      body: {
        token,
        organisation: document.getElementById('setup-organisation').value,
        name: document.getElementById('setup-name').value,
        email: document.getElementById('setup-email').value,
        password: document.getElementById('setup-password').value,
      },
    });
    location.href = '/console/';
  } catch (error) {
    message.textContent = error.message;
    message.className = 'error';
    message.hidden = false;
  }
});
