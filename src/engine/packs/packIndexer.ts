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

interface IScanned extends IIndexEntry {
  type: number;
  /** The size of its content (a delta's own, for a delta). */
  size: number;
  /** Where the zlib stream starts and ends. */
  dataAt: number;
  dataEnd: number;
  baseOffset?: number;
  baseOid?: string;
  /** The compressed delta, when it fit in `KEPT_DELTA_BYTES`. */
  delta?: Uint8Array;
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
    const entries = await scan(codec, file, packPath);
    await resolveDeltas(codec, file, packPath, entries);
    const checksum = await file.read(file.size - 20, 20);
    const idx = await buildIdx(codec, entries, checksum);
    const idxPath = packPath.replace(/\.pack$/, '') + '.idx';
    const dir = idxPath.slice(0, idxPath.lastIndexOf('/'));
    const temp = `${dir}/tmp_idx_${Math.random().toString(36).slice(2)}`;
    await fs.promises.writeFile(temp, idx, { mode: 0o444 });
    await fs.promises.rename(temp, idxPath);
    return { idxPath, objectCount: entries.length };
  } finally {
    await file.close();
  }
}

/** Reads the pack front to back: every entry's place, CRC and, for whole objects, id. */
async function scan(
  codec: ICodec,
  file: IRangedFile,
  path: string
): Promise<IScanned[]> {
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
  const entries: IScanned[] = [];
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
    const entry: IScanned = {
      oid: '',
      offset: at,
      crc: crc32(await bytes(at, dataEnd)),
      type: header.type,
      size: header.size,
      dataAt,
      dataEnd
    };
    if (header.type === OFS_DELTA || header.type === REF_DELTA) {
      entry.baseOffset = header.baseOffset;
      entry.baseOid = header.baseOid && toHex(header.baseOid);
      if (kept + dataEnd - dataAt <= KEPT_DELTA_BYTES) {
        entry.delta = (await bytes(dataAt, dataEnd)).slice();
        kept += entry.delta.length;
      }
    } else if (TYPE_NAMES[header.type]) {
      entry.oid = await objectId(
        codec,
        TYPE_NAMES[header.type],
        inflated.content
      );
    } else {
      throw fail(`unknown object type ${header.type} at offset ${at}`);
    }
    entries.push(entry);
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
  entries: IScanned[]
): Promise<void> {
  const byOffset = new Map<number, number[]>();
  const byOid = new Map<string, number[]>();
  const add = <K>(map: Map<K, number[]>, key: K, index: number) => {
    const list = map.get(key);
    if (list) {
      list.push(index);
    } else {
      map.set(key, [index]);
    }
  };
  entries.forEach((entry, i) => {
    if (entry.baseOffset !== undefined) {
      add(byOffset, entry.baseOffset, i);
    } else if (entry.baseOid) {
      add(byOid, entry.baseOid, i);
    }
  });
  const inflateEntry = async (entry: IScanned) => {
    const data =
      entry.delta ??
      (await file.read(entry.dataAt, entry.dataEnd - entry.dataAt));
    return inflateObject(codec, data, entry.size);
  };
  const childrenOf = (entry: IScanned) => [
    ...(byOffset.get(entry.offset) ?? []),
    ...(byOid.get(entry.oid) ?? [])
  ];
  for (const root of entries) {
    const whole = root.baseOffset === undefined && !root.baseOid;
    if (!whole || childrenOf(root).length === 0) {
      continue;
    }
    const type = TYPE_NAMES[root.type];
    const stack: Array<{ content: Uint8Array; children: number[] }> = [
      { content: await inflateEntry(root), children: childrenOf(root) }
    ];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const child = entries[top.children.pop()!];
      // A base whose last child this is is not needed again: let it go now,
      // so a long chain holds one object at a time, not the whole chain.
      if (top.children.length === 0) {
        stack.pop();
      }
      const content = applyDelta(top.content, await inflateEntry(child));
      child.oid = await objectId(codec, type as ObjectType, content);
      child.delta = undefined;
      const children = childrenOf(child);
      if (children.length > 0) {
        stack.push({ content, children });
      }
    }
  }
  const unresolved = entries.find(entry => !entry.oid);
  if (unresolved) {
    throw new CorruptPackError(
      path,
      `delta at offset ${unresolved.offset} has no base in the pack`
    );
  }
}
