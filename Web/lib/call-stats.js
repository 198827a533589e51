// What a WebRTC call's statistics say to the people on it (Lens, Q2): how much voice came and
// went, whether the path is direct or relayed by a TURN server, and how the picture arrives.

/** From an RTCStatsReport: the voice received (bytes, total energy) and sent (bytes); whether the
 * path in use is relayed by a TURN server, and its round trip (ms); the picture received — frames
 * a second, size, bytes, and the time its frames waited in the jitter buffer (ms, on average). */
export function callStats(stats) {
  let pair = null;
  let received = null;
  let sent = null;
  let video = null;
  const candidates = new Map();
  stats.forEach((report) => {
    if (report.type === 'transport' && report.selectedCandidatePairId) pair = stats.get(report.selectedCandidatePairId);
    if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') pair ??= report;
    if (report.type === 'local-candidate' || report.type === 'remote-candidate') candidates.set(report.id, report);
    if (report.type === 'inbound-rtp' && report.kind === 'audio') received = report;
    if (report.type === 'outbound-rtp' && report.kind === 'audio') sent = report;
    if (report.type === 'inbound-rtp' && report.kind === 'video') video = report;
  });
  const relayed = pair && [pair.localCandidateId, pair.remoteCandidateId].some((id) => candidates.get(id)?.candidateType === 'relay');
  return {
    path: pair ? (relayed ? 'relayed' : 'direct') : '',
    roundTripMs: pair?.currentRoundTripTime === undefined ? null : pair.currentRoundTripTime * 1000,
    audioReceived: received?.bytesReceived ?? 0,
    audioEnergy: received?.totalAudioEnergy ?? 0,
    audioSent: sent?.bytesSent ?? 0,
    videoFps: video?.framesPerSecond ?? 0,
    videoSize: video?.frameWidth ? `${video.frameWidth}x${video.frameHeight}` : '',
    videoBytes: video?.bytesReceived ?? 0,
    jitterBufferMs: video?.jitterBufferEmittedCount ? (video.jitterBufferDelay / video.jitterBufferEmittedCount) * 1000 : null,
  };
}
