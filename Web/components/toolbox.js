// The technician's toolbox (issue 15): one tab per tool next to the chat, each with its panel.
// The tools come from one registry (console/toolbox-tabs.js); this strip only draws them, keeps
// which tab each session had open, and greys a tab the technician cannot use with the reason
// (the gateway refuses those actions anyway). Keyboard: the WAI-ARIA tabs pattern — arrow keys
// move between tabs, Home / End to the first and last, the panel follows.
import { t } from '../lib/i18n.js';
import { icon } from '../lib/icons.js';

export function mountToolbox({ tabList, none, unavailable }, tools) {
  const chosen = new Map(); // session id → the tool its technician last opened
  let session = null;
  const buttons = new Map();

  for (const tool of tools) {
    const button = document.createElement('button');
    button.type = 'button';
    button.id = `tool-${tool.id}`;
    button.dataset.tool = tool.id;
    button.setAttribute('role', 'tab');
    button.setAttribute('aria-controls', tool.panel.id);
    tool.panel.setAttribute('aria-labelledby', button.id);
    const label = document.createElement('span');
    label.dataset.i18n = tool.label;
    label.textContent = t(tool.label);
    button.append(icon(tool.icon), label);
    button.addEventListener('click', () => select(tool.id));
    button.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[event.key];
      if (step === undefined) return;
      event.preventDefault();
      // Right-to-left pages read the strip the other way.
      const rtl = getComputedStyle(tabList).direction === 'rtl';
      move(Number.isFinite(step) && rtl ? -step : step);
    });
    buttons.set(tool.id, button);
    tabList.append(button);
  }

  const visible = () => tools.filter((tool) => !tool.hidden?.(session));
  const current = () => {
    const shown = visible();
    return shown.find((tool) => tool.id === chosen.get(session?.id)) ?? shown[0] ?? null;
  };

  function select(id, { focus = false } = {}) {
    if (!session) return;
    chosen.set(session.id, id);
    render();
    if (focus) buttons.get(id)?.focus();
  }

  /** The next (or previous, first, last) tab, wrapping around. */
  function move(step) {
    const shown = visible();
    if (!session || shown.length === 0) return;
    const index = shown.indexOf(current());
    let next;
    if (step === -Infinity) next = 0;
    else if (step === Infinity) next = shown.length - 1;
    else next = (index + step + shown.length) % shown.length;
    select(shown[next].id, { focus: true });
  }

  function render() {
    none.hidden = Boolean(session);
    tabList.hidden = !session;
    const open = session ? current() : null;
    let reason = null;
    for (const tool of tools) {
      const button = buttons.get(tool.id);
      button.hidden = !session || Boolean(tool.hidden?.(session));
      const blocked = session ? tool.blocked(session) : null;
      const selected = tool === open;
      // Greyed, not disabled: still focusable so a keyboard or screen-reader user hears why.
      button.setAttribute('aria-disabled', String(Boolean(blocked)));
      button.title = blocked ? t(`toolbox.${blocked}`) : '';
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      tool.panel.hidden = !selected || Boolean(blocked);
      if (selected) reason = blocked;
    }
    unavailable.hidden = !reason;
    unavailable.textContent = reason ? t(`toolbox.${reason}`) : '';
  }

  return {
    show(next) {
      session = next;
      render();
    },
    select,
    /** The previous or next tab (keyboard shortcuts [ and ]). */
    move,
    /** Which tool is open for the shown session (null without one). */
    openTool: () => (session ? current()?.id ?? null : null),
  };
}
