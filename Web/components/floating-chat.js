// The chat window over the full-screen remote desktop (D1): while the Customer Desktop fills the
// screen, "Show chat" opens a small window with the session's log and an input, so the technician
// answers without leaving full screen. Keys typed in it stay out of the remote desktop.
import { t } from '../lib/i18n.js';

/** The gateway's limit on a chat line, in characters (ChatText.maximumLength). */
export const CHAT_MAXIMUM = 4000;
/** The counter shows from here on, so a long message is never a surprise. */
const COUNTER_FROM = 3600;

/**
 * Sends the input's text on Enter. A line over the limit is not sent and not cut: the counter
 * and a notice say how long it is, and the text stays to be shortened. The text is cleared only
 * once the gateway took it (onSend resolves true), so a refused line is not lost either.
 */
export function sendOnSubmit(form, input, onSend) {
  const counter = document.createElement('span');
  counter.className = 'chat-counter';
  counter.setAttribute('aria-live', 'polite');
  counter.hidden = true;
  input.after(counter);
  const length = (text) => [...text].length;
  function showCount() {
    const count = length(input.value);
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
    counter.hidden = count < COUNTER_FROM;
    counter.classList.toggle('over', count > CHAT_MAXIMUM);
    counter.textContent = `${number.format(count)} / ${number.format(CHAT_MAXIMUM)}`;
    const tooLong = count > CHAT_MAXIMUM
      ? t('chat.tooLong', { max: number.format(CHAT_MAXIMUM), count: number.format(count) }) : '';
    input.setCustomValidity(tooLong);
    counter.title = tooLong;
  }
  input.addEventListener('input', showCount);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    showCount();
    if (length(text) > CHAT_MAXIMUM) {
      input.reportValidity();
      return;
    }
    const sent = await onSend(text);
    if (sent !== false && input.value.trim() === text) {
      input.value = '';
      showCount();
    }
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
  input.dataset.i18nLabel = 'chat.input';
  input.autocomplete = 'off';
  form.append(input);
  panel.append(log, form);
  screen?.append(toggle, panel);
  let open = false;
  // Which lines the panel shows now (session, count, last line).
  let drawn = '';

  const inFullScreen = () => Boolean(screen) && document.fullscreenElement === screen;
  function render() {
    toggle.hidden = !inFullScreen();
    const wasHidden = panel.hidden;
    panel.hidden = !inFullScreen() || !open;
    if (wasHidden && !panel.hidden) log.scrollTop = log.scrollHeight;
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
      // Redrawn only when a line came or the session changed: scrolling forces the page's layout.
      const shown = `${session?.id}|${entries.length}|${entries.at(-1)?.id}`;
      if (shown !== drawn) {
        drawn = shown;
        log.replaceChildren(...(session ? entries.slice(-50).map(line) : []));
        if (!panel.hidden) log.scrollTop = log.scrollHeight;
      }
      render();
    },
  };
}
