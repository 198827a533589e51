// Customer surveys in the admin page (D5): on/off and questions per technician group or channel,
// and the customer satisfaction report with its CSV, dates in the viewer's time zone.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';
import { ready, viewerTimeZone } from './admin-language.js';
import { followRoute } from './admin-route.js';

const $ = (id) => document.getElementById(id);
const KINDS = [['rating', 'admin.question_rating'], ['yes_no', 'admin.question_yes_no'], ['text', 'admin.question_text']];
let editing = null; // the survey setting being edited

function fail(error) {
  $('survey-error').textContent = error ? describeError(error) : '';
  $('survey-error').hidden = !error;
}

function text(tag, value) {
  const element = document.createElement(tag);
  element.textContent = value;
  return element;
}

function questionRow(question = { text: '', kind: 'rating', required: false }) {
  const row = document.createElement('div');
  row.className = 'survey-question-row';
  const input = document.createElement('input');
  input.className = 'question-text';
  input.maxLength = 300;
  input.required = true;
  input.value = question.text;
  input.setAttribute('aria-label', t('admin.question'));
  const kind = document.createElement('select');
  kind.className = 'question-kind';
  kind.append(...KINDS.map(([value, label]) => new Option(t(label), value)));
  kind.value = question.kind;
  const required = document.createElement('label');
  required.className = 'inline';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.className = 'question-required';
  box.checked = question.required;
  required.append(box, ` ${t('admin.required')}`);
  const remove = text('button', t('admin.remove'));
  remove.type = 'button';
  remove.addEventListener('click', () => row.remove());
  row.append(input, kind, required, remove);
  return row;
}

/** "Group: Support" or "Channel: Website" in the viewer's language. */
function scopeName(setting) {
  return t(setting.scope === 'group' ? 'admin.survey_of_group' : 'admin.survey_of_channel', { name: setting.name });
}

function edit(setting) {
  editing = setting;
  $('survey-form-title').textContent = scopeName(setting);
  $('survey-enabled').checked = setting.enabled;
  $('survey-questions').replaceChildren(...setting.questions.map(questionRow));
  $('survey-form').hidden = false;
}

async function loadSurveys() {
  const settings = await api('admin/surveys');
  $('surveys').querySelector('tbody').replaceChildren(...settings.map((setting) => {
    const row = document.createElement('tr');
    row.dataset.scopeId = setting.scopeId;
    row.append(text('td', scopeName(setting)),
      text('td', t(setting.enabled ? 'admin.on' : 'admin.off')), text('td', setting.questions.map((q) => q.text).join(' · ')));
    const action = document.createElement('td');
    const button = text('button', t('admin.edit'));
    button.type = 'button';
    button.addEventListener('click', () => edit(setting));
    action.append(button);
    row.append(action);
    return row;
  }));
}

$('survey-add').addEventListener('click', () => $('survey-questions').append(questionRow()));
$('survey-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const questions = [...$('survey-questions').querySelectorAll('.survey-question-row')].map((row) => ({
    text: row.querySelector('.question-text').value,
    kind: row.querySelector('.question-kind').value,
    required: row.querySelector('.question-required').checked,
  }));
  try {
    await api(`admin/surveys/${editing.scope}/${editing.scopeId}`, { method: 'PUT', body: { enabled: $('survey-enabled').checked, questions } });
    $('survey-form').hidden = true;
    fail(null);
    await loadSurveys();
  } catch (error) {
    fail(error);
  }
});

function reportQuery() {
  const query = new URLSearchParams({ timeZone: viewerTimeZone });
  if ($('report-from').value) query.set('from', $('report-from').value);
  if ($('report-to').value) query.set('to', $('report-to').value);
  return query;
}

async function loadReport() {
  const query = reportQuery();
  const rows = await api(`reports/surveys?${query}`);
  query.set('format', 'csv');
  $('report-csv').href = `/api/v1/reports/surveys?${query}`;
  $('survey-report').querySelector('tbody').replaceChildren(...rows.map((row) => {
    const line = document.createElement('tr');
    line.append(...[row.sessionId, row.customer, row.technician, row.channel, row.sentAt, row.answeredAt ?? t('admin.not_answered')]
      .map((value) => text('td', value)));
    const answers = document.createElement('td');
    answers.append(...row.answers.map((answer) => text('div', `${answer.question} — ${answer.answer}`)));
    line.append(answers);
    return line;
  }));
  $('survey-report-empty').hidden = rows.length > 0;
}

$('report-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await loadReport();
    fail(null);
  } catch (error) {
    fail(error);
  }
});

// Opening a tab shows what is there now (answers keep coming in).
let loaded = false;
followRoute((route) => {
  if (!loaded) return;
  const refresh = route.tab === 'reports' && route.kind === 'organisation' ? loadReport : route.tab === 'surveys' ? loadSurveys : null;
  refresh?.().catch(fail);
});

try {
  await ready;
  await loadSurveys();
  await loadReport();
  loaded = true;
} catch (error) {
  // An administrator of some groups does not manage this section (admin.js hides it).
  if (error.code !== 'outside_scope') fail(error);
}
