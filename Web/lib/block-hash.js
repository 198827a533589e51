// The block SHA-256 of a file (K3): the SHA-256 of the SHA-256s of its 8 MiB blocks, which the
// applet computes beside the file's plain SHA-256. A browser hashes each block natively with
// WebCrypto — it cannot feed one SHA-256 piece by piece — so copies are verified at the speed of
// the disk; this page's own SHA-256 stands in where WebCrypto is missing (a page not served over
// HTTPS or from this computer).
import { SHA256 } from './sha256.js';

export const BLOCK_SIZE = 8 * 1024 * 1024;

async function digest(bytes) {
  if (globalThis.crypto?.subtle) return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hash = new SHA256().update(new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength));
  return Uint8Array.from(hash.hex().match(/../g).map((pair) => parseInt(pair, 16)));
}

/** The SHA-256 of the blocks' SHA-256s, hashed here: 32 bytes a block (4 KB for a gigabyte) cost
 * less than a WebCrypto call, and a bundle's small files each made one more. */
async function listDigest(blockDigests) {
  const joined = new Uint8Array(blockDigests.length * 32);
  blockDigests.forEach((one, index) => joined.set(one, index * 32));
  return new SHA256().update(joined).hex();
}

/** The block SHA-256 of a Blob or File, a few blocks read and hashed at a time. */
export async function blockHashOfBlob(blob) {
  const count = Math.ceil(blob.size / BLOCK_SIZE);
  const digests = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      digests[index] = await digest(await blob.slice(index * BLOCK_SIZE, (index + 1) * BLOCK_SIZE).arrayBuffer());
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return listDigest(digests);
}

/** The block SHA-256 of a file whose blocks come one after another (a download), each hashed as
 * it comes. */
export class BlockHasher {
  constructor() {
    this.pending = [];
  }

  /** The next whole block (the last may be shorter), hashed from these bytes without a copy here
   * (the digest takes its own). */
  block(bytes) {
    if (bytes.length > BLOCK_SIZE) throw new Error('a block is at most 8 MiB');
    this.pending.push(digest(bytes));
  }

  async hex() {
    return listDigest(await Promise.all(this.pending));
  }
}

/** The block SHA-256 of bytes already in memory (a small file of a bundle). */
export async function blockHashOfBytes(bytes) {
  const digests = [];
  for (let start = 0; start < bytes.length; start += BLOCK_SIZE) digests.push(digest(bytes.subarray(start, start + BLOCK_SIZE)));
  return listDigest(await Promise.all(digests));
}
