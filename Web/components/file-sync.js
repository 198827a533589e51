// Synchronise (Ctrl+S) and mirror (Ctrl+R) the folders the two panes show (K3), as the manual
// says: synchronise copies what is on one side only and, where both have a file, the newer one;
// mirror makes the other side equal to the active one — copying what is missing or different and
// deleting what the source does not have. The plan is shown before anything changes, and a
// mirror's delete list must be confirmed. Files of the same size whose times differ are compared
// by their block SHA-256 first (a browser's folder cannot keep a copied file's time), so equal contents are
// never copied again.
import { t } from '../lib/i18n.js';
import { browserName, formatSize, shownName } from '../lib/file-list.js';
import { atMost } from '../lib/at-most.js';
import { measured } from '../lib/measured.js';
import { LISTINGS_AT_ONCE } from './file-copy-plan.js';

/** Times within this many seconds are the same (file systems keep them to 2 s at worst). */
const SAME_TIME = 2;

const join = (path, names) => ({ root: path.root, names: [...path.names, ...names] });

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Every entry below `folder` in the order to make them (a folder before what it holds), by a
 * key both sides share: the names as a browser folder can hold them. */
async function inventory(source, folder) {
  const found = new Map();
  // A kept listing of the technician's folder is trusted once for the whole tree.
  const settled = await source.settle?.() ?? false;
  const turn = atMost(LISTINGS_AT_ONCE);
  const visit = async (relative) => {
    const entries = await turn(() => source.list(join(folder, relative), true, undefined, { settled }));
    const folders = [];
    for (const entry of entries) {
      const names = [...relative, entry.name];
      found.set(names.map(browserName).join('/'), { relative: names, entry });
      if (entry.kind === 'folder') folders.push(names);
    }
    await Promise.all(folders.map(visit));
  };
  await visit([]);
  return found;
}

/** Whether two files hold the same: size and time, else (same size) their SHA-256. */
async function same(left, right, leftPath, rightPath) {
  if (left.entry.size !== right.entry.size) return false;
  if (Math.abs(left.entry.modified - right.entry.modified) < SAME_TIME) return true;
  try {
    const [a, b] = await Promise.all([left.source.hash(leftPath), right.source.hash(rightPath)]);
    return a.blocks === b.blocks;
  } catch {
    // Not comparable (no permission to read it): treat as different, the newer one wins.
    return false;
  }
}

/**
 * The plan: {toRight: items, toLeft: items, deleteRight: entries, deleteLeft: entries, clashes}.
 * `mode` is `sync` (both ways, newer wins) or `mirror` (the left side is the source).
 */
export async function planSync(left, leftFolder, right, rightFolder, mode) {
  const [ours, theirs] = await Promise.all([measured(`files: ${left.id} listed`, inventory(left, leftFolder)),
    measured(`files: ${right.id} listed`, inventory(right, rightFolder))]);
  const plan = { toRight: [], toLeft: [], deleteRight: [], clashes: [] };
  const item = (side, folder, found) => ({ entry: found.entry, relative: found.relative, path: join(folder, found.relative), side });
  const under = (list, relative) => list.some((doomed) => doomed.relative.length < relative.length
    && doomed.relative.every((name, index) => browserName(name) === browserName(relative[index])));
  for (const [key, mine] of ours) {
    const other = theirs.get(key);
    if (!other) {
      plan.toRight.push(item('left', leftFolder, mine));
      continue;
    }
    if (mine.entry.kind !== other.entry.kind) {
      if (mode === 'mirror') {
        plan.deleteRight.push(other);
        plan.toRight.push(item('left', leftFolder, mine));
      } else {
        plan.clashes.push(mine.relative);
      }
      continue;
    }
    if (mine.entry.kind !== 'file') continue;
    const equal = await same({ ...mine, source: left }, { ...other, source: right }, join(leftFolder, mine.relative), join(rightFolder, other.relative));
    if (equal) continue;
    if (mode === 'mirror' || mine.entry.modified >= other.entry.modified) plan.toRight.push(item('left', leftFolder, mine));
    else plan.toLeft.push(item('right', rightFolder, other));
  }
  for (const [key, theirsOnly] of theirs) {
    if (ours.has(key)) continue;
    if (mode === 'mirror') {
      // A folder's contents go with it: only the outermost is listed.
      if (!under(plan.deleteRight, theirsOnly.relative)) plan.deleteRight.push(theirsOnly);
    } else {
      plan.toLeft.push(item('right', rightFolder, theirsOnly));
    }
  }
  return plan;
}

/** The plan shown before anything changes; resolves true to go ahead. */
export function showPlan(container, plan, { mode, leftLabel, rightLabel }) {
  return new Promise((resolve) => {
    const box = element('div', 'file-copy file-plan');
    box.setAttribute('role', 'dialog');
    box.dataset.mode = mode;
    const bytes = (items) => formatSize(items.reduce((sum, found) => sum + (found.entry.kind === 'file' ? found.entry.size : 0), 0));
    const section = (key, items, className) => {
      if (items.length === 0) return;
      box.append(element('p', 'file-copy-title', t(key, { count: items.length, size: bytes(items), left: leftLabel, right: rightLabel })));
      const list = element('ul', `file-plan-list ${className}`);
      for (const found of items.slice(0, 500)) list.append(element('li', '', found.relative.map(shownName).join('/') + (found.entry.kind === 'folder' ? '/' : '')));
      if (items.length > 500) list.append(element('li', 'muted', t('files.planMore', { count: items.length - 500 })));
      box.append(list);
    };
    box.append(element('p', 'file-copy-title', t(`files.plan_${mode}`, { left: leftLabel, right: rightLabel })));
    section('files.planToRight', plan.toRight, 'to-right');
    section('files.planToLeft', plan.toLeft, 'to-left');
    section('files.planDelete', plan.deleteRight, 'delete');
    for (const clash of plan.clashes) box.append(element('p', 'muted', t('files.planClash', { name: clash.map(shownName).join('/') })));
    const nothing = plan.toRight.length + plan.toLeft.length + plan.deleteRight.length === 0;
    if (nothing) box.append(element('p', 'muted', t('files.planNothing')));
    const buttons = element('p', 'file-conflict-choices');
    const go = element('button', '', t(plan.deleteRight.length > 0 ? 'files.planGoDelete' : 'files.planGo', { count: plan.deleteRight.length }));
    go.type = 'button';
    go.className = 'file-plan-go';
    go.hidden = nothing;
    const cancel = element('button', '', t(nothing ? 'files.dismiss' : 'files.cancel'));
    cancel.type = 'button';
    cancel.className = 'file-plan-cancel';
    if (plan.deleteRight.length > 0) {
      // Deleting needs the technician's own yes on the list, not just a click.
      const checked = element('input');
      checked.type = 'checkbox';
      checked.className = 'file-plan-confirm';
      const label = element('label', 'inline');
      label.append(checked, ' ', t('files.planConfirmDelete', { count: plan.deleteRight.length, right: rightLabel }));
      go.disabled = true;
      checked.addEventListener('change', () => { go.disabled = !checked.checked; });
      box.append(label);
    }
    const settle = (answer) => {
      box.remove();
      resolve(answer);
    };
    go.addEventListener('click', () => settle(true));
    cancel.addEventListener('click', () => settle(false));
    buttons.append(go, cancel);
    box.append(buttons);
    container.prepend(box);
    (go.hidden ? cancel : go).focus();
  });
}
