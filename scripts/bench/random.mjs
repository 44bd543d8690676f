import { createCipheriv, createHash } from 'node:crypto';

const BLOCK = 64 * 1024;

/**
 * A seeded random stream: AES-128-CTR keystream keyed by a hash of labels.
 *
 * The same labels give the same bytes on every machine and Node version, and
 * any part of the material (cell 12 in version 40) can be drawn on its own,
 * without replaying everything drawn before it. Native AES makes the
 * megabytes of image bytes cheap.
 */
export class Random {
  constructor(...labels) {
    const key = createHash('sha256').update(labels.join('\0')).digest();
    this._cipher = createCipheriv(
      'aes-128-ctr',
      key.subarray(0, 16),
      key.subarray(16, 32)
    );
    this._zeros = Buffer.alloc(BLOCK);
    this._buf = Buffer.alloc(0);
    this._pos = 0;
  }

  /** `n` random bytes. */
  bytes(n) {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      if (this._pos === this._buf.length) {
        this._buf = this._cipher.update(this._zeros);
        this._pos = 0;
      }
      const take = Math.min(n - filled, this._buf.length - this._pos);
      this._buf.copy(out, filled, this._pos, this._pos + take);
      this._pos += take;
      filled += take;
    }
    return out;
  }

  /** A float in [0, 1). */
  next() {
    return this.bytes(4).readUInt32LE(0) / 0x100000000;
  }

  /** An integer in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct integers in [0, n), in the order drawn. */
  distinct(count, n) {
    const chosen = new Set();
    while (chosen.size < count) {
      chosen.add(this.int(0, n - 1));
    }
    return [...chosen];
  }
}
