// Files in a session (D4, G1): "Send file" offers one file at a time to the customer; once they
// accept, the browser uploads it (with progress) and the gateway streams it into their applet.
// Files the customer sends appear here to download. MD5 hashes of both sides are shown.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export function mountFileTransfers(root, { canUse }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [button, input, list, error] = ['send-file', 'send-file-input', 'file-list', 'file-error'].map($);
  /** Files chosen by this console, by transfer id, until uploaded. */
  const chosen = new Map();
  /** Upload progress by transfer id (0–100). */
  const progress = new Map();
  /** Transfers by session id, each a Map by transfer id. */
  const transfers = new Map();
  let session = null;

  function transfersOf(id) {
    if (!transfers.has(id)) transfers.set(id, new Map());
    return transfers.get(id);
  }

  function render() {
    const active = session && ['active', 'collaboration'].includes(session.state);
    button.hidden = !active || !canUse('send_files');
    // Not in Instant Chat's chat-only mode (D4): greyed, with the reason.
    button.disabled = session?.customer?.client === 'browser';
    button.title = button.disabled ? t('chatOnly.reason') : '';
    const items = session ? [...transfersOf(session.id).values()] : [];
    list.hidden = items.length === 0;
    list.replaceChildren(...items.map((file) => {
      const item = document.createElement('li');
      item.dataset.fileId = file.id;
      item.dataset.phase = file.phase;
      const arrow = file.direction === 'to_customer' ? '→' : '←';
      let status = t(`file.${file.phase}`);
      if (file.phase === 'sending' && progress.has(file.id)) status = `${progress.get(file.id)} %`;
      const label = document.createElement(file.direction === 'from_customer' && file.phase === 'done' ? 'a' : 'span');
      label.textContent = `${arrow} ${file.name} (${sizeText(file.size)})`;
      if (label.tagName === 'A') {
        label.href = `/api/v1/sessions/${file.sessionId}/files/${file.id}`;
        label.download = file.name;
      }
      const detail = document.createElement('span');
      detail.className = 'muted';
      detail.textContent = ` · ${status}${file.md5 ? ` · MD5 ${file.md5}` : ''}${file.reason ? ` · ${file.reason}` : ''}`;
      item.append(label, detail);
      return item;
    }));
  }

  /** Once the customer accepted (which may be before the offer's answer reached this page): the
   * upload, with progress (XHR reports it; fetch does not). */
  function uploadIfAccepted(sessionId, id) {
    const file = transfersOf(sessionId).get(id);
    const blob = chosen.get(id);
    if (!blob || file?.phase !== 'sending' || file.direction !== 'to_customer') return;
    chosen.delete(file.id);
    const request = new XMLHttpRequest();
    request.open('PUT', `/api/v1/sessions/${file.sessionId}/files/${file.id}/content`);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.addEventListener('progress', (event) => {
      progress.set(file.id, Math.floor((event.loaded / file.size) * 100));
      render();
    });
    request.addEventListener('loadend', () => {
      progress.delete(file.id);
      if (request.status !== 200) {
        const problem = JSON.parse(request.responseText || '{}')?.error;
        error.textContent = problem ? describeError(problem) : t('file.interrupted');
        error.hidden = false;
      }
      render();
    });
    request.send(blob);
  }

  button.addEventListener('click', () => input.click());
  input.addEventListener('change', async () => {
    const [blob] = input.files;
    input.value = '';
    if (!blob || !session) return;
    error.hidden = true;
    try {
      const file = await api(`sessions/${session.id}/files`, { method: 'POST', body: { name: blob.name, size: blob.size } });
      chosen.set(file.id, blob);
      const known = transfersOf(session.id);
      if (!known.has(file.id)) known.set(file.id, file);
      uploadIfAccepted(session.id, file.id);
      render();
    } catch (problem) {
      error.textContent = describeError(problem);
      error.hidden = false;
    }
  });

  return {
    async show(selected) {
      const changed = selected?.id !== session?.id;
      session = selected;
      render();
      if (changed && session) {
        try {
          for (const file of await api(`sessions/${session.id}/files`)) transfersOf(session.id).set(file.id, file);
          render();
        } catch { /* the list is a convenience; the log has every transfer */ }
      }
    },
    changed(file) {
      transfersOf(file.sessionId).set(file.id, file);
      uploadIfAccepted(file.sessionId, file.id);
      if (file.phase !== 'offered' && file.phase !== 'sending') chosen.delete(file.id);
      render();
    },
  };
}
