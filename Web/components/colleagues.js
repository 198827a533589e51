// Colleagues in one session (I1, I3): the lead invites an Online colleague from the Invite
// dialog with the permissions chosen for this session; the pane above the chat lists who works
// on it, lets the lead remove a colleague or hand over the lead, lets the colleague offered the
// lead accept it, and carries the technicians' private chat (the customer never sees it).
// The gateway enforces every rule; this only offers what makes sense.
import { api } from '../lib/api.js';
import { describeError, t } from '../lib/i18n.js';

/** The permissions the Invite dialog offers to limit, in this order. */
export const CHOOSABLE_PERMISSIONS = ['chat', 'hold_sessions', 'transfer_sessions', 'remote_control', 'desktop_view', 'send_files',
  'file_manager', 'system_info', 'reboot', 'deploy_scripts', 'share_screen'];

/** The body of an invitation: all their group's permissions (none listed), or those ticked. */
export function invitationBody(technicianId, comment, allPermissions, ticked) {
  const body = { technicianId, comment };
  if (!allPermissions) body.permissions = CHOOSABLE_PERMISSIONS.filter((name) => ticked.includes(name));
  return body;
}

export function mountColleagues({ dialog, pane }, { me, canUse, onError }) {
  const $ = (root, id) => root.querySelector(`#${id}`);
  let session = null;
  let drawnKey = '';
  /** The colleague whose permissions the lead is changing, if any: their editor stays open across redraws. */
  let editing = null;

  /** One checkbox a permission, ticked where `ticked` says. */
  function permissionBoxes(ticked) {
    return CHOOSABLE_PERMISSIONS.map((name) => {
      const label = document.createElement('label');
      label.className = 'inline';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = name;
      box.checked = ticked(name);
      label.append(box, ` ${t(`colleagues.permission.${name}`)}`);
      return label;
    });
  }
  const tickedIn = (root) => [...root.querySelectorAll('input[value]:checked')].map((box) => box.value);

  // The Invite dialog's colleague part.
  const list = $(dialog, 'colleague-permission-list');
  list.replaceChildren(...permissionBoxes(() => true));
  $(dialog, 'colleague-all').addEventListener('change', (event) => { list.hidden = event.target.checked; });

  async function fillColleagues() {
    const pick = $(dialog, 'colleague-pick');
    const inSession = new Set([session?.technicianId, ...(session?.colleagues ?? []).map((c) => c.technicianId)]);
    const online = (await api('technicians')).filter((c) => c.status === 'online' && c.id !== me()?.id && !inSession.has(c.id));
    pick.replaceChildren(...online.map((colleague) => new Option(colleague.name, colleague.id)));
    $(dialog, 'colleague-none').hidden = online.length > 0;
    $(dialog, 'colleague-submit').disabled = online.length === 0;
  }

  $(dialog, 'colleague-submit').addEventListener('click', async () => {
    const error = $(dialog, 'colleague-error');
    try {
      const ticked = tickedIn(list);
      await api(`sessions/${session.id}/colleagues`, {
        method: 'POST',
        body: invitationBody($(dialog, 'colleague-pick').value, $(dialog, 'colleague-comment').value, $(dialog, 'colleague-all').checked, ticked),
      });
      $(dialog, 'colleague-comment').value = '';
      error.hidden = true;
      dialog.close();
    } catch (failure) {
      error.textContent = describeError(failure);
      error.hidden = false;
    }
  });

  // The pane above the chat.
  async function act(path, method = 'POST', body = undefined) {
    try {
      await api(`sessions/${session.id}/${path}`, { method, body });
      onError(null);
    } catch (error) {
      onError(error);
    }
  }

  function button(key, onClick, className = '') {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = className;
    element.textContent = t(key);
    element.addEventListener('click', onClick);
    return element;
  }

  function row(colleague, lead) {
    const item = document.createElement('li');
    item.dataset.technicianId = colleague.technicianId;
    item.dataset.state = colleague.state;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = `${colleague.name} · ${t(`state.${colleague.state}`)}`;
    item.append(name);
    if (colleague.leadOffered) {
      const offered = document.createElement('span');
      offered.className = 'badge';
      offered.textContent = t('colleagues.offered');
      item.append(offered);
    }
    if (lead) {
      if (colleague.state === 'collaboration' && !colleague.leadOffered) {
        item.append(button('colleagues.offerLead', () => act('lead-offer', 'POST', { technicianId: colleague.technicianId }), 'link offer-lead'));
      }
      if (colleague.leadOffered) item.append(button('colleagues.cancelOffer', () => act('lead-offer', 'DELETE'), 'link cancel-offer'));
      item.append(button('colleagues.editPermissions', () => { editing = editing === colleague.technicianId ? null : colleague.technicianId; redraw(); },
        'link edit-permissions'));
      item.append(button('colleagues.remove', () => act(`colleagues/${colleague.technicianId}`, 'DELETE'), 'link remove-colleague'));
      if (editing === colleague.technicianId) item.append(permissionEditor(colleague));
    }
    return item;
  }

  /** What the lead lets this colleague do in this session (never more than their group allows: the gateway caps it). */
  function permissionEditor(colleague) {
    const editor = document.createElement('fieldset');
    editor.className = 'permission-editor';
    const legend = document.createElement('legend');
    legend.textContent = t('colleagues.permissionsLegend');
    const all = document.createElement('input');
    all.type = 'checkbox';
    all.checked = colleague.permissions == null;
    const allLabel = document.createElement('label');
    allLabel.className = 'inline';
    allLabel.append(all, ` ${t('colleagues.allPermissions')}`);
    const boxes = document.createElement('div');
    boxes.replaceChildren(...permissionBoxes((name) => colleague.permissions == null || colleague.permissions.includes(name)));
    boxes.hidden = all.checked;
    all.addEventListener('change', () => { boxes.hidden = all.checked; });
    const save = button('colleagues.savePermissions', async () => {
      editing = null;
      await act(`colleagues/${colleague.technicianId}`, 'PUT', { permissions: all.checked ? null : tickedIn(boxes) });
      redraw();
    }, 'save-permissions');
    const cancel = button('colleagues.cancelEdit', () => { editing = null; redraw(); }, 'link');
    editor.append(legend, allLabel, boxes, save, cancel);
    return editor;
  }

  function redraw() {
    drawnKey = '';
    show(session);
  }

  $(pane, 'accept-lead').addEventListener('click', () => act('lead'));
  const form = $(pane, 'private-chat-form');
  const input = $(pane, 'private-chat-input');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || !session) return;
    try {
      await api(`sessions/${session.id}/technician-messages`, { method: 'POST', body: { text } });
      input.value = '';
      onError(null);
    } catch (error) {
      onError(error);
    }
  });

  return {
    /** The colleague part of the Invite dialog, for the lead of an active session with the permission. */
    async prepareDialog(current) {
      session = current;
      const allowed = Boolean(current) && current.technicianId === me()?.id && current.state === 'active' && canUse('invite_internal_technicians');
      $(dialog, 'colleague-section').hidden = !allowed;
      $(dialog, 'colleague-error').hidden = true;
      if (allowed) await fillColleagues();
    },
    canInvite(current) {
      return Boolean(current) && current.technicianId === me()?.id && current.state === 'active' && canUse('invite_internal_technicians');
    },
    show,
  };

  function show(current) {
    session = current;
    const colleagues = current?.colleagues ?? [];
    pane.hidden = colleagues.length === 0;
    if (pane.hidden) return;
    const lead = current.technicianId === me()?.id;
    const mine = colleagues.find((c) => c.technicianId === me()?.id);
    // Drawn again only when something in it changed: a button never moves under the pointer.
    const key = JSON.stringify([current.id, current.technicianName, lead, colleagues, editing, t('colleagues.remove')]);
    if (key !== drawnKey) {
      drawnKey = key;
      const leadRow = document.createElement('li');
      leadRow.className = 'lead';
      leadRow.textContent = t('colleagues.lead', { name: current.technicianName });
      $(pane, 'colleague-list').replaceChildren(leadRow, ...colleagues.map((c) => row(c, lead)));
    }
    const accept = $(pane, 'accept-lead');
    accept.hidden = !mine?.leadOffered;
    const invitation = $(pane, 'colleague-invitation');
    invitation.hidden = mine?.state !== 'invitation';
    if (mine) invitation.textContent = t('colleagues.invitation', { name: mine.invitedBy, comment: mine.comment });
    form.hidden = !(lead || (mine && mine.state !== 'invitation'));
  }
}
