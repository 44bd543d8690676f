import type { IStats } from '../api';
import { UnsupportedRepositoryError } from '../errors';
import { isWithin } from '../paths';
import { compareBytes, concat, fromHex, fromUtf8, toHex, utf8 } from './bytes';

/**
 * git's index file (`.git/index`, versions 2 and 3), read and written so that
 * one entry can change while every other entry keeps its bytes.
 *
 * Entries not touched are kept as raw bytes, with their flags (skip-worktree,
 * intent-to-add). Of the extensions, the cache tree (TREE), untracked cache,
 * fsmonitor and offset tables are caches that git rebuilds, so they are
 * dropped on write; resolve-undo is kept. A split index, a sparse index and
 * version 4 are refused: isomorphic-git corrupts or cannot read them.
 */
export interface IIndexEntry {
  path: string;
  stage: number;
  oid: string;
  mode: number;
  /** The entry's bytes as stored in the file. */
  raw: Uint8Array;
}

export interface IGitIndex {
  version: number;
  entries: IIndexEntry[];
  /** Extensions kept on write, as raw bytes (signature + size + data). */
  extensions: Uint8Array[];
}

const DROPPED = new Set(['TREE', 'UNTR', 'FSMN', 'EOIE', 'IEOT']);

export function emptyIndex(): IGitIndex {
  return { version: 2, entries: [], extensions: [] };
}

export function parseIndex(buffer: Uint8Array): IGitIndex {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
  if (fromUtf8(buffer.subarray(0, 4)) !== 'DIRC') {
    throw new UnsupportedRepositoryError('the index file has no DIRC header');
  }
  const version = view.getUint32(4);
  if (version === 4) {
    throw new UnsupportedRepositoryError('index version 4');
  }
  if (version !== 2 && version !== 3) {
    throw new UnsupportedRepositoryError(`index version ${version}`);
  }
  const count = view.getUint32(8);
  const entries: IIndexEntry[] = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    const flags = view.getUint16(at + 60);
    const extended = (flags & 0x4000) !== 0;
    const nameStart = at + 62 + (extended ? 2 : 0);
    const nameEnd = buffer.indexOf(0, nameStart);
    const length = padded(nameEnd - at);
    entries.push({
      path: fromUtf8(buffer.subarray(nameStart, nameEnd)),
      stage: (flags >> 12) & 0x3,
      oid: toHex(buffer.subarray(at + 40, at + 60)),
      mode: view.getUint32(at + 24),
      raw: buffer.slice(at, at + length)
    });
    at += length;
  }
  const extensions: Uint8Array[] = [];
  const end = buffer.length - 20;
  while (at < end) {
    const signature = fromUtf8(buffer.subarray(at, at + 4));
    const size = view.getUint32(at + 4);
    if (signature === 'link') {
      throw new UnsupportedRepositoryError('split index');
    }
    if (signature === 'sdir') {
      throw new UnsupportedRepositoryError('sparse index');
    }
    if (/^[a-z]/.test(signature)) {
      // Lowercase extensions are required to understand the index.
      throw new UnsupportedRepositoryError(`index extension '${signature}'`);
    }
    if (!DROPPED.has(signature)) {
      extensions.push(buffer.slice(at, at + 8 + size));
    }
    at += 8 + size;
  }
  return { version, entries, extensions };
}

/** Entry length including NUL padding to a multiple of 8 (versions 2 and 3). */
function padded(lengthWithoutNul: number): number {
  return Math.ceil((lengthWithoutNul + 1) / 8) * 8;
}

/** Makes an entry for a file whose content is `oid`; `stats` null means unknown. */
export function makeEntry(
  path: string,
  oid: string,
  mode: number,
  stats: IStats | null
): IIndexEntry {
  const name = utf8(path);
  const length = padded(62 + name.length);
  const raw = new Uint8Array(length);
  const view = new DataView(raw.buffer);
  if (stats) {
    // Zero stat data would make git hash the file again on every status.
    const [cs, cn] = split(stats.ctimeMs);
    const [ms, mn] = split(stats.mtimeMs);
    view.setUint32(0, cs);
    view.setUint32(4, cn);
    view.setUint32(8, ms);
    view.setUint32(12, mn);
    view.setUint32(16, stats.dev >>> 0);
    view.setUint32(20, stats.ino >>> 0);
    view.setUint32(28, stats.uid >>> 0);
    view.setUint32(32, stats.gid >>> 0);
    view.setUint32(36, stats.size >>> 0);
  }
  view.setUint32(24, mode);
  raw.set(fromHex(oid), 40);
  view.setUint16(60, Math.min(name.length, 0xfff));
  raw.set(name, 62);
  return { path, stage: 0, oid, mode, raw };
}

function split(ms: number): [number, number] {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return [seconds >>> 0, Math.min(nanos, 999999999) >>> 0];
}

export function serializeIndex(
  index: IGitIndex,
  sha1: (data: Uint8Array) => Promise<string>
): Promise<Uint8Array> {
  const entries = [...index.entries].sort(
    (a, b) => compareBytes(utf8(a.path), utf8(b.path)) || a.stage - b.stage
  );
  const header = new Uint8Array(12);
  header.set(utf8('DIRC'));
  const view = new DataView(header.buffer);
  view.setUint32(4, index.version);
  view.setUint32(8, entries.length);
  const body = concat([
    header,
    ...entries.map(entry => entry.raw),
    ...index.extensions
  ]);
  return sha1(body).then(hash => concat([body, fromHex(hash)]));
}

/** Replaces every entry (all stages) of `path` with `entry`. */
export function setEntry(index: IGitIndex, entry: IIndexEntry): void {
  index.entries = index.entries.filter(e => e.path !== entry.path);
  index.entries.push(entry);
}

/** Removes the entries of a file, or of every file below a directory. */
export function removeEntries(index: IGitIndex, path: string): IIndexEntry[] {
  const removed = index.entries.filter(e => isWithin(e.path, path));
  index.entries = index.entries.filter(e => !isWithin(e.path, path));
  return removed;
}

/**
 * Whether the file still looks as the entry recorded it (mtime seconds and
 * size), e.g. after a rename, which keeps both but changes ctime.
 */
export function unchangedSince(entry: IIndexEntry, stats: IStats): boolean {
  const view = new DataView(entry.raw.buffer, entry.raw.byteOffset);
  return (
    view.getUint32(8) === Math.floor(stats.mtimeMs / 1000) >>> 0 &&
    view.getUint32(36) === stats.size >>> 0
  );
}
