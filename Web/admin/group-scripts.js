// A group's embedded scripts (R4, N2) in the Admin Center: the scripts its technicians run from
// the console's Scripts tab (with "run embedded scripts"), in order; those marked "run at applet
// start" run in each of their sessions once it starts. An administrator writes a script in their
// own console's Scripts tab and adds it here (its resource file comes along).
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { ready } from './admin-language.js';
import { followRoute } from './admin-route.js';

const $ = (id) => document.getElementById(id);
let groupId = null;

function fail(error) {
  $('group-scripts-error').textContent = error ? describeError(error) : '';
  $('group-scripts-error').hidden = !error;
}

function button(label, action, disabled = false) {
  const node = document.createElement('button');
  node.type = 'button';
  node.textContent = t(label);
  node.disabled = disabled;
  node.addEventListener('click', () => action().catch(fail));
  return node;
}

function cell(text) {
  const node = document.createElement('td');
  node.textContent = text;
  return node;
}

async function load() {
  if (!groupId) return;
  const base = `admin/groups/${encodeURIComponent(groupId)}/scripts`;
  const [embedded, library] = await Promise.all([api(base), api('scripts').catch(() => ({ scripts: [] }))]);
  $('group-scripts').querySelector('tbody').replaceChildren(...embedded.map((script, index) => {
    const row = document.createElement('tr');
    row.dataset.scriptId = script.id;
    const actions = document.createElement('td');
    const move = (direction) => async () => {
      await api(`${base}/${script.id}/move`, { method: 'POST', body: { direction } });
      await load();
    };
    actions.append(button('admin.move_up', move('up'), index === 0), button('admin.move_down', move('down'), index === embedded.length - 1),
      button('admin.remove', async () => {
        await api(`${base}/${script.id}`, { method: 'DELETE' });
        await load();
      }));
    row.append(cell(String(index + 1)), cell(script.definition.name), cell(script.definition.runAtStart ? t('admin.yes') : t('admin.no')), actions);
    return row;
  }));
  $('group-scripts-none').hidden = embedded.length > 0;
  $('group-script-pick').replaceChildren(...library.scripts.map((script) => new Option(script.definition.name, script.id)));
  $('group-script-add').hidden = library.scripts.length === 0;
  $('group-scripts-write-first').hidden = library.scripts.length > 0;
}

/** A copy of one of the administrator's own scripts, resource file included, at the end of the group's. */
$('group-script-add').addEventListener('submit', async (event) => {
  event.preventDefault();
  fail(null);
  const id = $('group-script-pick').value;
  try {
    const { scripts } = await api('scripts');
    const mine = scripts.find((script) => script.id === id);
    if (!mine) return;
    const base = `admin/groups/${encodeURIComponent(groupId)}/scripts`;
    const added = await api(base, { method: 'POST', body: { ...mine.definition, favourite: false } });
    if (mine.definition.resourceName) {
      const response = await fetch(`/api/v1/scripts/${mine.id}/resource`, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(t('admin.resource_not_copied'));
      await api(`${base}/${added.id}/resource?name=${encodeURIComponent(mine.definition.resourceName)}`, { method: 'PUT', body: await response.blob() });
    }
    await load();
  } catch (error) {
    fail(error);
  }
});

followRoute((route) => {
  groupId = route.kind === 'group' && route.tab === 'scripts' ? route.id : null;
  fail(null);
  load().catch(fail);
});

await ready;
