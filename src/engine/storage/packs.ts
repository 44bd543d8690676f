import type { ICodec, IFileSystem } from '../api';
import { fromHex, toHex } from '../models/bytes';
import { join } from '../paths';
import type { ObjectType } from './objects';

const TYPES: Record<number, ObjectType> = {
  1: 'commit',
  2: 'tree',
  3: 'blob',
  4: 'tag'
};
const OFS_DELTA = 6;
const REF_DELTA = 7;

/** A resolved object. */
export interface IRawObject {
  type: ObjectType;
  content: Uint8Array;
}

/**
 * Reads objects from git's pack files with the host's codec.
 *
 * isomorphic-git inflates packed objects with pako in JavaScript, which made
 * reading a packed notebook slower than `git show`; here each `.idx` (v2) is
 * parsed once, objects are found by binary search, inflated natively and
 * delta chains resolved with a small cache of recent bases, as git's own
 * `core.deltaBaseCacheLimit` does. Returns null for what it does not hold, so
 * the caller can try loose objects and then isomorphic-git.
 */
export class PackReader {
  private _packs: Pack[] | null = null;
  private readonly _bases = new SizedCache(64 * 1024 * 1024);

  constructor(
    private readonly _fs: IFileSystem,
    private readonly _gitdir: string,
    private readonly _codec: ICodec
  ) {}

  /**
   * The object, or null when no pack holds it. `rescan` looks for packs git
   * wrote since the last look (a repack); without it a miss costs nothing.
   */
  async read(oid: string, rescan = false): Promise<IRawObject | null> {
    if (rescan) {
      this._packs = null;
    }
    const found = await this._find(fromHex(oid));
    return found ? this._readAt(found.pack, found.offset) : null;
  }

  private async _find(oid: Uint8Array) {
    for (const pack of await this._list()) {
      const offset = pack.offsetOf(oid);
      if (offset !== null) {
        return { pack, offset };
      }
    }
    return null;
  }

  private async _list(): Promise<Pack[]> {
    if (!this._packs) {
      const dir = join(this._gitdir, 'objects/pack');
      const names = await this._fs.promises
        .readdir(dir)
        .catch(() => [] as string[]);
      const packs: Pack[] = [];
      for (const name of names.filter(n => n.endsWith('.idx'))) {
        const idx = await this._fs.promises.readFile(join(dir, name));
        const parsed = Pack.parse(
          this._fs,
          join(dir, name.replace(/\.idx$/, '.pack')),
          idx
        );
        if (parsed) {
          packs.push(parsed);
        }
      }
      this._packs = packs;
    }
    return this._packs;
  }

  private async _readAt(pack: Pack, offset: number): Promise<IRawObject> {
    const cacheKey = `${pack.path}:${offset}`;
    const cached = this._bases.get(cacheKey);
    if (cached) {
      return cached;
    }
    const data = await pack.data();
    let at = offset;
    let byte = data[at++];
    const type = (byte >> 4) & 7;
    let size = byte & 15;
    for (let shift = 4; byte & 0x80; shift += 7) {
      byte = data[at++];
      size += (byte & 0x7f) * 2 ** shift;
    }
    let base: IRawObject | null = null;
    if (type === OFS_DELTA) {
      byte = data[at++];
      let back = byte & 0x7f;
      while (byte & 0x80) {
        byte = data[at++];
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      base = await this._readAt(pack, offset - back);
    } else if (type === REF_DELTA) {
      const baseOid = toHex(data.subarray(at, at + 20));
      at += 20;
      base = await this.read(baseOid, true);
      if (!base) {
        throw new Error(`Missing delta base ${baseOid} in ${pack.path}`);
      }
    }
    const compressed = data.subarray(at, pack.endOf(offset));
    const inflated = await this._inflate(compressed, size);
    const object = base
      ? { type: base.type, content: applyDelta(base.content, inflated) }
      : { type: TYPES[type], content: inflated };
    if (!object.type) {
      throw new Error(`Unknown object type ${type} in ${pack.path}`);
    }
    this._bases.set(cacheKey, object);
    return object;
  }

  private _inflate(
    data: Uint8Array,
    size: number
  ): Promise<Uint8Array> | Uint8Array {
    // Small objects: a thread-pool round trip costs more than the inflate.
    if (size < 65536 && this._codec.inflateSync) {
      return this._codec.inflateSync(data);
    }
    return this._codec.inflate(data);
  }
}

/** One pack: its `.idx` in memory, its `.pack` read when first needed. */
class Pack {
  private _data: Promise<Uint8Array> | null = null;
  private _size = 0;
  private _ends: Map<number, number> | null = null;

  private constructor(
    private readonly _fs: IFileSystem,
    readonly path: string,
    private readonly _names: Uint8Array,
    private readonly _fanout: Uint32Array,
    private readonly _offsets: number[]
  ) {}

  static parse(fs: IFileSystem, path: string, idx: Uint8Array): Pack | null {
    const view = new DataView(idx.buffer, idx.byteOffset, idx.length);
    if (view.getUint32(0) !== 0xff744f63 || view.getUint32(4) !== 2) {
      return null; // Version 1 indexes are left to isomorphic-git.
    }
    const fanout = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      fanout[i] = view.getUint32(8 + i * 4);
    }
    const count = fanout[255];
    const namesAt = 8 + 1024;
    const offsetsAt = namesAt + count * 24;
    const largeAt = offsetsAt + count * 4;
    const offsets: number[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const small = view.getUint32(offsetsAt + i * 4);
      offsets[i] =
        small & 0x80000000
          ? Number(view.getBigUint64(largeAt + (small & 0x7fffffff) * 8))
          : small;
    }
    return new Pack(
      fs,
      path,
      idx.subarray(namesAt, namesAt + count * 20),
      fanout,
      offsets
    );
  }

  offsetOf(oid: Uint8Array): number | null {
    const first = oid[0];
    let low = first === 0 ? 0 : this._fanout[first - 1];
    let high = this._fanout[first];
    while (low < high) {
      const mid = (low + high) >>> 1;
      const cmp = compareOid(this._names, mid, oid);
      if (cmp === 0) {
        return this._offsets[mid];
      }
      if (cmp < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return null;
  }

  /** Where the object at `offset` ends: the next object, or the pack's trailer. */
  endOf(offset: number): number {
    if (!this._ends) {
      const sorted = [...this._offsets].sort((a, b) => a - b);
      this._ends = new Map();
      for (let i = 0; i < sorted.length; i++) {
        this._ends.set(sorted[i], sorted[i + 1] ?? -20);
      }
    }
    const end = this._ends.get(offset)!;
    return end < 0 ? this._size + end : end;
  }

  data(): Promise<Uint8Array> {
    if (!this._data) {
      this._data = this._fs.promises
        .readFile(this.path)
        .then((data: Uint8Array) => {
          this._size = data.length;
          return data;
        });
    }
    return this._data;
  }
}

function compareOid(names: Uint8Array, index: number, oid: Uint8Array): number {
  const at = index * 20;
  for (let i = 0; i < 20; i++) {
    if (names[at + i] !== oid[i]) {
      return names[at + i] - oid[i];
    }
  }
  return 0;
}

/** git's delta format: a header of two sizes, then copy and insert instructions. */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  let at = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  if (varint() !== base.length) {
    throw new Error('Delta does not apply to its base');
  }
  const out = new Uint8Array(varint());
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++];
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) {
        if (op & (1 << i)) {
          offset += delta[at++] * 2 ** (8 * i);
        }
      }
      for (let i = 0; i < 3; i++) {
        if (op & (0x10 << i)) {
          size += delta[at++] * 2 ** (8 * i);
        }
      }
      size ||= 0x10000;
      out.set(base.subarray(offset, offset + size), written);
      written += size;
    } else if (op) {
      out.set(delta.subarray(at, at + op), written);
      at += op;
      written += op;
    } else {
      throw new Error('Invalid delta instruction');
    }
  }
  if (written !== out.length) {
    throw new Error('Delta produced the wrong size');
  }
  return out;
}

/** Recently resolved objects, up to a total size: delta chains share their bases. */
class SizedCache {
  private readonly _map = new Map<string, IRawObject>();
  private _size = 0;

  constructor(private readonly _max: number) {}

  get(key: string): IRawObject | undefined {
    const value = this._map.get(key);
    if (value) {
      this._map.delete(key);
      this._map.set(key, value);
    }
    return value;
  }

  set(key: string, value: IRawObject): void {
    if (value.content.length > this._max / 4) {
      return;
    }
    this._map.set(key, value);
    this._size += value.content.length;
    for (const [oldKey, old] of this._map) {
      if (this._size <= this._max) {
        break;
      }
      this._map.delete(oldKey);
      this._size -= old.content.length;
    }
  }
}
