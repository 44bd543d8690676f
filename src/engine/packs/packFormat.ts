/**
 * git's pack (v2) and pack index (v2) formats, as `gitformat-pack` documents
 * them: the entry header, and building an index from its entries.
 */
import type { ICodec } from '../api';
import { concat, fromHex, utf8 } from '../models/bytes';
import type { ObjectType } from '../storage/objects';

export const TYPE_NAMES: Record<number, ObjectType> = {
  1: 'commit',
  2: 'tree',
  3: 'blob',
  4: 'tag'
};
export const TYPE_CODES: Record<ObjectType, number> = {
  commit: 1,
  tree: 2,
  blob: 3,
  tag: 4
};
export const OFS_DELTA = 6;
export const REF_DELTA = 7;

/** The longest entry header: a 64-bit size, then a 20-byte base id. */
export const MAX_HEADER_BYTES = 10 + 20;

export interface IEntryHeader {
  /** 1-4 for whole objects, `OFS_DELTA` or `REF_DELTA`. */
  type: number;
  /** The inflated size: the object's, or the delta's. */
  size: number;
  /** Bytes from the entry's start to its zlib stream. */
  length: number;
  /** `OFS_DELTA`: the base's offset in the pack. */
  baseOffset?: number;
  /** `REF_DELTA`: the base's id. */
  baseOid?: Uint8Array;
}

/** Parses the header of the entry at `offset`, whose bytes start at `bytes[at]`. */
export function parseEntryHeader(
  bytes: Uint8Array,
  at: number,
  offset: number
): IEntryHeader {
  const start = at;
  let byte = bytes[at++];
  const type = (byte >> 4) & 7;
  let size = byte & 15;
  for (let shift = 4; byte & 0x80; shift += 7) {
    byte = bytes[at++];
    size += (byte & 0x7f) * 2 ** shift;
  }
  const header: IEntryHeader = { type, size, length: 0 };
  if (type === OFS_DELTA) {
    byte = bytes[at++];
    let back = byte & 0x7f;
    while (byte & 0x80) {
      byte = bytes[at++];
      back = (back + 1) * 128 + (byte & 0x7f);
    }
    header.baseOffset = offset - back;
  } else if (type === REF_DELTA) {
    header.baseOid = bytes.slice(at, at + 20);
    at += 20;
  }
  header.length = at - start;
  return header;
}

/** The header of a whole object or a delta of `size` inflated bytes. */
export function encodeEntryHeader(type: number, size: number): Uint8Array {
  const out: number[] = [];
  let byte = (type << 4) | (size & 15);
  size = Math.floor(size / 16);
  while (size > 0) {
    out.push(byte | 0x80);
    byte = size & 0x7f;
    size = Math.floor(size / 128);
  }
  out.push(byte);
  return Uint8Array.from(out);
}

/** The `OFS_DELTA` distance back to the base, in git's offset encoding. */
export function encodeOffsetBack(back: number): Uint8Array {
  const out = [back & 0x7f];
  back = Math.floor(back / 128);
  while (back > 0) {
    back -= 1;
    out.unshift(0x80 | (back & 0x7f));
    back = Math.floor(back / 128);
  }
  return Uint8Array.from(out);
}

export interface IIndexEntry {
  /** Hex object id. */
  oid: string;
  offset: number;
  crc: number;
}

/** A pack index v2 of `entries`, ending with the pack's checksum and its own. */
export async function buildIdx(
  codec: ICodec,
  entries: IIndexEntry[],
  packChecksum: Uint8Array
): Promise<Uint8Array> {
  const sorted = [...entries].sort((a, b) =>
    a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0
  );
  const count = sorted.length;
  const large = sorted.filter(entry => entry.offset >= 0x80000000).length;
  const out = new Uint8Array(8 + 1024 + count * 28 + large * 8 + 40);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xff744f63);
  view.setUint32(4, 2);
  const names = 8 + 1024;
  const crcs = names + count * 20;
  const offsets = crcs + count * 4;
  const larges = offsets + count * 4;
  let nextLarge = 0;
  const fanout = new Uint32Array(256);
  sorted.forEach((entry, i) => {
    const oid = fromHex(entry.oid);
    fanout[oid[0]]++;
    out.set(oid, names + i * 20);
    view.setUint32(crcs + i * 4, entry.crc);
    if (entry.offset < 0x80000000) {
      view.setUint32(offsets + i * 4, entry.offset);
    } else {
      view.setUint32(offsets + i * 4, 0x80000000 | nextLarge);
      view.setBigUint64(larges + nextLarge * 8, BigInt(entry.offset));
      nextLarge++;
    }
  });
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i];
    view.setUint32(8 + i * 4, total);
  }
  const trailer = larges + large * 8;
  out.set(packChecksum, trailer);
  const own = fromHex(await codec.sha1(out.subarray(0, trailer + 20)));
  out.set(own, trailer + 20);
  return out;
}

/** An object as git hashes it: a header, then the content. */
export function wrapObject(type: ObjectType, content: Uint8Array): Uint8Array {
  return concat([objectHeader(type, content.length), content]);
}

function objectHeader(type: ObjectType, length: number): Uint8Array {
  return utf8(`${type} ${length}\0`);
}

/**
 * An object's id. With an incremental SHA-1 the content is hashed where it
 * is, not copied behind its header first (a 2 MB copy per notebook version
 * when a fetched pack is indexed).
 */
export async function objectId(
  codec: ICodec,
  type: ObjectType,
  content: Uint8Array
): Promise<string> {
  const hasher = codec.sha1Hasher?.();
  if (!hasher) {
    return codec.sha1(wrapObject(type, content));
  }
  hasher.update(objectHeader(type, content.length));
  hasher.update(content);
  return hasher.digest();
}
