// The script dialog (N1): name, description, the script (typed, or read from a file of the
// technician's computer), an optional resource file, platforms, "run at applet start", a time
// limit and parameters. The gateway checks everything again (ScriptRules) and says what is wrong.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';

const KINDS = ['text', 'number', 'choice'];

export function mountScriptEditor(dialog, { saved }) {
  const form = dialog.querySelector('#script-form');
  const rows = dialog.querySelector('#script-parameter-rows');
  const status = dialog.querySelector('#script-form-status');
  const resourceNow = dialog.querySelector('#script-resource-now');
  let editing = null;

  function say(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  /** One parameter's fields: name, label, kind, required, choices (comma-separated), default. */
  function parameterRow(parameter = { name: '', label: '', kind: 'text', required: false, choices: [], defaultValue: '' }) {
    const row = document.createElement('div');
    row.className = 'script-parameter-row';
    // Named apart from the script's own fields (form.elements.name must stay the script's name).
    const input = (name, placeholder, value, attributes = {}) => {
      const node = document.createElement('input');
      node.name = `parameter-${name}`;
      node.placeholder = t(placeholder);
      node.setAttribute('aria-label', t(placeholder));
      node.value = value ?? '';
      Object.assign(node, attributes);
      return node;
    };
    const kind = document.createElement('select');
    kind.name = 'parameter-kind';
    kind.setAttribute('aria-label', t('scripts.parameterKind'));
    for (const each of KINDS) kind.append(new Option(t(`scripts.kind.${each}`), each));
    kind.value = parameter.kind;
    const required = document.createElement('label');
    required.className = 'inline';
    const box = input('required', 'scripts.required', '', { type: 'checkbox', checked: parameter.required });
    required.append(box, ' ', t('scripts.required'));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = t('scripts.removeParameter');
    remove.addEventListener('click', () => row.remove());
    row.append(input('name', 'scripts.parameterName', parameter.name, { maxLength: 32 }),
      input('label', 'scripts.parameterLabel', parameter.label, { maxLength: 64 }), kind, required,
      input('choices', 'scripts.parameterChoices', parameter.choices.join(', ')),
      input('defaultValue', 'scripts.parameterDefault', parameter.defaultValue ?? ''), remove);
    return row;
  }

  function parameters() {
    return [...rows.querySelectorAll('.script-parameter-row')].map((row) => {
      const field = (name) => row.querySelector(`[name="parameter-${name}"]`);
      const kind = field('kind').value;
      const defaultValue = field('defaultValue').value;
      return {
        name: field('name').value.trim(), label: field('label').value.trim() || field('name').value.trim(), kind,
        required: field('required').checked,
        choices: kind === 'choice' ? field('choices').value.split(',').map((choice) => choice.trim()).filter(Boolean) : [],
        ...(defaultValue === '' ? {} : { defaultValue }),
      };
    });
  }

  form.elements.file.addEventListener('change', async () => {
    const [file] = form.elements.file.files;
    if (!file) return;
    form.elements.content.value = await file.text();
    if (!editing) form.elements.name.value ||= file.name;
  });

  dialog.querySelector('#script-parameter-add').addEventListener('click', () => rows.append(parameterRow()));
  dialog.querySelector('#script-form-close').addEventListener('click', () => dialog.close());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [scriptFile] = form.elements.file.files;
    const body = {
      name: form.elements.name.value, description: form.elements.description.value,
      fileName: scriptFile?.name ?? editing?.definition.fileName ?? 'script.sh', content: form.elements.content.value,
      platforms: [...form.querySelectorAll('[name="platform"]:checked')].map((box) => box.value),
      runAtStart: form.elements.runAtStart.checked, timeLimitSeconds: Number(form.elements.timeLimitSeconds.value),
      parameters: parameters(), favourite: editing?.favourite ?? false,
    };
    try {
      let script = await api(editing ? `scripts/${editing.id}` : 'scripts', { method: editing ? 'PUT' : 'POST', body });
      const [resource] = form.elements.resource.files;
      if (resource) {
        script = await api(`scripts/${script.id}/resource?name=${encodeURIComponent(resource.name)}`, { method: 'PUT', body: resource });
      }
      dialog.close();
      saved(script);
    } catch (error) {
      say(error.code === 'bad_request' ? error.message : describeError(error));
    }
  });

  return {
    /** Opens the dialog for `script`, or empty for a new one. */
    open(script) {
      editing = script;
      form.reset();
      say('');
      const definition = script?.definition;
      form.elements.name.value = definition?.name ?? '';
      form.elements.description.value = definition?.description ?? '';
      form.elements.content.value = definition?.content ?? '#!/bin/sh\n';
      form.elements.timeLimitSeconds.value = definition?.timeLimitSeconds ?? 300;
      form.elements.runAtStart.checked = definition?.runAtStart ?? false;
      for (const box of form.querySelectorAll('[name="platform"]')) box.checked = (definition?.platforms ?? ['linux']).includes(box.value);
      rows.replaceChildren(...(definition?.parameters ?? []).map(parameterRow));
      resourceNow.textContent = definition?.resourceName ? t('scripts.resourceFact', { file: definition.resourceName }) : '';
      dialog.showModal();
    },
  };
}
