import type { IFileSystem } from '../api';
import type { ByteCache } from '../storage/byteCache';

/** A file read by position: a ranged read where the fs has one, else read whole once. */
export interface IRangedFile {
  readonly size: number;
  /** Whether the whole file is in memory already (no ranged reads). */
  readonly whole?: boolean;
  /** `length` bytes from `position` (fewer only at the end of the file). */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Node reads at most 2 GiB per call. */
const MAX_READ = 1 << 30;

export async function openRanged(
  fs: IFileSystem,
  path: string
): Promise<IRangedFile> {
  const p = fs.promises;
  if (!p.open) {
    const data: Uint8Array = await p.readFile(path);
    return {
      size: data.length,
      whole: true,
      read: async (position, length) =>
        data.subarray(position, position + length),
      close: async () => undefined
    };
  }
  const handle = await p.open(path, 'r');
  let size: number;
  try {
    size = (await p.stat(path)).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    size,
    async read(position, length) {
      const out = new Uint8Array(
        Math.max(0, Math.min(length, size - position))
      );
      for (let got = 0; got < out.length;) {
        const { bytesRead } = await handle.read(
          out,
          got,
          Math.min(out.length - got, MAX_READ),
          position + got
        );
        if (bytesRead === 0) {
          return out.subarray(0, got);
        }
        got += bytesRead;
      }
      return out;
    },
    close: () => handle.close()
  };
}

/** Bytes per cached block of `readThroughBlocks`. */
export const BLOCK_BYTES = 64 * 1024;

/**
 * `file` read through aligned blocks kept in `cache` (shared, bounded in
 * bytes), as git reads packs through mmap windows: neighbouring small
 * objects, which git stores together, then cost one read, not one each.
 * Reads longer than two blocks go to the file directly.
 */
export function readThroughBlocks(
  file: IRangedFile,
  key: string,
  cache: ByteCache<Uint8Array>
): IRangedFile {
  const block = async (index: number) => {
    const id = `${key}:${index}`;
    let bytes = cache.get(id);
    if (!bytes) {
      bytes = await file.read(index * BLOCK_BYTES, BLOCK_BYTES);
      cache.set(id, bytes);
    }
    return bytes;
  };
  return {
    size: file.size,
    async read(position, length) {
      length = Math.max(0, Math.min(length, file.size - position));
      if (length > 2 * BLOCK_BYTES) {
        return file.read(position, length);
      }
      const first = Math.floor(position / BLOCK_BYTES);
      const last = Math.floor((position + length - 1) / BLOCK_BYTES);
      if (first === last || length === 0) {
        const at = position - first * BLOCK_BYTES;
        return (await block(first)).subarray(at, at + length);
      }
      const out = new Uint8Array(length);
      for (let index = first; index <= last; index++) {
        const bytes = await block(index);
        const from = Math.max(position, index * BLOCK_BYTES);
        const to = Math.min(position + length, (index + 1) * BLOCK_BYTES);
        out.set(
          bytes.subarray(from - index * BLOCK_BYTES, to - index * BLOCK_BYTES),
          from - position
        );
      }
      return out;
    },
    close: () => file.close()
  };
}
