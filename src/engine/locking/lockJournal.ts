import type { IFileSystem } from '../api';
import { join } from '../paths';
import { writeAtomic } from '../storage/atomicWrite';

/** Lock files this process holds now, across every engine in it. */
const held = new Set<string>();

/** Errors of a `link` the fs or the volume does not support. */
const NO_LINKS = new Set(['ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EXDEV']);

const RECORD = /^gitcheckpoints lock owner (\S+)\n$/;

/**
 * Creates and releases this engine's git lock files so that their owner is
 * never ambiguous, and tells a lock whose owner is gone (docs/locks.md).
 *
 * Where the fs has hard links, a lock is created by linking it to this
 * process's owner file `gitcheckpoints/owners/<id>`: creation is atomic and
 * exclusive like git's `O_EXCL`, and the lock itself names its owner (its
 * content, and its inode, are the owner file's). Without links (lightning-fs,
 * where no other git writes), a lock is an empty file created with `wx` and a
 * note `gitcheckpoints/locks/<lock>` names its owner; a failure writing the
 * note removes the lock again. A lock that names no owner is git's and is
 * never broken.
 */
export class LockJournal {
  private _owner: Promise<string> | null = null;
  private _links: boolean;
  private _unreleased = false;

  constructor(
    private readonly _fs: IFileSystem,
    private readonly _gitdir: string,
    private readonly _self: LockJournal.IOwner
  ) {
    this._links = typeof _fs.promises.link === 'function';
  }

  /** Creates `lockPath` as ours; fails with EEXIST when it exists. */
  async create(lockPath: string): Promise<void> {
    if (this._links) {
      const ownerFile = await this._ownerFile();
      // Held before it exists, so that no self-check running meanwhile takes it for stale.
      held.add(lockPath);
      try {
        await this._fs.promises.link!(ownerFile, lockPath);
        return;
      } catch (error: any) {
        held.delete(lockPath);
        if (error?.code === 'ENOENT' && !(await this._exists(ownerFile))) {
          this._owner = null; // Removed under us: made again on the retry.
        }
        if (!NO_LINKS.has(error?.code)) {
          throw error;
        }
        this._links = false;
      }
    }
    held.add(lockPath);
    try {
      await this._fs.promises.writeFile(lockPath, '', { flag: 'wx' });
    } catch (error) {
      held.delete(lockPath);
      throw error;
    }
    try {
      await writeAtomic(this._fs, this._note(lockPath), this._self.id);
    } catch (error) {
      // A lock without its note could never be released by anyone: undo it.
      await this.release(lockPath).catch(() => undefined);
      throw error;
    }
  }

  /** Removes our lock. Once this is called the lock is no longer held, even if the unlink failed. */
  async release(lockPath: string): Promise<void> {
    held.delete(lockPath);
    try {
      await this._fs.promises.unlink(lockPath);
    } catch (error: any) {
      if (error?.code !== 'ENOENT') {
        this._unreleased = true;
        throw error;
      }
    }
    await this._fs.promises.unlink(this._note(lockPath)).catch(() => undefined);
  }

  /**
   * Removes the lock if its owner is gone: a dead process, an earlier engine
   * with a reused pid, a zombie, or this process when it no longer holds it.
   * Returns whether the lock was stale; git's locks are never touched.
   */
  async breakIfStale(lockPath: string): Promise<boolean> {
    const owner = await this._ownerOf(lockPath);
    if (owner === null || !this._gone(owner, lockPath)) {
      return false;
    }
    // Moved aside first, so that a lock taken again meanwhile is not deleted by mistake.
    const aside = `${lockPath}.stale-${Math.random().toString(36).slice(2, 10)}`;
    try {
      await this._fs.promises.rename(lockPath, aside);
    } catch (error: any) {
      if (error?.code === 'ENOENT') {
        return true; // Someone else broke it first: try to take it again.
      }
      throw error; // E.g. a read-only disk: it cannot be broken now.
    }
    if (owner !== (await this._ownerOf(aside, lockPath))) {
      await this._fs.promises.link?.(aside, lockPath).catch(() => undefined);
    }
    await this._fs.promises.unlink(aside).catch(() => undefined);
    await this._fs.promises.unlink(this._note(lockPath)).catch(() => undefined);
    return true;
  }

  /** Whether a lock could not be removed since the last call (then `recover` it). */
  takeUnreleased(): boolean {
    const unreleased = this._unreleased;
    this._unreleased = false;
    return unreleased;
  }

  /** Breaks the stale locks of ours anywhere git keeps locks; returns their paths. */
  async recover(): Promise<string[]> {
    const candidates = [
      ...(await this._notedLocks()),
      ...(await this._lockFiles(this._gitdir, false)),
      ...(await this._lockFiles(join(this._gitdir, 'refs'), true))
    ];
    const removed: string[] = [];
    await this._forgetDeadOwners();
    for (const lockPath of new Set(candidates)) {
      if (await this.breakIfStale(lockPath).catch(() => false)) {
        removed.push(lockPath);
      } else if (!(await this._exists(lockPath))) {
        await this._fs.promises.unlink(this._note(lockPath)).catch(() => null);
      }
    }
    return removed;
  }

  /** Removes the owner files of processes gone that no lock links to any more. */
  private async _forgetDeadOwners(): Promise<void> {
    const dir = join(this._gitdir, 'gitcheckpoints/owners');
    for (const name of await this._fs.promises.readdir(dir).catch(() => [])) {
      const id = decodeURIComponent(name);
      if (id === this._self.id || this._self.isAlive(id)) {
        continue;
      }
      const stats = await this._fs.promises
        .lstat(join(dir, name))
        .catch(() => null);
      if (stats?.nlink === 1) {
        await this._fs.promises.unlink(join(dir, name)).catch(() => undefined);
      }
    }
  }

  private _gone(owner: string, lockPath: string): boolean {
    return owner === this._self.id
      ? !held.has(lockPath)
      : !this._self.isAlive(owner);
  }

  /** The owner a lock names (read at `path`, registered as `lockPath`), or null for git's. */
  private async _ownerOf(
    path: string,
    lockPath = path
  ): Promise<string | null> {
    let stats;
    try {
      stats = await this._fs.promises.lstat(path);
    } catch {
      return null;
    }
    if (stats.size === 0) {
      if (this._links) {
        return null; // Our linked locks are never empty: this one is git's.
      }
      const note = await this._fs.promises
        .readFile(this._note(lockPath), 'utf8')
        .catch(() => null);
      return note ? String(note).trim() : null;
    }
    if (stats.size > 512) {
      return null;
    }
    const text = String(
      await this._fs.promises.readFile(path, 'utf8').catch(() => '')
    );
    const owner = RECORD.exec(text)?.[1];
    if (!owner) {
      return null;
    }
    // Only a link to the owner's file is ours, never a copy of its words.
    const ownerStats = await this._fs.promises
      .lstat(this._ownerPath(owner))
      .catch(() => null);
    return ownerStats?.ino === stats.ino && ownerStats.dev === stats.dev
      ? owner
      : null;
  }

  private _ownerFile(): Promise<string> {
    this._owner ??= (async () => {
      const path = this._ownerPath(this._self.id);
      const record = `gitcheckpoints lock owner ${this._self.id}\n`;
      // Kept when it exists: our locks already made are links to this very inode.
      const existing = await this._fs.promises
        .readFile(path, 'utf8')
        .catch(() => null);
      if (existing !== record) {
        await writeAtomic(this._fs, path, record);
      }
      return path;
    })().catch(error => {
      this._owner = null;
      throw error;
    });
    return this._owner;
  }

  private _ownerPath(id: string): string {
    return join(
      this._gitdir,
      `gitcheckpoints/owners/${encodeURIComponent(id)}`
    );
  }

  private _note(lockPath: string): string {
    return join(
      this._gitdir,
      `gitcheckpoints/locks/${encodeURIComponent(lockPath)}`
    );
  }

  private async _notedLocks(): Promise<string[]> {
    const dir = join(this._gitdir, 'gitcheckpoints/locks');
    const names = await this._fs.promises.readdir(dir).catch(() => []);
    return names.map(name => decodeURIComponent(name));
  }

  private async _lockFiles(dir: string, deep: boolean): Promise<string[]> {
    const found: string[] = [];
    for (const name of await this._fs.promises.readdir(dir).catch(() => [])) {
      const path = join(dir, name);
      if (name.endsWith('.lock')) {
        found.push(path);
      } else if (deep) {
        found.push(...(await this._lockFiles(path, true)));
      }
    }
    return found;
  }

  private _exists(path: string): Promise<boolean> {
    return this._fs.promises.lstat(path).then(
      () => true,
      () => false
    );
  }
}

export namespace LockJournal {
  export interface IOwner {
    /**
     * This process, unambiguously: the server host uses `<pid>.<start time>.<boot id>`,
     * so a reused pid or a reboot is not mistaken for the same owner.
     */
    id: string;
    /** Whether the process an id names still runs (a zombie does not). */
    isAlive(id: string): boolean;
  }
}
