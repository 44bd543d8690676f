import type { IFileSystem } from '../api';

/** A file read by position: a ranged read where the fs has one, else read whole once. */
export interface IRangedFile {
  readonly size: number;
  /** `length` bytes from `position` (fewer only at the end of the file). */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function openRanged(
  fs: IFileSystem,
  path: string
): Promise<IRangedFile> {
  const p = fs.promises;
  if (!p.open) {
    const data: Uint8Array = await p.readFile(path);
    return {
      size: data.length,
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
          out.length - got,
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
