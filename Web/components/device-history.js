// History and notes (D6): notes kept with the selected session (its technician writes them) and
// the organisation's earlier sessions with the same device, with their notes and, on demand,
// their logs. Everything is shown as text.
import { api } from '../lib/api.js';
import { describeError, formatDateTime, formatTime, t } from '../lib/i18n.js';
import { logLineText } from '../lib/log-lines.js';

export function mountDeviceHistory(root, { isMine }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [section, notes, save, status, list, none] = ['device-history', 'session-notes', 'save-notes', 'notes-status', 'device-sessions',
    'device-none'].map($);
  let session = null;

  async function load() {
    const [mine, earlier] = await Promise.all([api(`sessions/${session.id}/notes`), api(`sessions/${session.id}/device-history`)]);
    notes.value = mine.text;
    status.textContent = mine.updatedBy ? t('notes.by', { name: mine.updatedBy, when: formatDateTime(mine.updatedAt) }) : '';
    none.hidden = earlier.length > 0;
    list.replaceChildren(...earlier.map((entry) => {
      const item = document.createElement('li');
      item.dataset.sessionId = entry.sessionId;
      const title = document.createElement('strong');
      title.textContent = `${formatDateTime(entry.createdAt)} · ${entry.technicianName} · ${entry.name} · ${t(`state.${entry.state}`)}`;
      const text = document.createElement('p');
      text.className = 'device-notes';
      text.textContent = entry.notes ?? t('notes.empty');
      const show = document.createElement('button');
      show.type = 'button';
      show.className = 'link';
      show.textContent = t('notes.showLog');
      const log = document.createElement('ol');
      log.className = 'device-log';
      show.addEventListener('click', async () => {
        const entries = await api(`sessions/${session.id}/device-history/${entry.sessionId}/log`);
        log.replaceChildren(...entries.map((line) => {
          const li = document.createElement('li');
          li.textContent = `${formatTime(line.at, true)} ${line.kind === 'chat' ? `${line.author}: ${line.text}` : logLineText(line)}`;
          return li;
        }));
      });
      item.append(title, text, show, log);
      return item;
    }));
  }

  save.addEventListener('click', async () => {
    try {
      const saved = await api(`sessions/${session.id}/notes`, { method: 'PUT', body: { text: notes.value } });
      status.textContent = t('notes.by', { name: saved.updatedBy, when: formatDateTime(saved.updatedAt) });
    } catch (error) {
      status.textContent = describeError(error);
    }
  });

  // What the shown history was read for: the session, and the device its applet named. A session
  // selected while Connecting has no device yet; the history is read again once the applet says
  // which device it runs on (it used to say "no earlier session" until the page was reloaded).
  let loadedFor = null;
  return {
    show(selected) {
      session = selected;
      section.hidden = !session;
      if (!session) {
        loadedFor = null;
        return;
      }
      notes.readOnly = !isMine(session);
      save.hidden = !isMine(session);
      const key = `${session.id} ${session.customer?.deviceId ?? ''}`;
      if (key === loadedFor) return;
      loadedFor = key;
      load().catch((error) => {
        loadedFor = null;
        status.textContent = describeError(error);
      });
    },
  };
}
