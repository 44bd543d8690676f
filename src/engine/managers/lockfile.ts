import type { IFileSystem } from '../api';
import { LockedError } from '../errors';
import type { LockJournal } from './lockJournal';
import { dirname } from '../paths';

/**
 * git's lock protocol for one file: create `<file>.lock` exclusively, write
 * the new content into it, then rename it over the file (commit) or delete it
 * (rollback). A lock held by someone else is waited for, up to `timeoutMs`.
 */
export class Lockfile {
  private _done = false;

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
    for (;;) {
      try {
        await fs.promises.writeFile(lock.path, '', { flag: 'wx' });
        break;
      } catch (error: any) {
        if (error?.code === 'ENOENT') {
          await fs.promises.mkdir(dirname(target), { recursive: true });
          continue;
        }
        if (error?.code !== 'EEXIST') {
          throw error;
        }
        const waited = Date.now() - started;
        if (waited >= options.timeoutMs) {
          throw new LockedError(lock.path, waited);
        }
        await sleep(Math.min(delay, options.timeoutMs - waited));
        delay = Math.min(delay * 2, 100);
      }
    }
    await lock._journal?.record(lock.path);
    return lock;
  }

  async write(data: Uint8Array | string): Promise<void> {
    await this._fs.promises.writeFile(this.path, data);
  }

  /** Renames the lock over its file: the new content takes effect at once. */
  async commit(): Promise<void> {
    await this._fs.promises.rename(this.path, this.target);
    await this._finish();
  }

  /** Deletes the lock, leaving the file as it was. Safe to call after commit. */
  async rollback(): Promise<void> {
    if (this._done) {
      return;
    }
    await this._fs.promises.unlink(this.path).catch(() => undefined);
    await this._finish();
  }

  private async _finish(): Promise<void> {
    this._done = true;
    await this._journal?.forget(this.path);
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
