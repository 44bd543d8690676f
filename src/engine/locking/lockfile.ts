import type { IFileSystem } from '../api';
import { LockedError } from '../errors';
import { writeAtomic } from '../storage/atomicWrite';
import type { LockJournal } from './lockJournal';
import { dirname } from '../paths';

/**
 * git's lock protocol for one file: `<file>.lock` is created exclusively;
 * while it exists nobody else changes the file. The new content is written
 * through a temporary file renamed over the file (commit), then the lock is
 * removed; rollback only removes the lock. A lock held by someone else is
 * waited for, up to `timeoutMs`; one whose owner is gone is broken at once
 * (see `LockJournal` and docs/locks.md).
 */
export class Lockfile {
  private _done = false;
  private _data: Uint8Array | string = '';

  private constructor(
    private readonly _fs: IFileSystem,
    readonly target: string,
    private readonly _journal: LockJournal | null
  ) {}

  get path(): string {
    return `${this.target}.lock`;
  }

  static async acquire(
    fs: IFileSystem,
    target: string,
    options: Lockfile.IOptions
  ): Promise<Lockfile> {
    const lock = new Lockfile(fs, target, options.journal ?? null);
    const started = Date.now();
    let delay = 5;
    let missing = 0;
    let breaks = 0;
    for (;;) {
      try {
        await lock._create();
        return lock;
      } catch (error: any) {
        if (error?.code === 'ENOENT' && missing++ < 5) {
          // No directory yet, or git removed an empty one under us: as git, retry.
          await fs.promises.mkdir(dirname(target), { recursive: true });
          continue;
        }
        if (error?.code !== 'EEXIST') {
          throw error;
        }
        if (breaks++ < 5 && (await lock._journal?.breakIfStale(lock.path))) {
          continue;
        }
        const waited = Date.now() - started;
        if (waited >= options.timeoutMs) {
          throw new LockedError(lock.path, waited, await lock._since());
        }
        await sleep(Math.min(delay, options.timeoutMs - waited));
        delay = Math.min(delay * 2, 100);
      }
    }
  }

  /** Sets the content `commit` writes. */
  async write(data: Uint8Array | string): Promise<void> {
    this._data = data;
  }

  /** Replaces the file with the content written, then releases the lock. */
  async commit(): Promise<void> {
    await writeAtomic(this._fs, this.target, this._data);
    this._done = true;
    // The new content is in place: a lock we fail to remove now is stale, and
    // the next attempt breaks it (it is ours and no longer held).
    await this._release().catch(() => undefined);
  }

  /** Removes the lock, leaving the file as it was. Safe to call after commit. */
  async rollback(): Promise<void> {
    if (this._done) {
      return;
    }
    this._done = true;
    await this._release().catch(() => undefined);
  }

  private _create(): Promise<void> {
    return this._journal
      ? this._journal.create(this.path)
      : this._fs.promises.writeFile(this.path, '', { flag: 'wx' });
  }

  private async _release(): Promise<void> {
    await (this._journal
      ? this._journal.release(this.path)
      : this._fs.promises.unlink(this.path));
  }

  /** When the lock in the way was taken (ISO 8601), if it can be told. */
  private async _since(): Promise<string | undefined> {
    const stats = await this._fs.promises.lstat(this.path).catch(() => null);
    return stats ? new Date(stats.mtimeMs).toISOString() : undefined;
  }
}

export namespace Lockfile {
  export interface IOptions {
    timeoutMs: number;
    journal?: LockJournal | null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
