// The customer survey (D5): the questions an administrator set for the technician's group or the
// channel, answered once through the one-time link of /survey/<token>.
import { api } from '../lib/api.js';
import { customerLanguage, describeError, loadLanguage, t, translatePage } from '../lib/i18n.js';
import { element } from './instructions.js';

await loadLanguage(customerLanguage(), 'customer');
translatePage();

const $ = (id) => document.getElementById(id);
const token = location.pathname.split('/survey/')[1]?.split('/')[0] ?? '';
const path = `surveys/${encodeURIComponent(token)}`;

function showError(message) {
  $('survey-error').textContent = message;
  $('survey-error').hidden = !message;
}

function done(key) {
  $('survey-form').hidden = true;
  $('survey-intro').hidden = true;
  $('survey-done').textContent = t(key);
  $('survey-done').hidden = false;
}

/** One question: a 1–5 scale, yes / no, or a text box. Texts from the gateway stay text. */
function questionField(question) {
  const fieldset = element('fieldset', 'survey-question');
  fieldset.dataset.question = question.id;
  fieldset.append(element('legend', '', question.text + (question.required ? ' *' : '')));
  const choice = (value, label) => {
    const wrapper = element('label', 'inline');
    const input = element('input');
    input.type = 'radio';
    input.name = question.id;
    input.value = value;
    input.required = question.required;
    wrapper.append(input, ` ${label}`);
    return wrapper;
  };
  if (question.kind === 'rating') {
    for (let value = 1; value <= 5; value += 1) fieldset.append(choice(String(value), t(`survey.rating${value}`)));
  } else if (question.kind === 'yes_no') {
    fieldset.append(choice('true', t('survey.yes')), choice('false', t('survey.no')));
  } else {
    const box = element('textarea');
    box.name = question.id;
    box.maxLength = 2000;
    box.rows = 3;
    box.required = question.required;
    fieldset.append(box);
  }
  return fieldset;
}

function answersOf(form, questions) {
  const answers = {};
  const data = new FormData(form);
  for (const question of questions) {
    const value = data.get(question.id);
    if (value === null || value === '') continue;
    if (question.kind === 'rating') answers[question.id] = Number(value);
    else if (question.kind === 'yes_no') answers[question.id] = value === 'true';
    else answers[question.id] = String(value);
  }
  return answers;
}

try {
  const survey = await api(path);
  if (survey.answered) {
    done('survey.already');
  } else {
    $('survey-intro').textContent = t('survey.intro', { technician: survey.technicianName, organisation: survey.organisation });
    const form = $('survey-form');
    const submit = element('button', '', t('survey.submit'));
    submit.type = 'submit';
    form.replaceChildren(...survey.questions.map(questionField), submit);
    form.hidden = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      try {
        await api(path, { method: 'POST', body: { answers: answersOf(form, survey.questions) } });
        done('survey.thanks');
      } catch (error) {
        submit.disabled = false;
        if (error.code === 'survey_answered') done('survey.already');
        else showError(describeError(error));
      }
    });
  }
} catch (error) {
  $('survey-intro').hidden = true;
  showError(error.code === 'network' ? t('error.network') : t('survey.invalid'));
}
