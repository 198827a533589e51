// The queue table (C3): Name, Session ID, Status, Time, Channel, the organisation's custom
// fields, Transferred by (and Technician on the Monitored tab). Text only: nothing from the network is ever parsed as HTML.
import { t } from '../lib/i18n.js';
import { CUSTOMER_DETAILS, rowClass, timeText, transferredBy } from '../lib/session-logic.js';

export function mountSessionList(table, emptyNote, { onSelect, onEditField, onContextMenu }) {
  const body = table.querySelector('tbody');
  const headerRow = table.querySelector('thead tr');
  const FIXED = ['name', 'id', 'status', 'time', 'channel'];
  let fieldNames = [];
  let canEdit = false;
  let editing = null; // { id, field }: an open inline editor survives re-renders
  let hiddenColumns = [...CUSTOMER_DETAILS];

  function cell(text, column) {
    const td = document.createElement('td');
    td.textContent = text;
    td.dataset.column = column;
    return td;
  }

  /** A custom field's cell: double-click (or Enter) opens an inline editor when allowed (C3). */
  function fieldCell(session, name) {
    const td = cell(session.fields?.[name] ?? '', `field:${name}`);
    td.dataset.field = name;
    if (!canEdit) return td;
    td.classList.add('editable');
    td.title = t('list.editHint');
    td.tabIndex = 0;
    const open = (event) => {
      event.stopPropagation();
      editing = { id: session.id, field: name };
      openEditor(td, session, name);
    };
    td.addEventListener('dblclick', open);
    td.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(event); });
    if (editing?.id === session.id && editing.field === name) queueMicrotask(() => openEditor(td, session, name));
    return td;
  }

  function openEditor(td, session, name) {
    if (td.querySelector('input')) return;
    const input = document.createElement('input');
    input.value = session.fields?.[name] ?? '';
    input.maxLength = 200;
    input.setAttribute('aria-label', name);
    td.replaceChildren(input);
    input.focus();
    let done = false;
    const finish = (save) => {
      if (done) return;
      done = true;
      editing = null;
      td.textContent = save ? input.value : session.fields?.[name] ?? '';
      if (save && input.value !== (session.fields?.[name] ?? '')) onEditField(session.id, name, input.value);
    };
    input.addEventListener('click', (event) => event.stopPropagation());
    input.addEventListener('keydown', (event) => {
      event.stopPropagation();
      if (event.key === 'Enter') finish(true);
      if (event.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
  }

  return {
    /** Hides the columns the technician switched off (C3). */
    showColumns(hidden) {
      hiddenColumns = hidden;
      table.dataset.hidden = hidden.join(' ');
      for (const th of headerRow.children) th.hidden = hidden.includes(th.dataset.column);
    },
    /** The organisation's custom fields become columns before "Transferred by". */
    setFieldColumns(names, editable) {
      fieldNames = names;
      canEdit = editable;
      for (const th of headerRow.querySelectorAll('th[data-field]')) th.remove();
      const transferred = headerRow.querySelector('th[data-column="transferred_by"]');
      for (const name of names) {
        const th = document.createElement('th');
        th.textContent = name;
        th.dataset.field = name;
        th.dataset.column = `field:${name}`;
        headerRow.insertBefore(th, transferred);
      }
    },
    render(sessions, selectedId, now = Date.now(), urgentAfterMs = Infinity) {
      // Rows are rebuilt on every change: the focused row keeps the focus.
      const focused = body.contains(document.activeElement) ? document.activeElement.closest('tr')?.dataset.sessionId : null;
      body.replaceChildren(...sessions.map((session) => {
        const row = document.createElement('tr');
        row.dataset.sessionId = session.id;
        row.className = rowClass(session, now, urgentAfterMs);
        row.setAttribute('aria-selected', String(session.id === selectedId));
        const fixed = [session.name, session.id, t(`state.${session.state}`), timeText(session, now),
          session.channelId ? session.channel : t('channel.private')];
        row.append(...fixed.map((value, index) => cell(value, FIXED[index])));
        // A Lens session (Q1) says so beside the customer's name.
        if (session.type === 'lens') {
          const badge = document.createElement('span');
          badge.className = 'badge lens-badge';
          badge.textContent = t('lens.badge');
          row.firstChild.append(' ', badge);
        }
        row.append(...fieldNames.map((name) => fieldCell(session, name)));
        row.append(cell(transferredBy(session), 'transferred_by'), cell(session.technicianName, 'technician'));
        // The customer's computer (issue 15): optional columns, off until the technician turns them on.
        const customer = session.customer ?? {};
        row.append(cell(customer.hostname ?? '', 'computer'), cell(customer.platform ?? '', 'system'), cell(customer.user ?? '', 'user'),
          cell(customer.address ?? '', 'address'));
        row.cells[2].className = 'status';
        row.cells[3].className = 'time';
        for (const td of row.cells) td.hidden = hiddenColumns.includes(td.dataset.column);
        row.addEventListener('click', () => onSelect(session.id));
        // Keyboard (issue 15): Tab reaches the rows, Enter or Space opens one, arrows move.
        row.tabIndex = 0;
        row.addEventListener('keydown', (event) => {
          if (event.target !== row) return;
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            onSelect(session.id);
          } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            (event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling)?.focus();
          }
        });
        row.addEventListener('contextmenu', (event) => {
          if (!onContextMenu) return;
          event.preventDefault();
          onContextMenu(session, event.clientX, event.clientY);
        });
        return row;
      }));
      emptyNote.hidden = sessions.length > 0;
      if (focused) body.querySelector(`tr[data-session-id="${focused}"]`)?.focus();
    },
  };
}
