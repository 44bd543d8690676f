import type { IFileSystem } from './api';
import {
  CheckpointError,
  DiskFullError,
  NotFoundError,
  PermissionDeniedError,
  StorageFailureError
} from './errors';
import { isWithin } from './paths';

/**
 * The typed error for an fs failure (Node's `{code, path, syscall}` errors):
 * never "Internal". A file of the working tree that vanished under a request
 * (renamed or deleted meanwhile) is NotFound; a full disk says how much is
 * free and which file was written. Paths are shown relative to the working tree.
 * Anything that is not an fs error is returned as it is.
 */
export async function typedIOError(
  error: unknown,
  fs: IFileSystem,
  dir: string
): Promise<unknown> {
  const code = (error as { code?: unknown })?.code;
  if (
    error instanceof CheckpointError ||
    typeof code !== 'string' ||
    !/^E[A-Z]+$/.test(code)
  ) {
    return error;
  }
  const { path: full, syscall } = error as { path?: string; syscall?: string };
  const path = full ? shown(full, dir) : null;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new DiskFullError(path ?? dir, await freeBytes(fs, dir));
    case 'EACCES':
    case 'EPERM':
      return new PermissionDeniedError(path ?? dir, 'permission denied');
    case 'EROFS':
      return new PermissionDeniedError(path ?? dir, 'read-only file system');
    case 'ENOENT':
      if (
        full &&
        full !== dir &&
        isWithin(full, dir) &&
        !isWithin(full, `${dir}/.git`)
      ) {
        return new NotFoundError(`File '${path}'`, { path });
      }
  }
  return new StorageFailureError(
    path,
    code,
    syscall ?? (error instanceof Error ? error.message : String(error))
  );
}

/** Free bytes on the volume of `dir`, when the host can tell (Node's `statfs`). */
async function freeBytes(fs: IFileSystem, dir: string): Promise<number | null> {
  try {
    const stats = await fs.promises.statfs?.(dir);
    return stats ? Number(stats.bavail) * Number(stats.bsize) : null;
  } catch {
    return null;
  }
}

function shown(path: string, dir: string): string {
  return isWithin(path, dir) && path !== dir
    ? path.slice(dir.length + 1)
    : path;
}
