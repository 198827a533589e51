// The Customer Desktop (J1, J2): ask for remote control or desktop view, draw the customer's
// screen from binary updates (decoded off the UI thread by createImageBitmap), acknowledge each
// drawn update (flow control), show the customer's pointer, and send mouse and keyboard in
// control mode (remote-input.js). The toolbar's other tools live in remote-tools.js,
// remote-recorder.js and remote-window.js; a browser's direct path in remote-direct.js.
import { describeError, t } from '../lib/i18n.js';
import { comboEvents, decodeConsoleFrameOrDrop } from '../lib/screen-frames.js';
import { screenView } from '../lib/screen-view.js';
import { cursorURL, placePointer } from '../lib/screen-pointer.js';
import { mountLensCall } from './lens-call.js';
import { mountLensTools } from './lens-tools.js';
import { mountDirectPaths } from './remote-direct.js';
import { createRemoteInput } from './remote-input.js';
import { mountRecorder } from './remote-recorder.js';
import { createSurface } from './remote-surface.js';
import { mountRemoteTools } from './remote-tools.js';
import { mountRemoteWindow } from './remote-window.js';

export function mountRemoteDesktop(root, { send, canUse, recordScreenshot, giveControl, me, options, onScreenShown, onRelease }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [bar, control, view, status, stop, scale, screen, fullscreen, quality, keys, screenshot, record, detach, settings] = [
    'remote-bar', 'remote-control', 'remote-view', 'remote-status', 'remote-stop', 'remote-scale', 'remote-screen',
    'remote-fullscreen', 'remote-quality', 'remote-keys', 'remote-screenshot', 'remote-record', 'remote-detach',
    'remote-settings'].map($);
  const [controller, viewersLine] = ['remote-controller', 'remote-viewers'].map($);
  /** Per session: { mode, phase, reason, surface, canvas, ink, pointer, lens, drawing (promise chain), tools' state }. */
  const remotes = new Map();
  let session = null;
  /** This page's console socket, as its snapshot named it: the screens' workers pair with it (issue 23). */
  let consoleId = null;
  const screensAddress = (sessionId) => (consoleId === null ? null : `/ws/screens?${new URLSearchParams({ console: consoleId, session: sessionId })}`);
  const current = () => ({ id: session?.id ?? null, remote: session ? remotes.get(session.id) : null });
  const elevate = $('elevate-form');
  // Elevated restart (J3): the credentials go to the applet through the gateway, never kept here.
  elevate.addEventListener('submit', (event) => {
    event.preventDefault();
    const credentials = { username: $('elevate-user').value, password: $('elevate-password').value };
    send('elevate', { sessionId: session.id, credentials });
    $('elevate-password').value = '';
  });
  const tools = mountRemoteTools({
    whiteboard: $('remote-whiteboard'), clear: $('remote-clear'), laser: $('remote-laser'), magnifier: $('remote-magnifier'),
    keyboard: $('remote-keyboard'), clipboard: $('remote-clipboard'), clipboardNote: $('remote-clipboard-note'), monitor: $('remote-monitor'),
  }, { send, current, onClear: (remote) => lensTools.clear(remote, remote.id) });
  const recorder = mountRecorder(record, { status });
  const input = createRemoteInput({ send, onRelease });
  const call = mountLensCall({ group: $('lens-call'), mic: $('lens-mic'), speaker: $('lens-speaker'), path: $('lens-path') });
  /** Lens sessions (Q1) whose camera was asked for since they last became active: asked once by itself. */
  const lensAsked = new Set();
  const lensTools = mountLensTools({
    freeze: $('lens-freeze'),
    current,
    draw: (remote, image, width, height) => paintPicture(remote, image, width, height),
  });
  const direct = mountDirectPaths({
    send,
    // A Lens call's voices (lens-call.js) and its data channel (lens-tools.js) on the picture's path.
    call: { ...call, channel: (id, channel) => lensTools.channel(id, channel) },
    remoteOf: (id) => remoteOf(id),
    draw: (remote, source, width, height) => drawPicture(remote, source, width, height),
    changed: (id) => { if (session?.id === id) render(); },
  });
  const detached = mountRemoteWindow(detach, screen, { onResize: () => layoutCanvas() });
  // Zooms in per cent after fit, actual size and stretch, written the console language's way.
  const percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'percent' });
  scale.append(...[50, 75, 125, 150, 200, 300].map((value) => new Option(percent.format(value / 100), String(value))));
  new ResizeObserver(() => layoutCanvas()).observe(screen);

  /** Sizes the shown canvas for the chosen scale: fit (whole screen, proportions kept), actual
   * size (scrolls; also in full screen, from the top left corner, as the manual says) or stretch. */
  function layoutCanvas() {
    const remote = session ? remotes.get(session.id) : null;
    if (!remote || remote.view.width === 0 || screen.hidden) return;
    const { canvas, view } = remote;
    const mode = screen.ownerDocument.fullscreenElement === screen ? 'actual' : scale.value;
    const room = { width: screen.clientWidth, height: screen.clientHeight };
    let size = { width: view.width, height: view.height };
    if (mode === 'fit') {
      const ratio = Math.min(room.width / view.width, room.height / view.height);
      size = { width: Math.floor(view.width * ratio), height: Math.floor(view.height * ratio) };
    } else if (mode === 'stretch') {
      size = room;
    } else if (/^\d+$/.test(mode)) {
      // A zoom in per cent (the manual's "Spécifier un % de zoom"): scrolls like actual size.
      const factor = Number(mode) / 100;
      size = { width: Math.round(view.width * factor), height: Math.round(view.height * factor) };
    }
    canvas.style.width = `${size.width}px`;
    canvas.style.height = `${size.height}px`;
  }

  function remoteOf(id) {
    if (!remotes.has(id)) {
      const remote = { id, mode: null, phase: null, reason: null, drawing: Promise.resolve(), tool: null, keyboard: 'local',
        clipboard: true, monitors: [], monitor: null, lensOn: false, ...createSurface() };
      remote.view = screenView(remote.canvas, {
        onSize: (width, height) => screenSized(remote, width, height),
        onPage: () => Boolean(remote.lensSession),
        address: () => screensAddress(id),
        onDrawn: ({ videoFrames, at }) => drawn(remote, { videoFrames, at }),
        onSocket: (open) => { remote.canvas.dataset.ownSocket = String(open); },
      });
      remotes.set(id, remote);
      input.wire(remote, id);
      tools.wire(remote, id);
      lensTools.wire(remote, id);
    }
    return remotes.get(id);
  }

  function render() {
    const active = session && ['active', 'collaboration'].includes(session.state);
    bar.hidden = !active;
    const remote = session ? remotes.get(session.id) : null;
    // A colleague (issue 21) sees the lead's desktop; asking, stopping and the customer-side tools are the lead's.
    const lead = Boolean(session) && session.technicianId === me()?.id;
    if (remote) remote.lead = lead;
    const running = remote && ['requested', 'active'].includes(remote.phase);
    const shown = remote?.phase === 'active';
    // Instant Chat (G2): the desktop needs the applet, unless the browser can show its screen
    // (issue 16: view only). The gateway refuses the same.
    const fromBrowser = session?.customer?.client === 'browser';
    const browserScreen = fromBrowser && Boolean(session.customer.browserScreen);
    if (remote) remote.fromBrowser = fromBrowser;
    // A Lens session (Q1) is the customer's camera: asked for as soon as the session is active,
    // with the Lens permission; no remote control.
    const lens = session?.type === 'lens';
    if (lens && !active) lensAsked.delete(session.id);
    if (lens && active && lead && !running && !lensAsked.has(session.id) && canUse('lens_sessions') && browserScreen) {
      lensAsked.add(session.id);
      send('remote_request', { sessionId: session.id, mode: 'view' });
    }
    // A running desktop can switch mode (view to control, or back): the customer is asked anew.
    const busyFor = (mode) => running && !(remote.phase === 'active' && remote.mode !== mode);
    control.disabled = !lead || !active || busyFor('control') || !canUse('remote_control') || fromBrowser;
    control.hidden = lens;
    view.disabled = !lead || !active || busyFor('view') || !canUse(lens ? 'lens_sessions' : 'desktop_view') || (fromBrowser && !browserScreen);
    // With the screen shown the two become icons (their names stay for screen readers and tooltips).
    for (const [button, key] of [[control, 'remote.askControl'], [view, 'remote.askView']]) {
      button.classList.toggle('icon-only', Boolean(shown));
      const refused = button === control ? fromBrowser : fromBrowser && !browserScreen;
      const why = session?.customer?.browserScreen === 'chosen' ? 'remote.browserViewOnly' : 'chatOnly.reason';
      button.title = refused ? t(why) : shown ? t(key) : '';
    }
    stop.hidden = !running || !lead;
    for (const item of [scale, fullscreen, detach]) item.hidden = !shown;
    settings.hidden = !shown || !lead;
    screenshot.hidden = !shown || !lead || !canUse('take_screenshots');
    record.hidden = !shown || !lead || !canUse('record_screen');
    keys.hidden = !(shown && remote.inControl);
    elevate.hidden = !lead || !active || running || !canUse('elevate_applet') || !session.customer || session.customer.privileged || fromBrowser;
    renderViewers(remote, shown, lead);
    call.show(session, Boolean(active && shown));
    lensTools.render(remote, session?.id);
    const phaseKey = remote?.phase === 'active' && remote.transport === 'webrtc' ? 'remote.activeDirect' : `remote.${remote?.phase}`;
    status.textContent = remote?.phase === 'active' && remote.paused ? t('remote.customerPaused')
      : remote?.phase ? t(phaseKey, { reason: remote.reason ?? '' }) : '';
    const showCanvas = active && shown;
    screen.hidden = !showCanvas;
    // The floating chat (D1) lives in the screen too: only the desktop surface is swapped.
    if (showCanvas && remote.surface.parentElement !== screen) {
      for (const surface of screen.querySelectorAll('.remote-surface')) surface.remove();
      screen.prepend(remote.surface);
    }
    screen.dataset.scale = scale.value;
    layoutCanvas();
    tools.render(remote);
    detached.render();
    if (session) recorder.render(session.id);
  }

  /** Who else sees the screen, and (for the lead, in control mode) who has the mouse and keyboard. */
  function renderViewers(remote, shown, lead) {
    const viewers = shown ? remote.viewers ?? [] : [];
    const holder = viewers.find((viewer) => viewer.technicianId === remote?.controller);
    viewersLine.hidden = viewers.length < 2;
    viewersLine.textContent = viewersLine.hidden ? ''
      : [t('remote.viewers', { names: viewers.map((viewer) => viewer.name).join(', ') }),
        holder ? t('remote.inControl', { name: holder.name }) : ''].filter(Boolean).join(' · ');
    // Offered: the lead and the colleagues granted remote control in this session (the gateway refuses the others).
    const choices = viewers.filter((viewer) => viewer.mayControl !== false);
    controller.hidden = !lead || choices.length < 2 || remote.mode !== 'control';
    if (controller.hidden) return;
    const key = JSON.stringify([choices, remote.controller]);
    if (controller.dataset.key !== key) {
      controller.dataset.key = key;
      controller.replaceChildren(...choices.map((viewer) => new Option(t('remote.controlBy', { name: viewer.name }), viewer.technicianId)));
      controller.value = remote.controller ?? '';
    }
  }

  // The lead gives the mouse and keyboard to a colleague who sees the screen, or takes them back.
  controller.addEventListener('change', async () => {
    const remote = remotes.get(session?.id);
    try {
      await giveControl(session.id, controller.value);
    } catch (error) {
      status.textContent = describeError(error);
      if (remote) controller.value = remote.controller ?? '';
    }
  });

  const ask = (mode) => {
    // Always detached (J5): the window opens now, while the click allows it.
    if (options().alwaysDetach) detached.open();
    send('remote_request', { sessionId: session.id, mode });
  };
  control.addEventListener('click', () => ask('control'));
  view.addEventListener('click', () => ask('view'));
  stop.addEventListener('click', () => send('remote_stop', { sessionId: session.id }));
  scale.addEventListener('change', render);
  // A choice made in the settings menu closes it, so it does not cover the customer's screen.
  settings.addEventListener('change', () => { settings.open = false; });
  record.addEventListener('click', () => {
    const remote = remotes.get(session.id);
    // A Lens call's recording has the drawings on the picture and both voices (Q3).
    recorder.toggle(session.id, remote.canvas, remote.lensSession ? { ink: remote.ink, voices: call.voices(session.id) } : null);
  });
  // Screenshot (J15): the gateway checks the permission and logs it; the PNG is the shown screen.
  screenshot.addEventListener('click', async () => {
    const id = session.id;
    const { canvas } = remotes.get(id);
    try {
      await recordScreenshot(id);
    } catch (error) {
      status.textContent = describeError(error);
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

  function drawPointer(remote, cursor) {
    const { pointer, canvas } = remote;
    if (cursor.shape) {
      remote.cursorShape = cursor.shape;
      remote.cursorURL = cursorURL(cursor.shape);
      pointer.src = remote.cursorURL;
      // In control mode the technician's own pointer takes the customer's shape.
      canvas.style.cursor = `url(${remote.cursorURL}) ${cursor.shape.hotX} ${cursor.shape.hotY}, default`;
    }
    const shape = remote.cursorShape;
    if (!shape || remote.view.width === 0) return;
    // Without the mouse and keyboard the customer's pointer is drawn where it is.
    pointer.hidden = Boolean(remote.inControl);
    placePointer(pointer, canvas, shape, cursor);
  }

  /** The customer's screen changed size: the ink above it takes it (cleared), the canvas is laid out again. */
  function screenSized(remote, width, height) {
    const { ink } = remote;
    ink.width = width;
    ink.height = height;
    layoutCanvas();
  }

  /** One picture drawn: counted for the status line and for tests (with when, `at`, when its
   * worker's socket brought it), the lens follows. */
  function drawn(remote, { videoFrames = 0, at = null } = {}) {
    const { dataset } = remote.canvas;
    dataset.frames = String(Number(dataset.frames ?? 0) + 1);
    // Counted for the status line and tests: the moving part came as video.
    if (videoFrames) dataset.videoFrames = String(Number(dataset.videoFrames ?? 0) + videoFrames);
    if (at !== null) dataset.ownSocketDrawnAt = [...(dataset.ownSocketDrawnAt?.split(' ') ?? []), at].slice(-20).join(' ');
    tools.refreshLens(remote);
  }

  /** A whole picture from the direct path (issue 16). */
  function drawPicture(remote, source, width, height) {
    // Frozen (a Lens session): the phone's still stays until the technician lets the picture go on.
    if (remote.phase !== 'active' || lensTools.frozen(remote.id)) return;
    paintPicture(remote, source, width, height, { live: true });
    lensTools.frame(remote, remote.id, { source, width, height });
  }

  /** A whole picture on the screen's canvas: the direct path's, or a frozen Lens still. */
  function paintPicture(remote, source, width, height, options = {}) {
    return remote.view.picture(source, width, height, options).then((shown) => { if (shown) drawn(remote); })
      .catch((error) => console.warn('A picture of the screen could not be drawn:', error.message));
  }

  return {
    show(selected) {
      session = selected;
      if (session) remoteOf(session.id).lensSession = session.type === 'lens';
      render();
    },
    statusChanged(status) {
      const remote = remoteOf(status.sessionId);
      const wasActive = remote.phase === 'active';
      remote.mode = status.mode;
      remote.phase = status.phase;
      remote.controller = status.controller ?? null;
      remote.viewers = status.viewers ?? [];
      // In control mode, this console's technician has the mouse and keyboard unless the lead gave them away.
      remote.inControl = status.mode === 'control' && (!status.controller || status.controller === me()?.id);
      if (status.phase === 'active') {
        remote.webrtc = status.webrtc ?? null;
        // Its worker's own socket for the screen (already drawn once: a view made later opens it itself).
        if (!wasActive) remote.view.connect(screensAddress(status.sessionId));
      } else {
        remote.view.reset();
        remote.view.connect(null);
        direct.close(remote);
        call.close(status.sessionId);
        lensTools.close(status.sessionId);
      }
      // A state change that ended it is worded in the console's language; other reasons come as written.
      remote.reason = status.sessionState ? t('remote.sessionState', { state: t(`state.${status.sessionState}`) }) : status.reason ?? null;
      const leads = !status.controller || (status.viewers ?? [])[0]?.technicianId === me()?.id;
      if (status.phase === 'active' && !wasActive && leads) tools.started(remote, status.sessionId, options().clipboardSync ?? true);
      if (status.phase !== 'active') {
        recorder.stop(status.sessionId);
        remote.tool = null;
        remote.ink.getContext('2d').clearRect(0, 0, remote.ink.width, remote.ink.height);
        if (session?.id === status.sessionId) detached.dock();
      }
      render();
      if (status.phase === 'active' && !wasActive && session?.id === status.sessionId) {
        onScreenShown();
        remote.canvas.focus();
      }
    },
    /** Puts the keyboard on the shown customer's screen; false when none is shown. */
    focusScreen() {
      const remote = session ? remotes.get(session.id) : null;
      if (remote?.phase !== 'active' || screen.hidden) return false;
      remote.canvas.focus();
      return true;
    },
    notice(sessionId, notice) {
      if (notice.t === 'muted') call.customerMuted(sessionId, notice.muted);
      else tools.notice(remoteOf(sessionId), notice);
    },
    /** The customer's browser offers a direct path, or sends a candidate (issue 16). */
    webrtcSignal(sessionId, signal) {
      direct.signal(sessionId, signal);
    },
    /** The console socket (re)opened: its id, which the screens' workers pair with. */
    consoleOpened(id) {
      consoleId = id ?? null;
      for (const remote of remotes.values()) if (remote.phase === 'active') remote.view.connect(screensAddress(remote.id));
    },
    /** A binary frame: decode, draw every tile, then tell the applet it may send more. */
    frame(buffer) {
      const decoded = decodeConsoleFrameOrDrop(buffer);
      if (!decoded) return;
      const { sessionId, update, cursor } = decoded;
      const remote = remoteOf(sessionId);
      if (cursor) {
        drawPointer(remote, cursor);
        return;
      }
      // Drawn in order by the view (in its worker where it has one); acknowledged in order once drawn.
      const painted = remote.view.paint(update);
      remote.drawing = remote.drawing.then(() => painted).then(({ fields, videoFrames }) => {
        drawn(remote, { videoFrames });
        send('frame_ack', { sessionId, sequence: update.sequence, ...fields });
      }).catch((error) => console.warn('A screen update could not be drawn:', error));
    },
  };
}
