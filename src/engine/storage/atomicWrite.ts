import type { IFileSystem } from '../api';
import { dirname } from '../paths';

/** How often a write retries when a concurrent git removed its directory. */
const DIRECTORY_RETRIES = 3;

/** Marks our temporary files, so the self-check removes ours and never git's. */
export const TEMP_MARK = 'gcp-';

/** Temporary files written now; the self-check leaves them alone. */
const inFlight = new Set<string>();
/** Temporary files a failed write could not remove; the self-check retries. */
const litter = new Set<string>();

/**
 * Writes a file through a temporary one in the same directory renamed over it,
 * so a reader (or a crash) sees the old content or the new, never half.
 *
 * The directory is created when missing, and again when it vanishes between
 * the steps: `git gc`, `repack` and `pack-refs` remove empty directories under
 * `.git/objects` and `.git/refs`, and git itself retries then. A failed write
 * removes its temporary file.
 */
export async function writeAtomic(
  fs: IFileSystem,
  path: string,
  data: Uint8Array | string,
  options: IWriteOptions = {}
): Promise<void> {
  const dir = dirname(path);
  const name = path.slice(dir.length + 1);
  const temp = `${dir}/${options.prefix ?? `.${name}.`}${TEMP_MARK}${Math.random().toString(36).slice(2, 10)}.tmp`;
  inFlight.add(temp);
  try {
    await inDirectory(fs, dir, async () => {
      await fs.promises.writeFile(
        temp,
        data,
        options.mode ? { mode: options.mode } : undefined
      );
      await fs.promises.rename(temp, path);
    });
  } catch (error: any) {
    // Node's write errors name no file (`ENOSPC ... write`): say which one it was.
    if (
      error &&
      typeof error === 'object' &&
      (!error.path || error.path === temp)
    ) {
      error.path = path;
    }
    await removeTemp(fs, temp);
    throw error;
  } finally {
    inFlight.delete(temp);
  }
}

export interface IWriteOptions {
  /** File mode of the new file (objects are read-only, 0o444). */
  mode?: number;
  /** The temporary file's name before the mark (default `.<name>.`). */
  prefix?: string;
}

/** Whether `name` is one of our temporary files (the self-check's test). */
export function isOurTemp(name: string): boolean {
  return name.includes(TEMP_MARK) && name.endsWith('.tmp');
}

/** Whether a temporary file is being written by this process now. */
export function isInFlight(path: string): boolean {
  return inFlight.has(path);
}

/** Removes our temporary file; one that cannot be removed now is kept for the next self-check. */
export async function removeTemp(
  fs: IFileSystem,
  temp: string
): Promise<boolean> {
  try {
    await fs.promises.unlink(temp);
    return true;
  } catch (error: any) {
    if (error?.code !== 'ENOENT') {
      litter.add(temp);
    }
    return false;
  }
}

/** Whether a failed write left a temporary file behind. */
export function hasLitter(): boolean {
  return litter.size > 0;
}

/** Takes the temporary files failed writes left (for the self-check to remove). */
export function takeLitter(): string[] {
  const paths = [...litter];
  litter.clear();
  return paths;
}

/** Runs `step`, making `dir` and retrying when a concurrent git removed it. */
export async function inDirectory<T>(
  fs: IFileSystem,
  dir: string,
  step: () => Promise<T>
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error: any) {
      if (error?.code !== 'ENOENT' || attempt === DIRECTORY_RETRIES) {
        throw error;
      }
      // Its parent may be going too (`git gc` pruning): then the next attempt makes both.
      await fs.promises.mkdir(dir, { recursive: true }).catch((reason: any) => {
        if (reason?.code !== 'ENOENT') {
          throw reason;
        }
      });
    }
  }
}
