// The chat pane (D1): the session's log of chat lines and status messages, the input, the
// per-session chat switch (toggle_chat), and the same chat floating over the full-screen desktop.
import { api } from '../lib/api.js';
import { currentLanguage, describeError, formatTime, t } from '../lib/i18n.js';
import { labelIconButton } from '../lib/icons.js';
import { logLineText } from '../lib/log-lines.js';
import { canChat, customerComputer, sessionDetails } from '../lib/session-logic.js';
import { mountFloatingChat, sendOnSubmit } from './floating-chat.js';

export function mountChatPane(elements, { onSend, canUse = () => true }) {
  const { none, title, invite, log, form, input, closed, copy, collapse, chatSwitch } = elements;
  let current = null;
  // What the log list shows now: for which session and language, from which array, how many lines.
  let drawn = {};
  // Whether the log follows its last line: known from its scroll events, so drawing a new line
  // never has to measure the page; the scroll to the end is done at most ten times a second.
  let followingEnd = true;
  let followPending = false;
  function followSoon() {
    if (!followingEnd || followPending) return;
    followPending = true;
    setTimeout(() => {
      followPending = false;
      if (followingEnd) log.scrollTop = log.scrollHeight;
    }, 100);
  }
  log.addEventListener('scroll', () => {
    followingEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  }, { passive: true });
  const floating = mountFloatingChat(document.getElementById('remote-screen'), { line, onSend });
  // Copy details (C3): name, id, state and fields to paste into a ticket.
  copy.addEventListener('click', async () => {
    if (!current) return;
    try {
      await navigator.clipboard.writeText(sessionDetails(current, t(`state.${current.state}`)));
      copy.textContent = t('new.copied');
    } catch {
      copy.textContent = t('copy.failed');
    }
    setTimeout(() => { copy.textContent = t('copy.details'); }, 2000);
  });
  // The chat switch (D1): the gateway checks toggle_chat and refuses chat both ways while off.
  chatSwitch?.addEventListener('click', async () => {
    if (!current) return;
    try {
      await api(`sessions/${current.id}/chat`, { method: 'PUT', body: { enabled: current.chatEnabled === false } });
    } catch (error) {
      closed.textContent = describeError(error);
      closed.hidden = false;
    }
  });
  // Collapse / restore (D1): the pane folds to a strip with its button, the toolbox widens.
  const pane = document.getElementById('chat-pane');
  function fold(folded) {
    pane.classList.toggle('collapsed', folded);
    pane.parentElement.classList.toggle('chat-collapsed', folded);
    collapse.setAttribute('aria-expanded', String(!folded));
    labelIconButton(collapse, t(folded ? 'chat.restore' : 'chat.collapse'));
  }
  collapse.addEventListener('click', () => fold(!pane.classList.contains('collapsed')));

  function line(entry) {
    const item = document.createElement('li');
    item.className = entry.kind;
    item.dataset.entryId = entry.id;
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = formatTime(entry.at);
    item.append(time);
    if (entry.kind === 'chat' || entry.kind === 'private_chat') {
      const author = document.createElement('span');
      author.className = 'author';
      author.textContent = `${entry.author}:`;
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = entry.text;
      // The technicians' private chat (I1): marked, as the customer never sees it.
      if (entry.kind === 'private_chat') {
        const tag = document.createElement('span');
        tag.className = 'private-tag';
        tag.textContent = t('colleagues.privateLine');
        item.append(tag);
      }
      item.append(author, text);
    } else {
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = logLineText(entry);
      item.append(text);
    }
    return item;
  }

  /** What the technician needs at hand: the PIN or link to read out, or the pending transfer. */
  function inviteLine(session) {
    if (session.pin) return t('chat.pin', { pin: session.pin });
    if (session.link) return t('chat.link', { link: session.link });
    if (session.transfer && session.state === 'incoming') return t('transfer.from', { name: session.transfer.fromName, comment: session.transfer.comment });
    if (session.transfer && session.state === 'outgoing') return t('transfer.to', { name: session.transfer.toName, comment: session.transfer.comment });
    return '';
  }

  sendOnSubmit(form, input, onSend);

  return {
    show(session, entries) {
      current = session;
      if (!session) drawn = {};
      none.hidden = Boolean(session);
      title.hidden = !session;
      copy.hidden = !session;
      log.hidden = !session;
      if (!session) {
        document.getElementById('chat-computer').hidden = true;
        if (chatSwitch) chatSwitch.hidden = true;
        floating.show(null, [], false);
        invite.hidden = true;
        form.hidden = true;
        closed.hidden = true;
        log.replaceChildren();
        return;
      }
      title.textContent = `${session.name} · ${session.id}`;
      // The customer's computer and account: a detail of the session (their lines carry its name).
      const computer = document.getElementById('chat-computer');
      computer.textContent = customerComputer(session);
      computer.hidden = !computer.textContent;
      // While the customer has not joined, keep the PIN or link at hand to read out again.
      invite.textContent = inviteLine(session);
      invite.hidden = !invite.textContent;
      // Without the chat permission the input is not offered (the gateway refuses it anyway).
      const allowed = canUse('chat');
      const open = canChat(session) && allowed;
      form.hidden = !open;
      closed.hidden = open;
      closed.textContent = t(allowed ? 'chat.closedInput' : 'chat.notAllowed');
      const switchedOff = session.chatEnabled === false;
      input.disabled = switchedOff;
      form.querySelector('#chat-send').disabled = switchedOff;
      input.placeholder = t(switchedOff ? 'chat.switchedOff' : 'chat.placeholder');
      if (chatSwitch) {
        chatSwitch.hidden = !canChat(session) || !canUse('toggle_chat');
        chatSwitch.textContent = t(switchedOff ? 'chat.turnOn' : 'chat.turnOff');
      }
      floating.show(session, entries, open && !switchedOff);
      // Lines only ever arrive at the end: draw just the new ones (a long copy adds thousands),
      // all of them again for another session, list or language; nothing (not even a look at
      // the scroll, which forces the page's layout) when none came.
      const key = `${session.id}|${currentLanguage()}`;
      const same = drawn.key === key && drawn.entries === entries && log.children.length === drawn.count;
      if (same && drawn.count === entries.length) return;
      if (same && drawn.count < entries.length) {
        log.append(...entries.slice(drawn.count).map(line));
        followSoon();
      } else {
        log.replaceChildren(...entries.map(line));
        if (followingEnd) log.scrollTop = log.scrollHeight;
      }
      drawn = { key, entries, count: entries.length };
    },
    /** Puts the cursor in the chat input, unfolding the pane first. */
    focus() {
      if (pane.classList.contains('collapsed')) fold(false);
      input.focus();
    },
    toggleCollapsed: () => fold(!pane.classList.contains('collapsed')),
  };
}
