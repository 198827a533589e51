// The console's end of the direct path (issue 16): a customer's browser sharing its screen offers
// a WebRTC connection through the gateway; this answers it and hands every video frame to
// `onPicture`, which draws it where the screen updates are drawn. Should the path never come up,
// the updates through the gateway simply go on.

export function canReceiveDirect() {
  return typeof RTCPeerConnection === 'function';
}

/**
 * The direct paths of the console's sessions, one per shown browser screen. `remoteOf(id)` is a
 * session's remote state (`phase`, `webrtc`, `canvas`; `direct` and `transport` are kept on it),
 * `draw(remote, source, width, height)` paints a picture, `changed(id)` redraws its toolbar.
 * `call` (lens-call.js) carries the voices of a Lens session (`remote.lensSession`) on the same path.
 */
export function mountDirectPaths({ send, remoteOf, draw, changed, call }) {
  function close(remote) {
    remote.direct?.close();
    remote.direct = null;
    remote.transport = null;
    delete remote.canvas.dataset.transport;
  }

  return {
    close,
    /** An offer starts a new path (the last one closed); a candidate goes to the running one. */
    signal(sessionId, signal) {
      const remote = remoteOf(sessionId);
      if (signal.kind !== 'offer') {
        remote.direct?.receive(signal);
        return;
      }
      close(remote);
      if (remote.phase !== 'active' || !remote.webrtc || !canReceiveDirect()) return;
      const voices = remote.lensSession && call ? call : null;
      remote.direct = answerDirectPath(signal, {
        iceServers: remote.webrtc.iceServers,
        sendSignal: (answer) => send('webrtc_signal', { sessionId, signal: answer }),
        onPicture: (source, width, height) => draw(remote, source, width, height),
        microphone: voices ? () => voices.microphone(sessionId) : null,
        onAudio: voices ? (track) => voices.audio(sessionId, track) : null,
        onChannel: voices ? (channel) => voices.channel(sessionId, channel) : null,
        onState: (connected, connection) => {
          remote.transport = connected ? 'webrtc' : 'gateway';
          remote.canvas.dataset.transport = remote.transport;
          voices?.connected(sessionId, connected ? connection : null);
          changed(sessionId);
        },
      });
    },
  };
}

/**
 * Answers `offer` (a webrtc_signal). `sendSignal(signal)` carries the answer and candidates;
 * `onPicture(source, width, height)` draws a frame; `onState(connected, connection)` follows the path.
 * With `microphone` (an async function giving a track or null) and `onAudio(track)`, an offer
 * that carries a voice gets this side's voice back (a Lens call, Q2). Returns { receive(signal), close() }.
 */
export function answerDirectPath(offer, { iceServers, sendSignal, onPicture, onState, microphone = null, onAudio = null, onChannel = null }) {
  const connection = new RTCPeerConnection({ iceServers });
  let closed = false;
  let stopPictures = () => {};
  /** Candidates sent once the answer has gone (the gateway takes an answer first). */
  const early = [];
  let answered = false;

  connection.addEventListener('icecandidate', ({ candidate }) => {
    if (!candidate || closed) return;
    const signal = { kind: 'candidate', candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
    if (answered) sendSignal(signal);
    else early.push(signal);
  });
  connection.addEventListener('connectionstatechange', () => {
    onState(connection.connectionState === 'connected', connection);
  });
  connection.addEventListener('datachannel', ({ channel }) => onChannel?.(channel));
  connection.addEventListener('track', ({ track }) => {
    if (track.kind === 'audio') {
      onAudio?.(track);
      return;
    }
    stopPictures();
    stopPictures = readPictures(track, onPicture);
  });

  const ready = (async () => {
    await connection.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    // The customer's voice comes with the offer; the technician's goes back on the same transceiver.
    const voice = microphone ? connection.getTransceivers().find((transceiver) => transceiver.receiver.track.kind === 'audio') : null;
    if (voice) {
      const track = await microphone();
      if (track && !closed) {
        await voice.sender.replaceTrack(track);
        voice.direction = 'sendrecv';
      }
    }
    await connection.setLocalDescription(await connection.createAnswer());
    if (closed) return;
    sendSignal({ kind: 'answer', sdp: connection.localDescription.sdp });
    answered = true;
    for (const signal of early.splice(0)) sendSignal(signal);
  })();
  ready.catch((error) => console.warn('The direct path could not be answered:', error.message));

  return {
    receive(signal) {
      if (signal.kind !== 'candidate') return;
      ready.then(() => {
        if (!closed) return connection.addIceCandidate({ candidate: signal.candidate, sdpMid: signal.sdpMid, sdpMLineIndex: signal.sdpMLineIndex });
        return undefined;
      }).catch((error) => console.warn('A WebRTC candidate could not be used:', error.message));
    },
    close() {
      if (closed) return;
      closed = true;
      stopPictures();
      connection.close();
    },
  };
}

/**
 * Every frame of `track` to `onPicture`: as VideoFrames where the browser hands them over
 * (Chrome, Edge; also in a background tab), else from a playing video element.
 */
function readPictures(track, onPicture) {
  let stopped = false;
  if (typeof MediaStreamTrackProcessor === 'function') {
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    (async () => {
      while (!stopped) {
        const { value: frame, done } = await reader.read();
        if (done) break;
        try {
          onPicture(frame, frame.displayWidth, frame.displayHeight);
        } finally {
          frame.close();
        }
      }
    })().catch(() => { /* the track ended */ });
    return () => {
      stopped = true;
      reader.cancel().catch(() => {});
    };
  }
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  // Kept in the page (invisible) so that browsers present, and so report, its frames.
  Object.assign(video.style, { position: 'fixed', width: '1px', height: '1px', opacity: '0', pointerEvents: 'none' });
  document.body.append(video);
  video.play().catch(() => {});
  const paint = () => {
    if (stopped) return;
    if (video.videoWidth > 0) onPicture(video, video.videoWidth, video.videoHeight);
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(paint);
    else requestAnimationFrame(paint);
  };
  paint();
  return () => {
    stopped = true;
    video.remove();
  };
}
