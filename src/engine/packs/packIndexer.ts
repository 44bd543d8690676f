import type { ICodec, IFileSystem } from '../api';
import { CorruptPackError } from '../errors';
import { toHex } from '../models/bytes';
import { crc32 } from './crc32';
import { inflatePrefix } from './inflatePrefix';
import { applyDelta, inflateObject } from './packReader';
import {
  buildIdx,
  type IIndexEntry,
  MAX_HEADER_BYTES,
  objectId,
  OFS_DELTA,
  parseEntryHeader,
  REF_DELTA,
  TYPE_NAMES
} from './packFormat';
import type { ObjectType } from '../storage/objects';
import { type IRangedFile, openRanged } from './rangedFile';

/** How much of the pack is read at once while scanning it. */
const WINDOW_BYTES = 4 << 20;
/** Compressed deltas kept from the scan for their resolution, in total. */
const KEPT_DELTA_BYTES = 8 << 20;

/**
 * What the scan learns of each entry, by its position in the pack: columns of
 * typed arrays rather than an object per entry, because a fresh home's pack
 * holds about 100,000 objects and their objects and maps were most of the
 * indexer's heap.
 */
class Scanned {
  constructor(readonly count: number) {
    this.offset = new Float64Array(count);
    this.crc = new Uint32Array(count);
    this.type = new Uint8Array(count);
    this.size = new Float64Array(count);
    this.dataAt = new Float64Array(count);
    this.dataEnd = new Float64Array(count);
    this.baseOffset = new Float64Array(count).fill(-1);
    this.oid = new Array<string>(count).fill('');
  }

  readonly offset: Float64Array;
  readonly crc: Uint32Array;
  readonly type: Uint8Array;
  /** The size of its content (a delta's own, for a delta). */
  readonly size: Float64Array;
  /** Where the zlib stream starts and ends. */
  readonly dataAt: Float64Array;
  readonly dataEnd: Float64Array;
  /** An offset delta's base offset; -1 for anything else. */
  readonly baseOffset: Float64Array;
  /** A ref delta's base id (rare in a pack that is not thin). */
  readonly baseOid = new Map<number, string>();
  /** Hex ids, '' until known. */
  readonly oid: string[];
  /** Compressed deltas kept from the scan, within `KEPT_DELTA_BYTES`. */
  readonly delta = new Map<number, Uint8Array>();

  isDelta(i: number): boolean {
    return this.baseOffset[i] >= 0 || this.baseOid.has(i);
  }

  entries(): IIndexEntry[] {
    return this.oid.map((oid, i) => ({
      oid,
      offset: this.offset[i],
      crc: this.crc[i]
    }));
  }
}

/**
 * Writes the `.idx` (v2) of a `.pack` already on disk, beside it, as
 * `git index-pack` does, and returns its path and the pack's object count.
 *
 * The pack is streamed: one window of it in memory during the scan, then
 * each delta tree resolved from its root, depth first, so memory holds one
 * chain of objects, not the pack. Offset and ref deltas within the pack are
 * resolved; a thin pack (a base outside it) is refused. The index is written
 * under a temporary name and renamed into place.
 */
export async function indexPackFile(
  fs: IFileSystem,
  codec: ICodec,
  packPath: string
): Promise<{ idxPath: string; objectCount: number }> {
  const file = await openRanged(fs, packPath);
  try {
    const scanned = await scan(codec, file, packPath);
    await resolveDeltas(codec, file, packPath, scanned);
    const checksum = await file.read(file.size - 20, 20);
    const idx = await buildIdx(codec, scanned.entries(), checksum);
    const idxPath = packPath.replace(/\.pack$/, '') + '.idx';
    const dir = idxPath.slice(0, idxPath.lastIndexOf('/'));
    const temp = `${dir}/tmp_idx_${Math.random().toString(36).slice(2)}`;
    await fs.promises.writeFile(temp, idx, { mode: 0o444 });
    await fs.promises.rename(temp, idxPath);
    return { idxPath, objectCount: scanned.count };
  } finally {
    await file.close();
  }
}

/** Reads the pack front to back: every entry's place, CRC and, for whole objects, id. */
async function scan(
  codec: ICodec,
  file: IRangedFile,
  path: string
): Promise<Scanned> {
  const fail = (reason: string) => new CorruptPackError(path, reason);
  const end = file.size - 20;
  let window = new Uint8Array(0);
  let windowAt = 0;
  // The bytes [from, to) of the pack, from the window or a new one.
  const bytes = async (from: number, to: number) => {
    to = Math.min(to, end);
    if (from < windowAt || to > windowAt + window.length) {
      window = await file.read(from, Math.max(to - from, WINDOW_BYTES));
      windowAt = from;
    }
    return window.subarray(from - windowAt, to - windowAt);
  };
  const head = await file.read(0, 12);
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  if (
    head.length < 12 ||
    view.getUint32(0) !== 0x5041434b ||
    ![2, 3].includes(view.getUint32(4))
  ) {
    throw fail('not a version 2 pack');
  }
  const count = view.getUint32(8);
  const entries = new Scanned(count);
  let kept = 0;
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at >= end) {
      throw fail(`ends after ${i} of ${count} objects`);
    }
    const header = parseEntryHeader(
      await bytes(at, at + MAX_HEADER_BYTES),
      0,
      at
    );
    const dataAt = at + header.length;
    // A zlib stream is at most a little longer than its content; read
    // more if it is not complete there.
    let guess = header.size + (header.size >> 10) + 64;
    let inflated: { content: Uint8Array; consumed: number } | null = null;
    while (!inflated) {
      const data = await bytes(dataAt, dataAt + guess);
      let result: { content: Uint8Array; consumed: number } | null = null;
      try {
        result = inflatePrefix(codec, data, header.size);
      } catch {
        // Incomplete, or corrupt: decided below.
      }
      const complete = result && result.consumed < data.length;
      if (complete || dataAt + data.length >= end) {
        if (!result || result.content.length !== header.size) {
          throw fail(`object at offset ${at} does not inflate`);
        }
        inflated = result;
      }
      guess *= 2;
    }
    const dataEnd = dataAt + inflated.consumed;
    entries.offset[i] = at;
    entries.crc[i] = crc32(await bytes(at, dataEnd));
    entries.type[i] = header.type;
    entries.size[i] = header.size;
    entries.dataAt[i] = dataAt;
    entries.dataEnd[i] = dataEnd;
    if (header.type === OFS_DELTA || header.type === REF_DELTA) {
      if (header.baseOffset !== undefined) {
        entries.baseOffset[i] = header.baseOffset;
      }
      if (header.baseOid) {
        entries.baseOid.set(i, toHex(header.baseOid));
      }
      if (kept + dataEnd - dataAt <= KEPT_DELTA_BYTES) {
        const delta = (await bytes(dataAt, dataEnd)).slice();
        entries.delta.set(i, delta);
        kept += delta.length;
      }
    } else if (TYPE_NAMES[header.type]) {
      entries.oid[i] = await objectId(
        codec,
        TYPE_NAMES[header.type],
        inflated.content
      );
    } else {
      throw fail(`unknown object type ${header.type} at offset ${at}`);
    }
    at = dataEnd;
  }
  if (at !== end) {
    throw fail('has bytes after its last object');
  }
  return entries;
}

/** Gives every delta its id: each tree of deltas resolved from its whole root. */
async function resolveDeltas(
  codec: ICodec,
  file: IRangedFile,
  path: string,
  entries: Scanned
): Promise<void> {
  const { count } = entries;
  // Each base's offset-delta children, as ranges of one array (an offset
  // delta's base is an earlier entry: found by its offset, entries being in
  // pack order).
  const baseIndex = (offset: number) => {
    let low = 0;
    let high = count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = entries.offset[mid];
      if (at === offset) {
        return mid;
      }
      if (at < offset) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return -1;
  };
  const parent = new Int32Array(count).fill(-1);
  const firstChild = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) {
    if (entries.baseOffset[i] >= 0) {
      parent[i] = baseIndex(entries.baseOffset[i]);
      if (parent[i] >= 0) {
        firstChild[parent[i] + 1]++;
      }
    }
  }
  for (let i = 0; i < count; i++) {
    firstChild[i + 1] += firstChild[i];
  }
  const children = new Uint32Array(firstChild[count]);
  const filled = firstChild.slice(0, count);
  for (let i = 0; i < count; i++) {
    if (parent[i] >= 0) {
      children[filled[parent[i]]++] = i;
    }
  }
  const byOid = new Map<string, number[]>();
  for (const [i, oid] of entries.baseOid) {
    const list = byOid.get(oid);
    if (list) {
      list.push(i);
    } else {
      byOid.set(oid, [i]);
    }
  }
  const inflateEntry = async (i: number) => {
    const data =
      entries.delta.get(i) ??
      (await file.read(
        entries.dataAt[i],
        entries.dataEnd[i] - entries.dataAt[i]
      ));
    return inflateObject(codec, data, entries.size[i]);
  };
  const childrenOf = (i: number) => [
    ...children.subarray(firstChild[i], firstChild[i + 1]),
    ...(byOid.get(entries.oid[i]) ?? [])
  ];
  for (let root = 0; root < count; root++) {
    if (entries.isDelta(root)) {
      continue;
    }
    const rootChildren = childrenOf(root);
    if (rootChildren.length === 0) {
      continue;
    }
    const type = TYPE_NAMES[entries.type[root]];
    const stack: Array<{ content: Uint8Array; children: number[] }> = [
      { content: await inflateEntry(root), children: rootChildren }
    ];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const child = top.children.pop()!;
      // A base whose last child this is is not needed again: let it go now,
      // so a long chain holds one object at a time, not the whole chain.
      if (top.children.length === 0) {
        stack.pop();
      }
      const content = applyDelta(top.content, await inflateEntry(child));
      entries.oid[child] = await objectId(codec, type as ObjectType, content);
      entries.delta.delete(child);
      const next = childrenOf(child);
      if (next.length > 0) {
        stack.push({ content, children: next });
      }
    }
  }
  const unresolved = entries.oid.findIndex(oid => !oid);
  if (unresolved >= 0) {
    throw new CorruptPackError(
      path,
      `delta at offset ${entries.offset[unresolved]} has no base in the pack`
    );
  }
}
