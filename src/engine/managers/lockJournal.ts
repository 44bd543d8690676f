import type { IFileSystem } from '../api';
import { join } from '../paths';

/**
 * Remembers which git lock files this engine holds, so that a new engine can
 * remove the ones left behind when the previous process was killed mid-write.
 *
 * A lock file alone cannot say whose it is (git writes the new content into
 * it), so each lock gets a small note `gitcheckpoints/locks/<name>` holding the
 * owner's pid. Locks whose note names a live process, and locks without a note
 * (git's own), are never touched.
 */
export class LockJournal {
  constructor(
    private readonly _fs: IFileSystem,
    private readonly _gitdir: string,
    private readonly _owner: LockJournal.IOwner
  ) {}

  private get _dir(): string {
    return join(this._gitdir, 'gitcheckpoints/locks');
  }

  private _note(lockPath: string): string {
    return join(this._dir, encodeURIComponent(lockPath));
  }

  async record(lockPath: string): Promise<void> {
    await this._fs.promises.mkdir(this._dir, { recursive: true });
    await this._fs.promises.writeFile(
      this._note(lockPath),
      String(this._owner.pid)
    );
  }

  async forget(lockPath: string): Promise<void> {
    await this._fs.promises.unlink(this._note(lockPath)).catch(() => undefined);
  }

  /** Removes the locks whose owner is gone; returns their paths. */
  async recover(): Promise<string[]> {
    let names: string[];
    try {
      names = await this._fs.promises.readdir(this._dir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const note = join(this._dir, name);
      const pid = Number(
        await this._fs.promises.readFile(note, 'utf8').catch(() => NaN)
      );
      if (Number.isFinite(pid) && this._owner.isAlive(pid)) {
        continue;
      }
      const lockPath = decodeURIComponent(name);
      await this._fs.promises.unlink(lockPath).catch(() => undefined);
      await this._fs.promises.unlink(note).catch(() => undefined);
      removed.push(lockPath);
    }
    return removed;
  }
}

export namespace LockJournal {
  export interface IOwner {
    /** This process. */
    pid: number;
    /** Whether a process is still running (Node: `process.kill(pid, 0)`). */
    isAlive(pid: number): boolean;
  }
}
