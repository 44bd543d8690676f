import type { ICodec, IFileSystem } from '../api';
import { CorruptPackError } from '../errors';
import { concat, fromHex, toHex } from '../models/bytes';
import { join } from '../paths';
import { ByteCache } from '../storage/byteCache';
import type { ObjectType } from '../storage/objects';
import {
  type IEntryHeader,
  OFS_DELTA,
  parseEntryHeader,
  REF_DELTA,
  TYPE_NAMES
} from './packFormat';
import { type IRangedFile, openRanged, readThroughBlocks } from './rangedFile';

/** Blocks of pack files kept, in total (see `readThroughBlocks`). */
const BLOCK_CACHE_BYTES = 4 << 20;

/** The first read of an entry: its header and, for most objects, all of it. */
const FIRST_READ = 16 * 1024;

/** The most bytes zlib takes for `size` bytes (deflate's bound, plus its header and checksum). */
function zlibBound(size: number): number {
  return size + (size >> 12) + (size >> 14) + (size >> 25) + 13 + 6;
}

/** Resolved objects kept for delta chains and repeated reads, in total. */
const BASE_CACHE_BYTES = 8 << 20;

/** A resolved object. */
export interface IRawObject {
  type: ObjectType;
  content: Uint8Array;
}

/**
 * Reads objects from git's pack files with the host's codec.
 *
 * Each `.idx` (v2, large offsets included) is parsed once; an object is found
 * by binary search and only its own bytes are read from the pack (a ranged
 * read where the fs has one), then inflated natively; delta chains are
 * resolved through a cache of recent objects bounded in bytes, as git's
 * `core.deltaBaseCacheLimit` is. Returns null for what it does not hold, so
 * the caller can try loose objects and then isomorphic-git.
 */

/** How often a read looks again when the pack it found was removed under it. */
const PACK_GONE_RETRIES = 3;
export class PackReader {
  private _packs: Pack[] | null = null;
  private _retired: Pack[] = [];
  private readonly _bases = new ByteCache<IRawObject>(
    BASE_CACHE_BYTES,
    object => object.content.length + 200
  );
  private readonly _blocks = new ByteCache<Uint8Array>(
    BLOCK_CACHE_BYTES,
    block => block.length
  );

  constructor(
    private readonly _fs: IFileSystem,
    private readonly _gitdir: string,
    private readonly _codec: ICodec
  ) {}

  /**
   * The object, or null when no pack holds it. `rescan` looks for packs
   * written since the last look (a repack, a fetch, the engine's own
   * packing); without it a miss costs nothing.
   */
  async read(oid: string, rescan = false): Promise<IRawObject | null> {
    if (rescan) {
      await this.rescan();
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const found = await this._find(fromHex(oid));
        return found
          ? await this._readAt(found.pack, found.offset, false)
          : null;
      } catch (error: any) {
        // A git repack beside us removed the pack after we listed it: as git
        // does, look at the packs again and read from the one that holds it now.
        if (error?.code !== 'ENOENT' || attempt === PACK_GONE_RETRIES) {
          throw error;
        }
        await this.rescan();
      }
    }
  }

  /** Whether a pack holds `oid`, without reading it. */
  async has(oid: string): Promise<boolean> {
    return (await this._find(fromHex(oid))) !== null;
  }

  /** The packs found at the last scan, by their `.pack` path. */
  async paths(): Promise<string[]> {
    return (await this._list()).map(pack => pack.path);
  }

  /** The objects of the pack at `path`, in the order they are stored. */
  async entriesOf(
    path: string
  ): Promise<Array<{ oid: string; offset: number }>> {
    return this._pack(path).then(pack => pack.byOffset());
  }

  /** The entry at `offset` of the pack at `path`: its header and its zlib stream. */
  async rawAt(path: string, offset: number) {
    return (await this._pack(path)).entry(offset);
  }

  /** `oid` as the pack at `path` holds it, or null (to check a pack just written). */
  async readIn(path: string, oid: string): Promise<IRawObject | null> {
    const pack = await this._pack(path);
    const offset = pack.offsetOf(fromHex(oid));
    return offset === null ? null : this._readAt(pack, offset, false);
  }

  private async _pack(path: string): Promise<Pack> {
    const pack = (await this._list()).find(p => p.path === path);
    if (!pack) {
      throw new CorruptPackError(path, 'no index for it');
    }
    return pack;
  }

  /**
   * Looks for new packs now. Packs gone from disk are closed at the next
   * rescan, not now: a read begun before may still be using them.
   */
  async rescan(): Promise<void> {
    const old = this._packs ?? [];
    this._packs = null;
    const current = await this._list(old);
    const retired = this._retired;
    this._retired = old.filter(pack => !current.includes(pack));
    await Promise.all(retired.map(pack => pack.close()));
  }

  /** Closes every open pack file. */
  async close(): Promise<void> {
    const packs = [...(this._packs ?? []), ...this._retired];
    this._packs = null;
    this._retired = [];
    await Promise.all(packs.map(pack => pack.close()));
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

  private async _list(reuse: Pack[] = []): Promise<Pack[]> {
    if (!this._packs) {
      const dir = join(this._gitdir, 'objects/pack');
      const names = await this._fs.promises
        .readdir(dir)
        .catch(() => [] as string[]);
      const packs: Pack[] = [];
      for (const name of names.filter(n => /^pack-.*\.idx$/.test(n))) {
        const path = join(dir, name.replace(/\.idx$/, '.pack'));
        const known = reuse.find(pack => pack.path === path);
        const pack =
          known ??
          (await Pack.open(this._fs, path, this._blocks).catch(() => null));
        if (pack) {
          packs.push(pack);
        }
      }
      this._packs = packs;
    }
    return this._packs;
  }

  /**
   * The object at `offset`. Delta bases and blobs are cached; commits and
   * trees read for themselves are not (the object store keeps them parsed).
   */
  private async _readAt(
    pack: Pack,
    offset: number,
    isBase: boolean
  ): Promise<IRawObject> {
    const cacheKey = `${pack.id}:${offset}`;
    const cached = this._bases.get(cacheKey);
    if (cached) {
      return cached;
    }
    const { header, stream } = await pack.entry(offset);
    let base: IRawObject | null = null;
    if (header.type === OFS_DELTA) {
      base = await this._readAt(pack, header.baseOffset!, true);
    } else if (header.type === REF_DELTA) {
      const baseOid = toHex(header.baseOid!);
      base = (await this.read(baseOid)) ?? (await this.read(baseOid, true));
      if (!base) {
        throw new CorruptPackError(pack.path, `missing delta base ${baseOid}`);
      }
    }
    const inflated = await inflateObject(this._codec, stream, header.size);
    const object = base
      ? { type: base.type, content: applyDelta(base.content, inflated) }
      : { type: TYPE_NAMES[header.type], content: inflated };
    if (!object.type) {
      throw new CorruptPackError(
        pack.path,
        `unknown object type ${header.type} at offset ${offset}`
      );
    }
    if (isBase || object.type === 'blob') {
      this._bases.set(cacheKey, object);
    }
    return object;
  }
}

/** Inflates an entry's zlib stream whose content is `size` bytes. */
export function inflateObject(
  codec: ICodec,
  data: Uint8Array,
  size: number
): Promise<Uint8Array> | Uint8Array {
  // Small objects: a thread-pool round trip costs more than the inflate.
  if (size < 65536 && codec.inflateSync) {
    return codec.inflateSync(data, size);
  }
  return codec.inflate(data, size);
}

/** One pack: its `.idx` in memory, its `.pack` opened when first read. */
let packIds = 0;

class Pack {
  /** A short key for caches (a path in every key costs memory). */
  readonly id = packIds++;
  private _file: Promise<IRangedFile> | null = null;
  private _sorted: Float64Array | null = null;

  private constructor(
    private readonly _fs: IFileSystem,
    readonly path: string,
    private readonly _names: Uint8Array,
    private readonly _fanout: Uint32Array,
    private readonly _offsets: Float64Array,
    private readonly _blocks: ByteCache<Uint8Array>
  ) {}

  static async open(
    fs: IFileSystem,
    path: string,
    blocks: ByteCache<Uint8Array>
  ): Promise<Pack | null> {
    const idx: Uint8Array = await fs.promises.readFile(
      path.replace(/\.pack$/, '.idx')
    );
    const parsed = parseIdx(idx);
    return parsed
      ? new Pack(fs, path, parsed.names, parsed.fanout, parsed.offsets, blocks)
      : null;
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

  /** Every object's id and offset, by offset. */
  byOffset(): Array<{ oid: string; offset: number }> {
    const all = Array.from(this._offsets, (offset, i) => ({
      oid: toHex(this._names.subarray(i * 20, i * 20 + 20)),
      offset
    }));
    return all.sort((a, b) => a.offset - b.offset);
  }

  /**
   * The entry at `offset`: its header, and its zlib stream up to the next
   * entry, or less when the object's size bounds it (a short first read
   * serves small objects at once).
   */
  async entry(
    offset: number
  ): Promise<{ header: IEntryHeader; stream: Uint8Array }> {
    this._file ??= openRanged(this._fs, this.path).then(file =>
      file.whole ? file : readThroughBlocks(file, String(this.id), this._blocks)
    );
    const file = await this._file;
    const end = this._endOf(offset, file.size);
    const first = await file.read(offset, Math.min(end - offset, FIRST_READ));
    const header = parseEntryHeader(first, 0, offset);
    const want = Math.min(end - offset, header.length + zlibBound(header.size));
    if (want <= first.length) {
      return { header, stream: first.subarray(header.length, want) };
    }
    const rest = await file.read(offset + first.length, want - first.length);
    return {
      header,
      stream: concat([first.subarray(header.length), rest])
    };
  }

  async close(): Promise<void> {
    const file = this._file;
    this._file = null;
    await (await file?.catch(() => null))?.close();
  }

  /** Where the entry at `offset` ends: the next entry, or the pack's trailer. */
  private _endOf(offset: number, size: number): number {
    if (!this._sorted) {
      this._sorted = Float64Array.from(this._offsets).sort();
    }
    const sorted = this._sorted;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid] <= offset) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low < sorted.length ? sorted[low] : size - 20;
  }
}

/** A v2 `.idx`: names, fanout and offsets (large ones included), or null for v1. */
export function parseIdx(idx: Uint8Array) {
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
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const small = view.getUint32(offsetsAt + i * 4);
    offsets[i] =
      small & 0x80000000
        ? Number(view.getBigUint64(largeAt + (small & 0x7fffffff) * 8))
        : small;
  }
  // A copy: the names stay in memory for the engine's life, the file's buffer need not.
  const names = idx.slice(namesAt, namesAt + count * 20);
  return { names, fanout, offsets };
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
