// The console's sign-in view (A1): language, email and password, remember me.
import { api } from '../lib/api.js';
import { browserLanguage, describeError, LANGUAGE_NAMES, languagesOf, loadLanguage, t, translatePage } from '../lib/i18n.js';
import { mountTwoStepLogin } from './two-step-login.js';

const $ = (id) => document.getElementById(id);

/** Shows the sign-in form; `onSignedIn(technician)` runs after a successful login. */
export function mountLogin({ onSignedIn }) {
  $('login-language').replaceChildren(...languagesOf('console').map((code) => new Option(LANGUAGE_NAMES[code] ?? code, code)));
  const twoStep = mountTwoStepLogin({ onSignedIn, onBack: () => { $('login-form').hidden = false; } });

  $('login-language').addEventListener('change', async (event) => {
    await loadLanguage(event.target.value);
    translatePage();
  });

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const errorLine = $('login-error');
    errorLine.hidden = true;
    try {
      const result = await api('auth/login', {
        method: 'POST',
        body: {
          email: $('login-email').value, password: $('login-password').value,
          remember: $('login-remember').checked, language: $('login-language').value,
        },
      });
      $('login-password').value = '';
      if (result.twoStep) {
        $('login-form').hidden = true;
        await twoStep.show(result.twoStep);
        return;
      }
      // Sent here to sign in by another page of the gateway (the Admin Center): back to it.
      const next = new URLSearchParams(location.search).get('next');
      if (next && new URL(next, location.origin).origin === location.origin) {
        location.assign(new URL(next, location.origin).href);
        return;
      }
      await onSignedIn(result.technician);
    } catch (error) {
      errorLine.textContent = t('login.failed', { message: describeError(error) });
      errorLine.hidden = false;
    }
  });

  return {
    async show() {
      const language = browserLanguage();
      await loadLanguage(language);
      translatePage();
      $('login-language').value = language;
      $('login-view').hidden = false;
      $('login-form').hidden = false;
      $('two-step-form').hidden = true;
      $('console-view').hidden = true;
      $('login-email').focus();
    },
  };
}
