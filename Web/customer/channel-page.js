// A channel's public page (/ch/<token>, F2): the customer's request form. The form an
// organisation pastes on its own site opens this page with what was typed (?name=…&field.X=…&send=1).
import { api } from '../lib/api.js';
import { customerLanguage, describeError, loadLanguage, t, translatePage } from '../lib/i18n.js';
import { showInstructions } from './instructions.js';

await loadLanguage(customerLanguage(), 'customer');
translatePage();

const $ = (id) => document.getElementById(id);
const token = location.pathname.split('/ch/')[1]?.split('/')[0] ?? '';
const query = new URLSearchParams(location.search);

function showError(text) {
  $('channel-error').textContent = text;
  $('channel-error').hidden = false;
}

/** One input per field the organisation asks; required ones are marked and checked by the browser too. */
function fieldInputs(names, required = []) {
  return names.map((name) => {
    const label = document.createElement('label');
    const caption = document.createElement('span');
    caption.textContent = required.includes(name) ? `${name} *` : name;
    const input = document.createElement('input');
    input.name = `field.${name}`;
    input.dataset.field = name;
    input.maxLength = 200;
    input.required = required.includes(name);
    input.value = query.get(`field.${name}`) ?? '';
    label.append(caption, ' ', input);
    return label;
  });
}

async function send(page) {
  const fields = {};
  for (const input of document.querySelectorAll('#channel-fields input')) fields[input.dataset.field] = input.value;
  $('channel-error').hidden = true;
  $('channel-status').textContent = t('channel.sending');
  $('channel-status').hidden = false;
  try {
    const accepted = await api(`channels/${encodeURIComponent(token)}/requests`, { method: 'POST', body: { name: $('channel-name').value, fields } });
    $('channel-form').hidden = true;
    $('channel-status').textContent = accepted.available ? '' : t('channel.kept');
    $('channel-status').hidden = accepted.available;
    const linkToken = accepted.link.split('/c/')[1];
    showInstructions($('instructions'), { technicianName: '', organisation: page.organisation, channel: page.name },
      `--link ${location.origin}/c/${linkToken}`, { link: linkToken });
  } catch (error) {
    $('channel-status').hidden = true;
    if (error.code === 'no_technician_available') showError(error.message);
    else showError(error.code === 'network' ? t('error.network') : t('channel.failed', { message: describeError(error) }));
  }
}

try {
  const page = await api(`channels/${encodeURIComponent(token)}`);
  $('channel-title').textContent = t('channel.title', { organisation: page.organisation });
  $('channel-intro').textContent = t('channel.intro', { channel: page.name });
  $('channel-status').hidden = true;
  if (page.message) {
    $('channel-unavailable').textContent = page.message;
    $('channel-unavailable').hidden = false;
  }
  if (page.acceptsRequests) {
    $('channel-fields').replaceChildren(...fieldInputs(page.fields, page.requiredFields ?? []));
    $('channel-name').value = query.get('name') ?? '';
    $('channel-form').hidden = false;
    $('channel-form').addEventListener('submit', (event) => {
      event.preventDefault();
      send(page);
    });
    if (query.get('send') === '1' && $('channel-name').value.trim()) send(page);
  }
} catch (error) {
  $('channel-status').hidden = true;
  showError(error.code === 'network' ? t('error.network') : t('channel.invalid'));
}
