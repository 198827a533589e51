// The direct path of a screen shared from the browser (issue 16): the picture goes straight to
// the technician's browser over WebRTC when the two find each other, the gateway carrying only the
// signals (docs/protocol.md, webrtc_signal). Until the path is up, and whenever it is down, the
// screen updates through the gateway go on (screen-share.js), so the technician never loses sight.
import { callStats } from '../lib/call-stats.js';

/** Given up when not connected by then: the gateway's path stays. */
const CONNECT_WITHIN_MS = 5000;
/** The colour quality the technician picks, as the video's ceiling (auto: the browser decides). */
const BITRATE = { very_low: 300_000, low: 800_000, medium: 1_500_000, high: 4_000_000 };
/** A Lens camera's ceiling, under the 2.5 Mbit/s a phone's upload is planned for (the encoder overshoots a little): 720p at 30 frames a second fits. */
const LENS_BITRATE = 2_400_000;

export function canSendDirect() {
  return typeof RTCPeerConnection === 'function';
}

/**
 * Offers `stream` to the technician's console. `sendSignal(signal)` carries the offer and
 * candidates; `onTransport('webrtc' | 'frames')` says when the direct path comes up or goes down.
 * `voice` (a Lens call, Q2): { microphone: the customer's track or null, onAudio(track): the
 * technician's voice } — both ways on the same path. `iceTransportPolicy: 'relay'` forces the
 * TURN server (tests and networks that must). Returns { receive(signal), setQuality(level), close() }.
 */
export function offerDirectPath(stream, { iceServers, sendSignal, onTransport, camera = false, voice = null, iceTransportPolicy = 'all' }) {
  const connection = new RTCPeerConnection({ iceServers, iceTransportPolicy });
  const [track] = stream.getVideoTracks();
  // Screens are text and lines: keep them sharp rather than smooth; a camera's picture moves.
  track.contentHint = camera ? 'motion' : 'detail';
  const sender = connection.addTrack(track, stream);
  if (voice) {
    // A Lens camera shows labels and connectors to read: a busy phone lowers the frame rate before the size.
    const parameters = sender.getParameters();
    parameters.degradationPreference = 'maintain-resolution';
    sender.setParameters(parameters).catch(() => { /* the browser keeps its own */ });
  }
  if (voice) {
    // Sent and received on one transceiver: the technician answers with their microphone on it.
    if (voice.microphone) connection.addTransceiver(voice.microphone, { direction: 'sendrecv', streams: [stream] });
    else connection.addTransceiver('audio', { direction: 'recvonly' });
    connection.addEventListener('track', ({ track: incoming }) => {
      if (incoming.kind === 'audio') voice.onAudio(incoming);
    });
    // The Lens tools' channel: the technician's drawings and where they are, the freeze and its still.
    voice.onChannel?.(connection.createDataChannel('lens', { ordered: true }));
  }
  // The call's health for the page (and support staff, and tests): voice in and out, direct or relayed.
  const statsTimer = voice?.onStats ? setInterval(() => {
    connection.getStats().then((stats) => voice.onStats(callStats(stats))).catch(() => {});
  }, 1000) : null;
  let direct = false;
  let closed = false;
  /** The technician picked a colour quality: its ceiling stands. */
  let qualityChosen = false;
  /** Signals applied in order: candidates wait for the answer. */
  let applied = Promise.resolve();

  const giveUp = setTimeout(() => {
    if (!direct) close();
  }, CONNECT_WITHIN_MS);

  connection.addEventListener('icecandidate', ({ candidate }) => {
    if (!candidate || closed) return;
    sendSignal({ kind: 'candidate', candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex });
  });
  connection.addEventListener('connectionstatechange', () => {
    const state = connection.connectionState;
    if (state === 'connected' && !direct) {
      clearTimeout(giveUp);
      direct = true;
      // A Lens camera's ceiling, for a phone's mobile upload (the technician's colour quality may set another).
      if (voice && !qualityChosen) capBitrate(LENS_BITRATE);
      onTransport('webrtc');
    } else if (['disconnected', 'failed', 'closed'].includes(state) && direct) {
      // A disconnected path may come back by itself; the gateway's carries on meanwhile.
      direct = false;
      onTransport('frames');
      if (state === 'failed') close();
    }
  });

  (async () => {
    await connection.setLocalDescription(await connection.createOffer());
    if (!closed) sendSignal({ kind: 'offer', sdp: connection.localDescription.sdp });
  })().catch(close);

  function close() {
    if (closed) return;
    closed = true;
    clearInterval(statsTimer);
    clearTimeout(giveUp);
    connection.close();
    if (direct) {
      direct = false;
      onTransport('frames');
    }
  }

  async function capBitrate(bitrate) {
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) return;
    parameters.encodings[0].maxBitrate = bitrate;
    await sender.setParameters(parameters).catch(() => { /* the browser keeps its own */ });
  }

  return {
    receive(signal) {
      applied = applied.then(async () => {
        if (closed) return;
        if (signal.kind === 'answer') await connection.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
        else if (signal.kind === 'candidate') {
          await connection.addIceCandidate({ candidate: signal.candidate, sdpMid: signal.sdpMid, sdpMLineIndex: signal.sdpMLineIndex });
        }
      }).catch((error) => console.warn('A WebRTC signal could not be used:', error.message));
    },
    /** Paused by the customer or the background (Q4): no picture at all goes (a disabled track would
     * still send black frames); the voices go on. */
    pause(paused) {
      sender.replaceTrack(paused ? null : track).catch(() => { /* closed meanwhile */ });
    },
    async setQuality(level) {
      qualityChosen = true;
      await capBitrate(BITRATE[level] ?? (voice ? LENS_BITRATE : undefined));
    },
    close,
  };
}
