import type { IFileSystem } from '../api';
import { formatSignature, type ISignature } from '../models/commit';
import { OID_PATTERN, ZERO_OID } from '../models/bytes';
import { Lockfile } from '../locking/lockfile';
import type { LockJournal } from '../locking/lockJournal';
import { dirname, join } from '../paths';
import { inDirectory, writeAtomic } from './atomicWrite';

/** What HEAD points at: a branch (possibly unborn) or a detached commit. */
export type Head = { branch: string } | { detached: string };

export async function readHead(fs: IFileSystem, gitdir: string): Promise<Head> {
  const text = (
    await fs.promises.readFile(join(gitdir, 'HEAD'), 'utf8')
  ).trim();
  if (text.startsWith('ref: refs/heads/')) {
    return { branch: text.slice('ref: refs/heads/'.length) };
  }
  return { detached: text };
}

/** A ref's commit from its loose file or `packed-refs`; null when it does not exist. */
export async function resolveRef(
  fs: IFileSystem,
  gitdir: string,
  ref: string
): Promise<string | null> {
  try {
    const value = (
      await fs.promises.readFile(join(gitdir, ref), 'utf8')
    ).trim();
    if (OID_PATTERN.test(value)) {
      return value;
    }
  } catch (error) {
    // Not loose: look in packed-refs. Any other failure must not pass for "no such ref".
    rethrowUnlessMissing(error);
  }
  let packed: string;
  try {
    packed = await fs.promises.readFile(join(gitdir, 'packed-refs'), 'utf8');
  } catch (error) {
    rethrowUnlessMissing(error);
    return null;
  }
  for (const line of packed.split('\n')) {
    if (line.endsWith(` ${ref}`) && OID_PATTERN.test(line.slice(0, 40))) {
      return line.slice(0, 40);
    }
  }
  return null;
}

function rethrowUnlessMissing(error: any): void {
  if (!['ENOENT', 'ENOTDIR', 'EISDIR'].includes(error?.code)) {
    throw error;
  }
}

/** Holds a ref's lock: the ref cannot move under us until `commit` or `rollback`. */
export class RefLock {
  private constructor(
    private readonly _fs: IFileSystem,
    private readonly _gitdir: string,
    readonly ref: string,
    /** The ref's value when the lock was taken. */
    readonly old: string | null,
    private readonly _lock: Lockfile
  ) {}

  static async acquire(
    fs: IFileSystem,
    gitdir: string,
    ref: string,
    options: { timeoutMs: number; journal: LockJournal | null }
  ): Promise<RefLock> {
    const lock = await Lockfile.acquire(fs, join(gitdir, ref), options);
    try {
      const old = await resolveRef(fs, gitdir, ref);
      return new RefLock(fs, gitdir, ref, old, lock);
    } catch (error) {
      await lock.rollback();
      throw error;
    }
  }

  /**
   * Moves the ref and appends its reflog entry (and HEAD's, when HEAD points at
   * it), as git does: the reflog is written while the lock is held.
   */
  async commit(
    oid: string,
    who: ISignature,
    message: string,
    headIsRef: boolean
  ): Promise<void> {
    await this._lock.write(`${oid}\n`);
    const line = `${this.old ?? ZERO_OID} ${oid} ${formatSignature(who)}\t${message.replace(/\n/g, ' ')}\n`;
    await appendLog(this._fs, join(this._gitdir, `logs/${this.ref}`), line);
    if (headIsRef) {
      await appendLog(this._fs, join(this._gitdir, 'logs/HEAD'), line);
    }
    await this._lock.commit();
  }

  rollback(): Promise<void> {
    return this._lock.rollback();
  }
}

async function appendLog(fs: IFileSystem, path: string, line: string) {
  const promises = fs.promises as IFileSystem['promises'] & {
    appendFile?(path: string, data: string): Promise<void>;
  };
  const append = promises.appendFile;
  if (append) {
    // Retried when git (pack-refs, gc) removed the directory meanwhile.
    await inDirectory(fs, dirname(path), () =>
      append.call(promises, path, line)
    );
    return;
  }
  // lightning-fs has no append; only this engine writes there, under the ref lock.
  const before = await fs.promises.readFile(path, 'utf8').catch(() => '');
  await writeAtomic(fs, path, before + line);
}
