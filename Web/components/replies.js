// Predefined replies and URLs (D2, D3): a menu next to the chat box puts one into the input to
// edit before sending; Send URL sends the input as a link the customer's applet opens. The
// Replies dialog adds, edits and deletes them, and exports or imports replies.xml. Everything is
// shown as text.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';

export function mountReplies(root, dialog, { input, currentSession, canUse, onError }) {
  const $ = (id) => root.querySelector(`#${id}`) ?? dialog.querySelector(`#${id}`);
  const [pick, sendURL, manage, table, form, status, importInput] = ['reply-pick', 'send-url', 'manage-replies', 'replies-table',
    'reply-form', 'replies-status', 'replies-import'].map($);
  let replies = [];
  let editing = null;

  async function load() {
    replies = await api('replies');
    const label = new Option(t('replies.pick'), '');
    pick.replaceChildren(label, ...replies.map((reply) => new Option(`${reply.kind === 'url' ? '🔗 ' : ''}${reply.name}`, reply.id)));
    table.querySelector('tbody').replaceChildren(...replies.map((reply) => {
      const row = document.createElement('tr');
      row.dataset.replyId = reply.id;
      for (const text of [t(`replies.${reply.kind}`), reply.name, reply.content]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      const actions = document.createElement('td');
      for (const [name, action] of [['edit', () => edit(reply)], ['delete', () => remove(reply)]]) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = `link reply-${name}`;
        button.textContent = t(`replies.${name}`);
        button.addEventListener('click', action);
        actions.append(button);
      }
      row.append(actions);
      return row;
    }));
  }

  function say(text, isError = false) {
    status.textContent = text;
    status.classList.toggle('error', isError);
    status.hidden = !text;
  }

  function edit(reply) {
    editing = reply;
    form.elements.kind.value = reply.kind;
    form.elements.name.value = reply.name;
    form.elements.content.value = reply.content;
  }

  async function remove(reply) {
    try {
      await api(`replies/${reply.id}`, { method: 'DELETE' });
      await load();
    } catch (error) {
      say(describeError(error), true);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { kind: form.elements.kind.value, name: form.elements.name.value, content: form.elements.content.value };
    try {
      await api(editing ? `replies/${editing.id}` : 'replies', { method: editing ? 'PUT' : 'POST', body });
      editing = null;
      form.reset();
      say('');
      await load();
    } catch (error) {
      say(describeError(error), true);
    }
  });

  importInput.addEventListener('change', async () => {
    const [file] = importInput.files;
    importInput.value = '';
    if (!file) return;
    try {
      const result = await api('replies/import', { method: 'POST', body: file, contentType: 'application/xml' });
      say(t('replies.imported', { added: result.added, unchanged: result.unchanged }));
      await load();
    } catch (error) {
      say(describeError(error), true);
    }
  });

  pick.addEventListener('change', () => {
    const reply = replies.find((r) => r.id === pick.value);
    pick.value = '';
    if (!reply) return;
    input.value = reply.content;
    input.focus();
  });

  sendURL.addEventListener('click', async () => {
    const session = currentSession();
    if (!session || !input.value.trim()) return;
    try {
      await api(`sessions/${session.id}/urls`, { method: 'POST', body: { url: input.value.trim() } });
      input.value = '';
      onError(null);
    } catch (error) {
      onError(error);
    }
  });

  manage.addEventListener('click', async () => {
    say('');
    await load().catch((error) => say(describeError(error), true));
    dialog.showModal();
  });
  dialog.querySelector('#replies-close').addEventListener('click', () => dialog.close());

  return {
    load: () => load().catch(() => {}),
    render() {
      sendURL.hidden = !canUse('send_urls');
    },
  };
}
