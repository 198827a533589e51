// Plain web addresses in a chat line become links (issue 16): http and https only, shown in full
// (the link's text is the address itself, so the customer reads where it goes before opening it).
// DOM-free: the pages turn the pieces into text nodes and links.

const ADDRESS = /\bhttps?:\/\/[^\s<>"']+/gi;
// Sentence punctuation after an address is not part of it ("see https://example.com.").
const TRAILING = /[.,;:!?)\]}'"»”’]+$/;

/** The line cut into pieces: {text} as typed, {url} for each address. */
export function splitLinks(line) {
  const pieces = [];
  let last = 0;
  for (const match of line.matchAll(ADDRESS)) {
    const url = match[0].replace(TRAILING, '');
    if (!isWebAddress(url)) continue;
    if (match.index > last) pieces.push({ text: line.slice(last, match.index) });
    pieces.push({ url });
    last = match.index + url.length;
  }
  if (last < line.length) pieces.push({ text: line.slice(last) });
  return pieces;
}

function isWebAddress(text) {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
