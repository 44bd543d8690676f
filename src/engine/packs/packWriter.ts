import type { ICodec } from '../api';
import { concat, fromHex, toHex } from '../models/bytes';
import { crc32 } from './crc32';
import type { ObjectType } from '../storage/objects';
import {
  buildIdx,
  encodeEntryHeader,
  encodeOffsetBack,
  type IIndexEntry,
  OFS_DELTA,
  REF_DELTA,
  TYPE_CODES
} from './packFormat';

/**
 * Builds a pack (v2) in memory, entry by entry, and its index: whole
 * objects, offset deltas against entries already in it, and raw entries
 * copied from another pack with their delta base moved to its new place.
 */
export class PackBuilder {
  private readonly _chunks: Uint8Array[] = [];
  private readonly _entries: IIndexEntry[] = [];
  private readonly _offsets = new Map<string, number>();
  private _size = 12;

  constructor(private readonly _codec: ICodec) {}

  /** Bytes written so far. */
  get size(): number {
    return this._size;
  }

  get count(): number {
    return this._entries.length;
  }

  /** The offset of `oid` in this pack, if written. */
  offsetOf(oid: string): number | undefined {
    return this._offsets.get(oid);
  }

  async addWhole(
    oid: string,
    type: ObjectType,
    content: Uint8Array
  ): Promise<void> {
    this._add(oid, [
      encodeEntryHeader(TYPE_CODES[type], content.length),
      await this._codec.deflate(content)
    ]);
  }

  /** `delta` (git's delta encoding) against `base`, an entry of this pack. */
  async addDelta(oid: string, base: string, delta: Uint8Array): Promise<void> {
    const at = this._size;
    this._add(oid, [
      encodeEntryHeader(OFS_DELTA, delta.length),
      encodeOffsetBack(at - this._offsets.get(base)!),
      await this._codec.deflate(delta)
    ]);
  }

  /**
   * A raw entry of another pack: its header's type and size, its base (an
   * offset delta's base must be in this pack by now; a ref delta's base is
   * given by id) and its zlib stream, copied without inflating.
   */
  addRaw(
    oid: string,
    header: { type: number; size: number },
    base: string | null,
    stream: Uint8Array
  ): void {
    const baseAt = base === null ? undefined : this._offsets.get(base);
    const at = this._size;
    if (base === null) {
      this._add(oid, [encodeEntryHeader(header.type, header.size), stream]);
    } else if (baseAt !== undefined) {
      this._add(oid, [
        encodeEntryHeader(OFS_DELTA, header.size),
        encodeOffsetBack(at - baseAt),
        stream
      ]);
    } else {
      this._add(oid, [
        encodeEntryHeader(REF_DELTA, header.size),
        fromHex(base),
        stream
      ]);
    }
  }

  /** The whole pack, its checksum (hex, the pack's name) and its index. */
  async finish(): Promise<{
    pack: Uint8Array;
    idx: Uint8Array;
    checksum: string;
  }> {
    // One buffer for the whole pack: the checksum is over all but its end.
    const pack = new Uint8Array(this._size + 20);
    const view = new DataView(pack.buffer);
    view.setUint32(0, 0x5041434b);
    view.setUint32(4, 2);
    view.setUint32(8, this._entries.length);
    let at = 12;
    for (const chunk of this._chunks) {
      pack.set(chunk, at);
      at += chunk.length;
    }
    this._chunks.length = 0;
    const sum = fromHex(await this._codec.sha1(pack.subarray(0, this._size)));
    pack.set(sum, this._size);
    const idx = await buildIdx(this._codec, this._entries, sum);
    return { pack, idx, checksum: toHex(sum) };
  }

  private _add(oid: string, parts: Uint8Array[]): void {
    const entry = concat(parts);
    this._entries.push({ oid, offset: this._size, crc: crc32(entry) });
    this._offsets.set(oid, this._size);
    this._chunks.push(entry);
    this._size += entry.length;
  }
}
