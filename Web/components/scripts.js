// The Scripts tab (N1, N2): the technician's library — searched, ordered with up and down,
// starred (up to five favourites), exported and imported as scripts.xml — and the scripts an
// administrator embedded for the group; a chosen script is deployed to the session's customer with
// its parameters, and its output arrives live. The gateway checks `deploy_scripts` /
// `run_embedded_scripts`, the session and the values on every request; the applet checks the
// script's hash before anything runs.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { mountScriptEditor } from './script-editor.js';

let requestCounter = 0;
const LIVE = ['active', 'collaboration'];

export function mountScripts(panel, dialog, { send, onError, canUse }) {
  const $ = (selector) => panel.querySelector(selector);
  const [favourites, search, list, embeddedTitle, embeddedList, libraryStatus] =
    ['#script-favourites', '#script-search', '#script-list', '#script-embedded-title', '#script-embedded', '#script-library-status'].map($);
  const [none, chosenBox, nameLine, descriptionLine, factsLine, runForm, parametersBox] =
    ['#script-none', '#script-chosen', '#script-name', '#script-description', '#script-facts', '#script-run-form', '#script-parameters'].map($);
  const [asRootLabel, asRoot, deployButton, cancelButton, editButton, deleteButton, status, output] =
    ['#script-as-root-label', '#script-as-root', '#script-deploy', '#script-cancel', '#script-edit', '#script-delete', '#script-status',
      '#script-output'].map($);
  let library = { scripts: [], embedded: [], canDeploy: false, canRunEmbedded: false };
  let chosenId = null;
  let session = null;
  const requests = new Map(); // request id → session id
  const runs = new Map(); // session id → { runId, name, lines: [{stream, text, at}], result, status }

  const editor = mountScriptEditor(dialog, { saved: (script) => load().then(() => choose(script.id)) });

  const all = () => [...library.scripts, ...library.embedded];
  const chosen = () => all().find((script) => script.id === chosenId) ?? null;
  const isEmbedded = (script) => Boolean(script?.groupId);

  function say(node, text, isError = false) {
    node.textContent = text;
    node.classList.toggle('error', isError);
  }

  async function load() {
    library = await api('scripts');
    drawLibrary();
    drawChosen();
  }

  function row(script, index, count, own) {
    const item = document.createElement('li');
    item.dataset.scriptId = script.id;
    item.classList.toggle('chosen', script.id === chosenId);
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.className = 'link script-pick';
    pick.textContent = `${index + 1}. ${script.definition.name}`;
    pick.addEventListener('click', () => choose(script.id));
    if (!own) {
      item.append(pick);
      return item;
    }
    const button = (label, symbol, action, disabled = false) => {
      const node = document.createElement('button');
      node.type = 'button';
      node.className = 'icon-button';
      node.textContent = symbol;
      node.title = t(label);
      node.setAttribute('aria-label', t(label));
      node.disabled = disabled;
      node.addEventListener('click', action);
      return node;
    };
    const star = button(script.favourite ? 'scripts.unstar' : 'scripts.star', script.favourite ? '★' : '☆', () => toggleFavourite(script));
    star.classList.add('script-star');
    star.setAttribute('aria-pressed', String(script.favourite));
    item.append(button('scripts.up', '↑', () => move(script, 'up'), index === 0),
      button('scripts.down', '↓', () => move(script, 'down'), index === count - 1), star, pick);
    return item;
  }

  function drawLibrary() {
    const words = search.value.trim().toLowerCase();
    const matches = (script) => !words || `${script.definition.name} ${script.definition.description}`.toLowerCase().includes(words);
    list.replaceChildren(...library.scripts.map((script, index) => (matches(script) ? row(script, index, library.scripts.length, true) : null))
      .filter(Boolean));
    embeddedList.replaceChildren(...library.embedded.filter(matches).map((script, index) => row(script, index, 0, false)));
    embeddedTitle.hidden = library.embedded.length === 0;
    favourites.replaceChildren(...library.scripts.filter((script) => script.favourite).map((script) => {
      const node = document.createElement('button');
      node.type = 'button';
      node.textContent = script.definition.name;
      node.addEventListener('click', () => choose(script.id));
      return node;
    }));
    favourites.hidden = favourites.childElementCount === 0;
    // Without deploy_scripts the technician has no library of their own: only the embedded scripts.
    $('#script-new').disabled = !library.canDeploy;
    $('#script-export').hidden = !library.canDeploy;
    $('#script-import').closest('label').hidden = !library.canDeploy;
  }

  function choose(id) {
    chosenId = id;
    drawLibrary();
    drawChosen();
  }

  function parameterField(parameter) {
    const label = document.createElement('label');
    const caption = document.createElement('span');
    caption.textContent = parameter.label + (parameter.required ? ' *' : '');
    let field;
    if (parameter.kind === 'choice') {
      field = document.createElement('select');
      if (!parameter.required) field.append(new Option('', ''));
      for (const choice of parameter.choices) field.append(new Option(choice, choice));
    } else {
      field = document.createElement(parameter.kind === 'text' ? 'textarea' : 'input');
      if (parameter.kind === 'number') field.type = 'number';
      else field.rows = 1;
    }
    field.name = parameter.name;
    field.dataset.parameter = parameter.name;
    field.required = parameter.required;
    field.value = parameter.defaultValue ?? '';
    label.append(caption, ' ', field);
    return label;
  }

  function drawChosen() {
    const script = chosen();
    none.hidden = Boolean(script);
    chosenBox.hidden = !script;
    if (!script) return;
    const { definition } = script;
    if (nameLine.dataset.scriptId !== script.id || nameLine.dataset.updated !== String(script.updatedAt)) {
      nameLine.dataset.scriptId = script.id;
      nameLine.dataset.updated = String(script.updatedAt);
      nameLine.textContent = definition.name;
      descriptionLine.textContent = definition.description;
      parametersBox.replaceChildren(...definition.parameters.map(parameterField));
    }
    const facts = [t('scripts.fileFact', { file: definition.fileName }), t('scripts.limitFact', { seconds: definition.timeLimitSeconds })];
    if (definition.resourceName) facts.push(t('scripts.resourceFact', { file: definition.resourceName }));
    if (definition.runAtStart) facts.push(t('scripts.runAtStart'));
    if (isEmbedded(script)) facts.push(t('scripts.embeddedFact'));
    factsLine.textContent = facts.join(' · ');
    editButton.hidden = isEmbedded(script);
    deleteButton.hidden = isEmbedded(script);
    drawRun();
  }

  /** The deploy button, the run of the shown session, its output. */
  function drawRun() {
    const script = chosen();
    const run = session ? runs.get(session.id) : null;
    const allowed = isEmbedded(script) ? library.canRunEmbedded : library.canDeploy;
    const live = session && LIVE.includes(session.state);
    deployButton.disabled = !script || !allowed || !live || Boolean(run && !run.result);
    deployButton.title = !allowed ? t('toolbox.noPermission') : !live ? t('toolbox.notActive') : '';
    asRootLabel.hidden = !session?.customer?.privileged;
    cancelButton.hidden = !run || Boolean(run.result);
    if (!run) {
      say(status, '');
      output.replaceChildren();
      return;
    }
    say(status, run.status, run.failed);
    output.replaceChildren(...run.lines.map((line) => {
      const node = document.createElement('span');
      node.className = `script-line ${line.stream}`;
      node.textContent = line.text;
      return node;
    }));
    output.scrollTop = output.scrollHeight;
  }

  async function move(script, direction) {
    try {
      await api(`scripts/${script.id}/move`, { method: 'POST', body: { direction } });
      await load();
    } catch (error) {
      say(libraryStatus, describeError(error), true);
    }
  }

  async function toggleFavourite(script) {
    const { definition } = script;
    try {
      await api(`scripts/${script.id}`, { method: 'PUT', body: { ...definition, favourite: !script.favourite } });
      say(libraryStatus, '');
      await load();
    } catch (error) {
      say(libraryStatus, describeError(error), true);
    }
  }

  runForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const script = chosen();
    if (!script || !session) return;
    const values = {};
    for (const field of parametersBox.querySelectorAll('[data-parameter]')) {
      if (field.value !== '') values[field.dataset.parameter] = field.value;
    }
    requestCounter += 1;
    const requestId = `script-${requestCounter}`;
    requests.set(requestId, session.id);
    runs.set(session.id, { runId: null, name: script.definition.name, lines: [], result: null, status: t('scripts.sending') });
    send('script_run_request', { sessionId: session.id, requestId, scriptId: script.id, values, asRoot: !asRootLabel.hidden && asRoot.checked });
    drawRun();
  });

  cancelButton.addEventListener('click', () => {
    const run = session ? runs.get(session.id) : null;
    if (run?.runId) send('script_cancel', { sessionId: session.id, runId: run.runId });
  });

  editButton.addEventListener('click', () => editor.open(chosen()));
  $('#script-new').addEventListener('click', () => editor.open(null));
  deleteButton.addEventListener('click', async () => {
    const script = chosen();
    if (!script || !window.confirm(t('scripts.confirmDelete', { name: script.definition.name }))) return;
    try {
      await api(`scripts/${script.id}`, { method: 'DELETE' });
      chosenId = null;
      await load();
    } catch (error) {
      say(libraryStatus, describeError(error), true);
    }
  });
  search.addEventListener('input', drawLibrary);

  $('#script-import').addEventListener('change', async (event) => {
    const [file] = event.target.files;
    event.target.value = '';
    if (!file) return;
    try {
      const result = await api('scripts/import', { method: 'POST', body: file, contentType: 'application/xml' });
      say(libraryStatus, t('scripts.imported', { added: result.added, unchanged: result.unchanged }));
      await load();
    } catch (error) {
      say(libraryStatus, describeError(error), true);
    }
  });

  function runOf(message) {
    const run = runs.get(message.sessionId);
    return run && (run.runId === message.runId || run.runId === null) ? run : null;
  }

  return {
    load: () => load().catch((error) => say(libraryStatus, describeError(error), true)),
    show(next) {
      const other = next?.id !== session?.id;
      session = next;
      if (other) drawChosen();
      else drawRun();
    },
    started(message) {
      const sessionId = requests.get(message.requestId) ?? message.sessionId;
      requests.delete(message.requestId);
      const run = runs.get(sessionId);
      if (run && !run.runId && message.requestId) run.runId = message.runId;
      else runs.set(sessionId, { runId: message.runId, name: message.name, lines: [], result: null });
      runs.get(sessionId).status = t('scripts.running', { name: message.name });
      if (sessionId === session?.id) drawRun();
    },
    output(message) {
      const run = runOf(message);
      if (!run) return;
      for (const chunk of message.chunks) run.lines.push(chunk);
      if (message.sessionId === session?.id) drawRun();
    },
    finished(message) {
      const run = runOf(message);
      if (!run) return;
      const { result } = message;
      run.result = result;
      run.failed = !(result.outcome === 'exited' && result.exitCode === 0);
      const detail = { bytes: result.outputBytes, sha256: result.outputSha256, seconds: result.seconds.toFixed(1) };
      run.status = result.outcome === 'refused'
        ? t('scripts.refused', { reason: result.message ?? result.refusal })
        : `${t(`scripts.outcome.${result.outcome}`, { code: result.exitCode ?? '', signal: result.signal ?? '' })} ${t('scripts.outputFact', detail)}`
          + (result.outputTruncated ? ` ${t('scripts.truncated')}` : '')
          + (result.leftoverProcesses > 0 ? ` ${t('scripts.leftover', { count: result.leftoverProcesses })}` : '');
      if (message.sessionId === session?.id) drawRun();
    },
    /** A refused request of this tab (error with its requestId); false when it is not ours. */
    refused(message) {
      const sessionId = requests.get(message.requestId);
      if (!sessionId) return false;
      requests.delete(message.requestId);
      // A value the gateway refused is said in its own words: which parameter, and why.
      const said = message.code === 'bad_request' ? message.message : describeError(message);
      runs.set(sessionId, { runId: null, name: '', lines: [], result: {}, status: said, failed: true });
      if (sessionId === session?.id) drawRun();
      return true;
    },
    onError,
    canUse,
  };
}
