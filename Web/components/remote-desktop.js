// The Customer Desktop (J1, J2): ask for remote control or desktop view, draw the customer's
// screen from binary updates (decoded off the UI thread by createImageBitmap), acknowledge each
// drawn update (flow control), and send mouse and keyboard in control mode.
import { t } from '../lib/i18n.js';
import { comboEvents, decodeConsoleFrame, keysymFor, paletteToRGBA, xButton } from '../lib/screen-frames.js';

/** A tile as an ImageBitmap: JPEG decoded by the browser; palette tiles inflated by a stream. */
async function tileBitmap(tile) {
  if (tile.encoding === 'jpeg') return createImageBitmap(new Blob([tile.bytes], { type: 'image/jpeg' }));
  const inflated = new Blob([tile.bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  const raw = new Uint8Array(await new Response(inflated).arrayBuffer());
  return createImageBitmap(new ImageData(paletteToRGBA(raw, tile.width, tile.height), tile.width, tile.height));
}

export function mountRemoteDesktop(elements, { send, canUse, recordScreenshot }) {
  const { bar, control, view, status, stop, scale, screen, fullscreen, quality, keys, screenshot } = elements;
  /** Per session: { mode, phase, reason, canvas, drawing (promise chain) }. */
  const remotes = new Map();
  let session = null;
  let pendingMove = null;
  let moveTimer = null;

  function remoteOf(id) {
    if (!remotes.has(id)) {
      const canvas = document.createElement('canvas');
      canvas.className = 'remote-canvas';
      canvas.tabIndex = 0;
      canvas.width = 0;
      canvas.height = 0;
      wireInput(canvas, id);
      remotes.set(id, { mode: null, phase: null, reason: null, canvas, drawing: Promise.resolve() });
    }
    return remotes.get(id);
  }

  function sendInput(id, events) {
    send('remote_input', { sessionId: id, events });
  }

  function flushMove(id) {
    clearTimeout(moveTimer);
    moveTimer = null;
    if (pendingMove) sendInput(id, [pendingMove]);
    pendingMove = null;
  }

  /** Mouse and keyboard on the canvas, in the customer's screen coordinates (control mode only). */
  function wireInput(canvas, id) {
    const controlling = () => remotes.get(id)?.mode === 'control' && remotes.get(id)?.phase === 'active';
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return {
        x: Math.round(((event.clientX - box.left) / box.width) * canvas.width),
        y: Math.round(((event.clientY - box.top) / box.height) * canvas.height),
      };
    };
    canvas.addEventListener('mousemove', (event) => {
      if (!controlling()) return;
      pendingMove = { t: 'move', ...point(event) };
      // Moves are coalesced to one every 15 ms; buttons and keys go at once.
      if (!moveTimer) moveTimer = setTimeout(() => flushMove(id), 15);
    });
    for (const [type, down] of [['mousedown', true], ['mouseup', false]]) {
      canvas.addEventListener(type, (event) => {
        if (!controlling()) return;
        event.preventDefault();
        canvas.focus();
        const button = xButton(event.button);
        if (button === null) return;
        pendingMove = null;
        sendInput(id, [{ t: 'button', button, down, ...point(event) }]);
      });
    }
    canvas.addEventListener('wheel', (event) => {
      if (!controlling()) return;
      event.preventDefault();
      sendInput(id, [{ t: 'wheel', steps: event.deltaY < 0 ? -1 : 1, ...point(event) }]);
    }, { passive: false });
    canvas.addEventListener('contextmenu', (event) => { if (controlling()) event.preventDefault(); });
    for (const [type, down] of [['keydown', true], ['keyup', false]]) {
      canvas.addEventListener(type, (event) => {
        if (!controlling()) return;
        const keysym = keysymFor(event);
        if (keysym === null) return;
        event.preventDefault();
        flushMove(id);
        sendInput(id, [{ t: 'key', keysym, down }]);
      });
    }
  }

  function render() {
    const active = session && ['active', 'collaboration'].includes(session.state);
    bar.hidden = !active;
    const remote = session ? remotes.get(session.id) : null;
    const running = remote && ['requested', 'active'].includes(remote.phase);
    control.disabled = !active || running || !canUse('remote_control');
    view.disabled = !active || running || !canUse('desktop_view');
    stop.hidden = !running;
    scale.hidden = !(remote?.phase === 'active');
    fullscreen.hidden = scale.hidden;
    quality.hidden = scale.hidden;
    screenshot.hidden = scale.hidden || !canUse('take_screenshots');
    keys.hidden = !(remote?.phase === 'active' && remote.mode === 'control');
    status.textContent = remote?.phase ? t(`remote.${remote.phase}`, { reason: remote.reason ?? '' }) : '';
    const showCanvas = active && remote?.phase === 'active';
    screen.hidden = !showCanvas;
    if (showCanvas && remote.canvas.parentElement !== screen) screen.replaceChildren(remote.canvas);
    screen.dataset.scale = scale.value;
  }

  control.addEventListener('click', () => send('remote_request', { sessionId: session.id, mode: 'control' }));
  view.addEventListener('click', () => send('remote_request', { sessionId: session.id, mode: 'view' }));
  stop.addEventListener('click', () => send('remote_stop', { sessionId: session.id }));
  scale.addEventListener('change', render);
  // Screenshot (J15): the gateway checks the permission and logs it; the PNG is the shown screen.
  screenshot.addEventListener('click', async () => {
    const id = session.id;
    const { canvas } = remotes.get(id);
    try {
      await recordScreenshot(id);
    } catch (error) {
      status.textContent = error.message;
      return;
    }
    canvas.toBlob((blob) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `screenshot-${id}-${new Date().toISOString().replaceAll(':', '-')}.png`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    }, 'image/png');
  });
  // Colour quality (J7): the applet encodes accordingly; auto adapts to how fast updates are drawn.
  quality.addEventListener('change', () => send('remote_settings', { sessionId: session.id, quality: quality.value }));
  // Key combinations the technician's own system would catch (J9).
  keys.addEventListener('change', () => {
    if (keys.value) send('remote_input', { sessionId: session.id, events: comboEvents(keys.value) });
    keys.value = '';
    remotes.get(session?.id)?.canvas.focus();
  });
  // Full screen (J4): the customer's screen at actual size from the top left corner; Esc leaves.
  fullscreen.addEventListener('click', () => {
    screen.requestFullscreen().then(() => remotes.get(session?.id)?.canvas.focus()).catch(() => {});
  });

  return {
    show(selected) {
      session = selected;
      render();
    },
    statusChanged(remote) {
      const state = remoteOf(remote.sessionId);
      state.mode = remote.mode;
      state.phase = remote.phase;
      state.reason = remote.reason ?? null;
      render();
      if (remote.phase === 'active' && session?.id === remote.sessionId) state.canvas.focus();
    },
    /** A binary frame: decode, draw every tile, then tell the applet it may send more. */
    frame(buffer) {
      let decoded;
      try {
        decoded = decodeConsoleFrame(buffer);
      } catch (error) {
        console.warn('Dropped a malformed screen frame:', error.message);
        return;
      }
      const { sessionId, update } = decoded;
      const state = remoteOf(sessionId);
      state.drawing = state.drawing.then(async () => {
        const bitmaps = await Promise.all(update.tiles.map((tile) => (tile.encoding === 'copy' ? null : tileBitmap(tile))));
        const { canvas } = state;
        if (canvas.width !== update.width || canvas.height !== update.height) {
          canvas.width = update.width;
          canvas.height = update.height;
        }
        const context = canvas.getContext('2d');
        // In order: a copy (scrolling) moves what is shown before the new parts are drawn.
        update.tiles.forEach((tile, index) => {
          if (tile.encoding === 'copy') {
            context.drawImage(canvas, tile.sourceX, tile.sourceY, tile.width, tile.height, tile.x, tile.y, tile.width, tile.height);
          } else {
            context.drawImage(bitmaps[index], tile.x, tile.y);
            bitmaps[index].close();
          }
        });
        // How many updates were drawn: for the status line and for tests.
        canvas.dataset.frames = String(Number(canvas.dataset.frames ?? 0) + 1);
        send('frame_ack', { sessionId, sequence: update.sequence });
      }).catch((error) => console.warn('A screen update could not be drawn:', error));
    },
  };
}
