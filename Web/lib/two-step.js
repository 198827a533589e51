// Shared pieces of two-step verification (A2) for sign-in and the technician's security settings.

/** The gateway's QR code SVG as an image source: drawn as an image, never inserted as markup. */
export function qrImageSource(svg) {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The base32 key in groups of four, easier to type into an app by hand. */
export function groupedKey(secret) {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** Fills an <ol> with the recovery codes shown this once. */
export function showRecoveryCodes(list, codes) {
  list.replaceChildren(...codes.map((code) => {
    const item = document.createElement('li');
    item.textContent = code;
    return item;
  }));
}

/** A text file of the codes the technician can save. */
export function recoveryCodesFile(codes, email) {
  const text = `Lifeline recovery codes for ${email}\nEach code works once.\n\n${codes.join('\n')}\n`;
  return URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
}
