// The remote-control toolbar's tools beyond the screen itself: whiteboard (J12), laser pointer
// (J13), magnifier (J8), keyboard layout (J11), clipboard sync (J10) and monitors (J16). Each
// acts on the remote of the session shown; the gateway checks them and the applet plays them.
import { t } from '../lib/i18n.js';

const LENS = { width: 240, height: 160 };

export function mountRemoteTools(elements, { send, current, onClear = () => {} }) {
  const { whiteboard, clear, laser, magnifier, keyboard, clipboard, clipboardNote, monitor } = elements;

  function tool(what) {
    const { id } = current();
    if (id) send('remote_tool', { sessionId: id, tool: what });
  }

  /** Customer coordinates of a mouse event over the surface. */
  function point(remote, event) {
    const box = remote.canvas.getBoundingClientRect();
    return {
      x: Math.max(0, Math.round(((event.clientX - box.left) / box.width) * remote.canvas.width)),
      y: Math.max(0, Math.round(((event.clientY - box.top) / box.height) * remote.canvas.height)),
    };
  }

  /** Pen strokes and the laser on the ink layer; the lens follows the mouse. */
  function wire(remote, id) {
    const { ink, surface } = remote;
    let stroke = null;
    let laserTimer = null;
    let laserAt = null;
    const flushStroke = () => {
      // A browser's shared screen has nothing to draw on: the pen stays on the technician's side.
      if (stroke && stroke.length > 1 && !remote.fromBrowser) send('remote_tool', { sessionId: id, tool: { t: 'draw', points: stroke } });
      // The next piece starts where this one ended, so the line stays continuous.
      stroke = stroke ? [stroke[stroke.length - 1]] : null;
    };
    ink.addEventListener('mousedown', (event) => {
      if (remote.tool !== 'whiteboard') return;
      event.preventDefault();
      stroke = [point(remote, event)];
      remote.flush = setInterval(flushStroke, 40);
    });
    ink.addEventListener('mousemove', (event) => {
      const at = point(remote, event);
      if (remote.tool === 'whiteboard' && stroke) {
        const last = stroke[stroke.length - 1];
        const context = ink.getContext('2d');
        context.strokeStyle = '#ff0000';
        context.lineWidth = 4;
        context.lineCap = 'round';
        context.beginPath();
        context.moveTo(last.x, last.y);
        context.lineTo(at.x, at.y);
        context.stroke();
        stroke.push(at);
        if (stroke.length >= 400) flushStroke();
      } else if (remote.tool === 'laser') {
        laserAt = at;
        // At most 30 dot moves a second.
        if (!laserTimer) {
          laserTimer = setTimeout(() => {
            laserTimer = null;
            send('remote_tool', { sessionId: id, tool: { t: 'laser', ...laserAt } });
          }, 33);
        }
      }
    });
    const endStroke = () => {
      if (!stroke) return;
      clearInterval(remote.flush);
      flushStroke();
      stroke = null;
    };
    ink.addEventListener('mouseup', endStroke);
    ink.addEventListener('mouseleave', () => {
      endStroke();
      if (remote.tool === 'laser') send('remote_tool', { sessionId: id, tool: { t: 'laser_off' } });
    });
    surface.addEventListener('mousemove', (event) => {
      if (!remote.lensOn) return;
      remote.lensAt = point(remote, event);
      const box = surface.getBoundingClientRect();
      remote.lens.style.left = `${event.clientX - box.left + 16}px`;
      remote.lens.style.top = `${event.clientY - box.top + 16}px`;
      refreshLens(remote);
    });
  }

  /** The lens shows the customer's pixels at actual size around the mouse (J8). */
  function refreshLens(remote) {
    if (!remote.lensOn || !remote.lensAt) return;
    const context = remote.lens.getContext('2d');
    context.fillStyle = '#222';
    context.fillRect(0, 0, LENS.width, LENS.height);
    context.drawImage(remote.canvas, remote.lensAt.x - LENS.width / 2, remote.lensAt.y - LENS.height / 2, LENS.width, LENS.height,
      0, 0, LENS.width, LENS.height);
  }

  /** Wipes the technician's ink, and the customer's too when the applet draws it. */
  function clearDrawing(remote) {
    remote.ink.getContext('2d').clearRect(0, 0, remote.ink.width, remote.ink.height);
    if (!remote.fromBrowser) tool({ t: 'clear_drawing' });
    onClear(remote);
  }

  function setTool(remote, name) {
    const { id } = current();
    const was = remote.tool;
    remote.tool = was === name ? null : name;
    if (was === 'laser') tool({ t: 'laser_off' });
    // Whiteboard off wipes the drawings, as in the manual.
    if (was === 'whiteboard' && remote.tool !== 'whiteboard') clearDrawing(remote);
    remote.surface.dataset.tool = remote.tool ?? '';
    render(remote);
    if (id) remote.canvas.focus();
  }

  whiteboard.addEventListener('click', () => setTool(current().remote, 'whiteboard'));
  laser.addEventListener('click', () => setTool(current().remote, 'laser'));
  clear.addEventListener('click', () => clearDrawing(current().remote));
  magnifier.addEventListener('click', () => {
    const { remote } = current();
    remote.lensOn = !remote.lensOn;
    remote.lens.hidden = !remote.lensOn;
    render(remote);
  });
  keyboard.addEventListener('change', () => {
    current().remote.keyboard = keyboard.value;
    current().remote.canvas.focus();
  });
  clipboard.addEventListener('change', () => {
    current().remote.clipboard = clipboard.checked;
    tool({ t: 'clipboard_sync', on: clipboard.checked });
  });
  monitor.addEventListener('change', () => {
    tool({ t: 'monitor', index: monitor.value === 'all' ? null : Number(monitor.value) });
  });

  function render(remote) {
    // The customer-side tools are the lead's (issue 21: a colleague given control has the mouse and keyboard only).
    const controlling = remote?.phase === 'active' && remote.inControl && remote.lead;
    const viewing = remote?.phase === 'active';
    // A browser's shared screen (issue 16): the whiteboard on the technician's side only, the laser
    // shown but not available, with the reason.
    const browser = viewing && Boolean(remote.fromBrowser);
    // The keyboard and clipboard choices sit in the settings menu, each in its label.
    for (const button of [keyboard.parentElement, clipboard.parentElement]) button.hidden = !controlling;
    for (const button of [whiteboard, laser]) button.hidden = !controlling && !browser;
    clear.hidden = whiteboard.hidden || remote.tool !== 'whiteboard';
    laser.disabled = browser;
    laser.title = browser ? t('remote.laserNotInBrowser') : t('remote.laser');
    if (browser) laser.setAttribute('aria-description', t('remote.laserNotInBrowser'));
    else laser.removeAttribute('aria-description');
    magnifier.hidden = !viewing;
    whiteboard.setAttribute('aria-pressed', String(remote?.tool === 'whiteboard'));
    laser.setAttribute('aria-pressed', String(remote?.tool === 'laser'));
    magnifier.setAttribute('aria-pressed', String(Boolean(remote?.lensOn)));
    if (remote) {
      keyboard.value = remote.keyboard;
      clipboard.checked = remote.clipboard;
    }
    const monitors = remote?.monitors ?? [];
    monitor.hidden = !viewing || monitors.length < 2;
    const options = [['all', t('remote.allMonitors')], ...monitors.map((m, index) => [String(index), `${m.name} (${m.width}×${m.height})`])];
    monitor.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
    monitor.value = remote?.monitor === null || remote?.monitor === undefined ? 'all' : String(remote.monitor);
    clipboardNote.hidden = !controlling || !remote.customerClipboard;
  }

  return {
    wire,
    render,
    refreshLens,
    /** The remote became active: clipboard sync as the technician's option says. */
    started(remote, id, clipboardOption) {
      remote.clipboard = clipboardOption;
      if (remote.mode === 'control') send('remote_tool', { sessionId: id, tool: { t: 'clipboard_sync', on: clipboardOption } });
    },
    /** The customer's clipboard or monitors. */
    notice(remote, notice) {
      if (notice.t === 'monitors') {
        remote.monitors = notice.monitors;
        remote.monitor = notice.selected ?? null;
      } else if (notice.t === 'paused') {
        // The customer's page is in the background (a phone): the picture waits, and the console says so.
        remote.paused = notice.paused;
      } else if (notice.t === 'clipboard' && remote.clipboard) {
        remote.customerClipboard = notice.text;
        clipboardNote.textContent = t('remote.customerCopied', { count: [...notice.text].length });
        // Needs the console's page to have focus; the note says it reached the console either way.
        navigator.clipboard?.writeText(notice.text).catch(() => {});
      }
      render(remote);
    },
  };
}
