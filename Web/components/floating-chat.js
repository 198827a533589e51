// The chat window over the full-screen remote desktop (D1): while the Customer Desktop fills the
// screen, "Show chat" opens a small window with the session's log and an input, so the technician
// answers without leaving full screen. Keys typed in it stay out of the remote desktop.
import { t } from '../lib/i18n.js';

/** A chat form: Enter sends the trimmed text, if any, and empties the input. */
export function sendOnSubmit(form, input, onSend) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    onSend(text);
    input.value = '';
  });
}

export function mountFloatingChat(screen, { line, onSend }) {
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.id = 'floating-chat-toggle';
  toggle.className = 'floating-chat-toggle';
  toggle.hidden = true;
  const panel = document.createElement('section');
  panel.id = 'floating-chat';
  panel.className = 'floating-chat';
  panel.hidden = true;
  const log = document.createElement('ol');
  log.className = 'chat-log';
  const form = document.createElement('form');
  const input = document.createElement('input');
  input.id = 'floating-chat-input';
  input.autocomplete = 'off';
  input.maxLength = 4000;
  form.append(input);
  panel.append(log, form);
  screen?.append(toggle, panel);
  let open = false;

  const inFullScreen = () => Boolean(screen) && document.fullscreenElement === screen;
  function render() {
    toggle.hidden = !inFullScreen();
    panel.hidden = !inFullScreen() || !open;
    toggle.textContent = t(open ? 'chat.hideWindow' : 'chat.showWindow');
    input.placeholder = t('chat.placeholder');
  }
  toggle.addEventListener('click', () => {
    open = !open;
    render();
    if (open) input.focus();
  });
  for (const kind of ['keydown', 'keyup', 'keypress']) panel.addEventListener(kind, (event) => event.stopPropagation());
  sendOnSubmit(form, input, onSend);
  document.addEventListener('fullscreenchange', render);

  return {
    show(session, entries, canSend) {
      form.hidden = !canSend;
      log.replaceChildren(...(session ? entries.slice(-50).map(line) : []));
      log.scrollTop = log.scrollHeight;
      render();
    },
  };
}
