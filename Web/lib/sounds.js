// Sound alerts (B2), synthesised with Web Audio: no files to download, a distinct pattern per alert.
export const SOUND_ALERTS = [
  'new_session_minimised', 'new_session_open', 'customer_disconnected', 'network_interrupted',
  'permission_denied', 'session_urgent', 'chat_message_minimised', 'chat_message_unfocused', 'customer_sent_file',
];

// Each alert: [frequency in Hz, duration in ms] notes, played one after the other.
const PATTERNS = {
  new_session_minimised: [[660, 120], [880, 120], [990, 180]],
  new_session_open: [[660, 120], [880, 160]],
  customer_disconnected: [[520, 160], [390, 240]],
  network_interrupted: [[440, 100], [440, 100], [330, 200]],
  permission_denied: [[300, 250]],
  session_urgent: [[988, 90], [988, 90], [988, 90], [988, 90]],
  chat_message_minimised: [[1046, 90], [1318, 140]],
  chat_message_unfocused: [[1046, 110]],
  customer_sent_file: [[784, 120], [1046, 120], [784, 120]],
};

let context = null;

/** Plays `alert` unless it is muted. Browsers allow sound only after the technician's first click. */
export function playAlert(alert, muted = []) {
  if (muted.includes(alert) || !PATTERNS[alert]) return false;
  const AudioContextClass = window.AudioContext || window.webkitAudioContext;
  if (!AudioContextClass) return false;
  context ??= new AudioContextClass();
  let start = context.currentTime + 0.02;
  for (const [frequency, milliseconds] of PATTERNS[alert]) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.15, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + milliseconds / 1000);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + milliseconds / 1000);
    start += milliseconds / 1000 + 0.04;
  }
  return true;
}
