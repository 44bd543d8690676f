/**
 * git's delta encoding (gitformat-pack "Deltified representation"): the
 * sizes of base and result, then instructions that copy a range of the base
 * or insert new bytes. No maintained npm package writes it (git-apply-delta
 * only reads it), so here is a compact encoder: the base is indexed by a hash
 * of every 16-byte block, the target is scanned with a rolling hash of the
 * same width, and each match is extended both ways before it is copied.
 */

const BLOCK = 16;
/** Candidates tried per position: bounds the work on repetitive bases. */
const MAX_CANDIDATES = 8;
const MAX_INSERT = 127;
const MAX_COPY = 0xffffff;
/** B^BLOCK, to take the outgoing byte out of the rolling hash. */
const OUT = (() => {
  let power = 1;
  for (let i = 0; i < BLOCK; i++) {
    power = Math.imul(power, 257);
  }
  return power;
})();

/** Target bytes scanned between two pauses of `encodeDeltaSteps`. */
const STEP_BYTES = 128 * 1024;

/**
 * A delta that turns `base` into `target`, or null when it would not be
 * smaller than `maxSize` bytes (then storing the whole object pays more).
 */
export function encodeDelta(
  base: Uint8Array,
  target: Uint8Array,
  maxSize = Infinity
): Uint8Array | null {
  const steps = encodeDeltaSteps(base, target, maxSize);
  let step = steps.next();
  while (!step.done) {
    step = steps.next();
  }
  return step.value;
}

/**
 * `encodeDelta` in steps: it yields after each `STEP_BYTES` of the target,
 * so a caller in the background can let other work run in between.
 */
export function* encodeDeltaSteps(
  base: Uint8Array,
  target: Uint8Array,
  maxSize = Infinity
): Generator<void, Uint8Array | null> {
  const out = new Output();
  out.varint(base.length);
  out.varint(target.length);
  const index = new BlockIndex(base);
  let insertFrom = 0;
  const flushInsert = (to: number) => {
    for (let from = insertFrom; from < to; from += MAX_INSERT) {
      const size = Math.min(MAX_INSERT, to - from);
      out.byte(size);
      out.bytes(target.subarray(from, from + size));
    }
  };
  let at = 0;
  let pauseAt = STEP_BYTES;
  let hash = target.length >= BLOCK ? hashOf(target, 0) : 0;
  while (at + BLOCK <= target.length) {
    if (at >= pauseAt) {
      pauseAt = at + STEP_BYTES;
      yield;
    }
    let bestFrom = 0;
    let bestAt = 0;
    let bestLength = 0;
    let tried = 0;
    for (
      let candidate = index.first(hash);
      candidate >= 0 && tried < MAX_CANDIDATES;
      candidate = index.next(candidate), tried++
    ) {
      let length = 0;
      while (
        at + length < target.length &&
        candidate + length < base.length &&
        base[candidate + length] === target[at + length]
      ) {
        length++;
      }
      if (length < BLOCK) {
        continue;
      }
      // Grow backwards into what would otherwise be inserted.
      let back = 0;
      while (
        at - back > insertFrom &&
        candidate - back > 0 &&
        base[candidate - back - 1] === target[at - back - 1]
      ) {
        back++;
      }
      if (length + back > bestLength) {
        bestFrom = candidate - back;
        bestAt = at - back;
        bestLength = length + back;
      }
    }
    if (bestLength === 0) {
      if (at + BLOCK < target.length) {
        hash =
          (Math.imul(hash, 257) +
            target[at + BLOCK] -
            Math.imul(OUT, target[at])) |
          0;
      }
      at++;
      continue;
    }
    flushInsert(bestAt);
    for (let done = 0; done < bestLength; done += MAX_COPY) {
      out.copy(bestFrom + done, Math.min(MAX_COPY, bestLength - done));
    }
    at = bestAt + bestLength;
    insertFrom = at;
    if (out.length >= maxSize) {
      return null;
    }
    if (at + BLOCK <= target.length) {
      hash = hashOf(target, at);
    }
  }
  flushInsert(target.length);
  return out.length < maxSize ? out.result() : null;
}

function hashOf(data: Uint8Array, at: number): number {
  let hash = 0;
  for (let i = 0; i < BLOCK; i++) {
    hash = (Math.imul(hash, 257) + data[at + i]) | 0;
  }
  return hash;
}

/** Offsets of the base's aligned blocks by hash: a bucket array with chains. */
class BlockIndex {
  private readonly _heads: Int32Array;
  private readonly _next: Int32Array;
  private readonly _mask: number;

  constructor(base: Uint8Array) {
    const blocks = Math.floor(base.length / BLOCK);
    let buckets = 1;
    while (buckets < blocks * 2) {
      buckets *= 2;
    }
    this._mask = buckets - 1;
    this._heads = new Int32Array(buckets).fill(-1);
    this._next = new Int32Array(blocks).fill(-1);
    // From the end, so each chain lists earlier blocks first.
    for (let block = blocks - 1; block >= 0; block--) {
      const bucket = hashOf(base, block * BLOCK) & this._mask;
      this._next[block] = this._heads[bucket];
      this._heads[bucket] = block;
    }
  }

  first(hash: number): number {
    const block = this._heads[hash & this._mask];
    return block < 0 ? -1 : block * BLOCK;
  }

  next(offset: number): number {
    const block = this._next[offset / BLOCK];
    return block < 0 ? -1 : block * BLOCK;
  }
}

/** A growing byte buffer with git's delta instructions. */
class Output {
  private _buffer = new Uint8Array(4096);
  length = 0;

  byte(value: number): void {
    this._reserve(1);
    this._buffer[this.length++] = value;
  }

  bytes(data: Uint8Array): void {
    this._reserve(data.length);
    this._buffer.set(data, this.length);
    this.length += data.length;
  }

  varint(value: number): void {
    while (value >= 0x80) {
      this.byte((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    this.byte(value);
  }

  /** A copy instruction: only the non-zero bytes of offset and size are written. */
  copy(offset: number, size: number): void {
    this._reserve(8);
    const at = this.length++;
    let op = 0x80;
    for (let i = 0; i < 4; i++) {
      const byte = Math.floor(offset / 2 ** (8 * i)) & 0xff;
      if (byte) {
        op |= 1 << i;
        this._buffer[this.length++] = byte;
      }
    }
    for (let i = 0; i < 3; i++) {
      const byte = (size >> (8 * i)) & 0xff;
      if (byte) {
        op |= 0x10 << i;
        this._buffer[this.length++] = byte;
      }
    }
    this._buffer[at] = op;
  }

  result(): Uint8Array {
    return this._buffer.subarray(0, this.length);
  }

  private _reserve(bytes: number): void {
    if (this.length + bytes > this._buffer.length) {
      const grown = new Uint8Array(
        Math.max(this._buffer.length * 2, this.length + bytes)
      );
      grown.set(this._buffer.subarray(0, this.length));
      this._buffer = grown;
    }
  }
}
