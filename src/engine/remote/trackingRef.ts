import { join } from '../paths';
import type { Repository } from '../repository';
import { RefLock, resolveRef } from '../storage/refs';

export const PUSH_MESSAGE = 'update by push';
export const FETCH_MESSAGE = 'update by fetch';

/**
 * The remote-tracking ref `refs/remotes/<remote>/<branch>`: what we last know
 * the remote's branch to hold. Written only here, under git's ref lock with a
 * reflog entry, as `git push` and `git fetch` do.
 */
export class TrackingRef {
  constructor(
    private readonly _repo: Repository,
    readonly remoteName: string
  ) {}

  ref(branch: string): string {
    return `refs/remotes/${this.remoteName}/${branch}`;
  }

  read(branch: string): Promise<string | null> {
    return resolveRef(this._repo.fs, this._repo.gitdir, this.ref(branch));
  }

  async write(branch: string, oid: string, message: string): Promise<void> {
    const repo = this._repo;
    const lock = await RefLock.acquire(
      repo.fs,
      repo.gitdir,
      this.ref(branch),
      repo.lockOptions
    );
    try {
      if (lock.old !== oid) {
        await lock.commit(oid, repo.signature(), message, false);
      }
    } finally {
      await lock.rollback();
    }
  }

  /** When a push last succeeded, from the reflog (so it survives a restart); null if never. */
  async lastPush(branch: string): Promise<Date | null> {
    const log: string = await this._repo.fs.promises
      .readFile(join(this._repo.gitdir, `logs/${this.ref(branch)}`), 'utf8')
      .catch(() => '');
    const lines = log
      .split('\n')
      .filter(line => line.endsWith(`\t${PUSH_MESSAGE}`));
    const match = /> (\d+) [+-]\d{4}\t/.exec(lines[lines.length - 1] ?? '');
    return match ? new Date(Number(match[1]) * 1000) : null;
  }
}
