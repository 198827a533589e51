// Hashes files off the page's thread (file-copies.js): a blob in, its SHA-256 out.
import { SHA256 } from './sha256.js';

self.addEventListener('message', async ({ data: { id, blob } }) => {
  try {
    const hash = new SHA256();
    const reader = blob.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
    }
    self.postMessage({ id, sha256: hash.hex() });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
});
