import type { IFileSystem, IStats } from '../api';
import { InvalidPathError } from '../errors';
import { dirname, join } from '../paths';
import { writeAtomic } from './atomicWrite';
import { exists } from './objects';

/**
 * The working tree: the user's files beside `.git`.
 *
 * Every path reaching here was normalised; this adds the check that needs the
 * fs: no component may be a symlink, so nothing is read or written outside.
 */
export class WorkingTree {
  constructor(
    private readonly _fs: IFileSystem,
    readonly dir: string
  ) {}

  path(path: string): string {
    return join(this.dir, path);
  }

  async assertNoSymlinks(path: string): Promise<void> {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const partial = parts.slice(0, i).join('/');
      let stats: IStats;
      try {
        stats = await this._fs.promises.lstat(this.path(partial));
      } catch {
        return; // Nothing further exists, so nothing further can be a link.
      }
      if (stats.isSymbolicLink()) {
        throw new InvalidPathError(path, `'${partial}' is a symbolic link`);
      }
    }
  }

  /** The file's stats, or null when there is no regular file. */
  async stat(path: string): Promise<IStats | null> {
    try {
      const stats = await this._fs.promises.lstat(this.path(path));
      return stats.isFile() ? stats : null;
    } catch {
      return null;
    }
  }

  async read(path: string): Promise<Uint8Array> {
    return this._fs.promises.readFile(this.path(path));
  }

  /** Writes a file through a temporary one, so a reader never sees half of it. */
  async write(
    path: string,
    content: Uint8Array,
    mode?: number
  ): Promise<IStats> {
    const full = this.path(path);
    const name = full.slice(full.lastIndexOf('/') + 1);
    await writeAtomic(this._fs, full, content, { mode, prefix: `.~${name}.` });
    return this._fs.promises.lstat(full);
  }

  async remove(path: string): Promise<void> {
    await this._fs.promises.unlink(this.path(path)).catch(() => undefined);
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.path(to);
    await this._fs.promises.mkdir(dirname(target), { recursive: true });
    await this._fs.promises.rename(this.path(from), target);
  }

  exists(path: string): Promise<boolean> {
    return exists(this._fs, this.path(path));
  }
}

/** Whether two looks at a file saw the same file (null: no file), as git's stat check does. */
export function sameStats(a: IStats | null, b: IStats | null): boolean {
  if (!a || !b) {
    return a === b;
  }
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}
