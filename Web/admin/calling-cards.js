// Calling Cards in the admin page (F3): branding, channel, the groups that may deploy it, and the
// install command customers run.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { ready, renderGroupBoxes, textCell as cell } from './admin-language.js';

const $ = (id) => document.getElementById(id);

function fail(error) {
  $('card-error').textContent = error ? describeError(error) : '';
  $('card-error').hidden = !error;
}

/** The chosen logo as base64, or undefined when none was chosen. */
async function logoBase64() {
  const file = $('card-logo').files[0];
  if (!file) return undefined;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function load() {
  const [cards, channels, groups] = await Promise.all([api('admin/calling-cards'), api('admin/channels'), api('admin/groups')]);
  const channelNames = new Map(channels.map((channel) => [channel.id, channel.name]));
  $('card-channel').replaceChildren(...channels.map((channel) => new Option(channel.name, channel.id)));
  renderGroupBoxes($('card-groups'), groups);
  $('calling-cards').querySelector('tbody').replaceChildren(...cards.map((card) => {
    const row = document.createElement('tr');
    row.dataset.cardId = card.id;
    const command = document.createElement('td');
    const code = document.createElement('code');
    code.textContent = card.installCommand;
    command.append(code);
    const action = document.createElement('td');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = t('admin.delete');
    remove.addEventListener('click', async () => {
      try {
        await api(`admin/calling-cards/${card.id}`, { method: 'DELETE' });
        await load();
      } catch (error) {
        fail(error);
      }
    });
    action.append(remove);
    row.append(cell(card.name), cell(channelNames.get(card.channelId) ?? '?'), command, action);
    return row;
  }));
}

$('card-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const body = {
      name: $('card-name').value, channelId: $('card-channel').value,
      headerColour: $('card-header').value, textColour: $('card-text').value,
      groupIds: [...$('card-groups').querySelectorAll('input:checked')].map((box) => box.value),
      logoBase64: await logoBase64(),
    };
    if ($('card-welcome').value.trim()) body.welcomeText = $('card-welcome').value;
    if ($('card-help').value.trim()) body.helpText = $('card-help').value;
    await api('admin/calling-cards', { method: 'POST', body });
    event.target.reset();
    fail(null);
    await load();
  } catch (error) {
    fail(error);
  }
});

try {
  await ready;
  await load();
} catch (error) {
  // An administrator of some groups does not manage this section (admin.js hides it).
  if (error.code !== 'outside_scope') fail(error);
}
