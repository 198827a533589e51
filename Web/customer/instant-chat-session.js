// The Instant Chat session this browser tab holds (G2): kept in sessionStorage so a reload or a
// dropped network reconnects to the same session, and nothing shown is lost.
const KEY = 'lifeline.instantChat';

/** Keeps what `customer/join` returned and opens the chat page. */
export function startInstantChat(joined) {
  sessionStorage.setItem(KEY, JSON.stringify({ ...joined, items: [] }));
  location.assign('/chat');
}

export function loadInstantChat() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function saveInstantChat(chat) {
  sessionStorage.setItem(KEY, JSON.stringify(chat));
}

export function forgetInstantChat() {
  sessionStorage.removeItem(KEY);
}
