// A file or photo from the customer to the technician, from the browser (G4, Q4): on a phone the
// browser's picker offers the camera and the photos too. It goes to the gateway as the applet's
// files do (the session's own token), with its progress and Cancel; the technician finds it in
// the session's files, with its MD5 in the log.
import { describeError, t } from '../lib/i18n.js';

const $ = (id) => document.getElementById(id);

/** `token()`: the page's session token; `note(key, params)` writes in the page's log. */
export function mountSendFile({ token, note }) {
  const input = $('send-file-input');
  const box = $('send-file-box');
  const progress = $('send-file-progress');
  let sending = null;

  const size = (bytes) => new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: 'unit', unit: bytes >= 1e6 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1,
  }).format(bytes >= 1e6 ? bytes / 1e6 : bytes / 1e3);

  function send(file) {
    const request = new XMLHttpRequest();
    sending = request;
    request.open('POST', '/api/v1/customer/files');
    request.setRequestHeader('Authorization', `Bearer ${token()}`);
    request.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    request.upload.addEventListener('progress', (event) => {
      progress.max = event.total;
      progress.value = event.loaded;
    });
    const done = () => {
      sending = null;
      box.hidden = true;
      $('send-file').disabled = false;
    };
    request.addEventListener('load', () => {
      done();
      if (request.status === 201) {
        note('files.sent', { name: file.name, size: size(file.size) });
        return;
      }
      let reason = request.statusText;
      try {
        reason = describeError(JSON.parse(request.responseText).error);
      } catch { /* not the gateway's JSON: its status says it */ }
      note('files.failed', { name: file.name, reason });
    });
    request.addEventListener('error', () => {
      done();
      note('files.failed', { name: file.name, reason: t('error.network') });
    });
    request.addEventListener('abort', () => {
      done();
      note('files.cancelled', { name: file.name });
    });
    $('send-file-text').textContent = t('files.sending', { name: file.name, size: size(file.size) });
    progress.value = 0;
    progress.max = file.size || 1;
    box.hidden = false;
    $('send-file').disabled = true;
    request.send(file);
  }

  $('send-file').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const [file] = input.files;
    input.value = '';
    if (file) send(file);
  });
  $('send-file-cancel').addEventListener('click', () => sending?.abort());

  return {
    /** The chat is over: a file still going is stopped. */
    stop: () => sending?.abort(),
  };
}
