import git from 'isomorphic-git';
import type {
  IAuthor,
  ICheckpoint,
  ICodec,
  ICommitEvent,
  ICreateOptions,
  IFileSystem,
  IRepositoryStatus
} from './api';
import type { ICommitResult } from './commands/commit';
import {
  commitFile,
  deletePath,
  headCommit,
  renamePath
} from './commands/fileCommands';
import {
  InvalidArgumentError,
  NotACheckpointError,
  NotFoundError
} from './errors';
import { HiddenCheckpoints } from './managers/hiddenCheckpoints';
import type { IPackPolicy, IPackResult } from './managers/autoPacker';
import { HistoryIndex, type IHistoryItem } from './managers/historyIndex';
import type { LockJournal } from './managers/lockJournal';
import { OID_PATTERN } from './models/bytes';
import { subject } from './models/commit';
import { isTree } from './models/tree';
import { join, normalizePath } from './paths';
import { Repository } from './repository';
import { diskUsage } from './storage/looseObjects';
import { exists } from './storage/objects';
import { assertSupported } from './storage/repoState';
import { readHead } from './storage/refs';
import { entryAt } from './storage/treeEdit';

/** How long a counted repository size is shown before it is counted again. */
const SIZE_TTL_MS = 5000;

/**
 * Git checkpoints of the files in one working tree.
 *
 * Validates arguments, serialises every write, and hands the work to the
 * commands. All I/O goes through the fs and codec it is given.
 */
export class CheckpointEngine {
  private readonly _indexes = new Map<string, HistoryIndex>();
  private readonly _hidden: HiddenCheckpoints;
  private readonly _listeners = new Set<(event: ICommitEvent) => void>();
  private _size: { at: number; bytes: Promise<number> } | null = null;

  private constructor(readonly repository: Repository) {
    this._hidden = new HiddenCheckpoints(
      repository.fs,
      join(repository.gitdir, 'gitcheckpoints/hidden.json')
    );
  }

  /**
   * Opens the repository in `dir`, creating it (on branch `branch`) when there
   * is none. Locks left by a killed engine are removed; git's are not.
   */
  static async open(
    options: CheckpointEngine.IOptions
  ): Promise<CheckpointEngine> {
    const { fs, dir } = options;
    if (!(await exists(fs, join(dir, '.git')))) {
      await createRepository(fs, dir, options.branch);
    }
    await assertSupported(fs, dir);
    const repository = new Repository({
      fs,
      dir,
      codec: options.codec,
      author: options.author,
      lockTimeoutMs: options.lockTimeoutMs ?? 2000,
      maxFileSize: options.maxFileSize ?? Infinity,
      owner: options.owner ?? { pid: 0, isAlive: () => false },
      now: options.now ?? (() => new Date()),
      pack: options.pack
    });
    await repository.journal.recover();
    return new CheckpointEngine(repository);
  }

  get dir(): string {
    return this.repository.dir;
  }

  get gitdir(): string {
    return this.repository.gitdir;
  }

  get fs(): IFileSystem {
    return this.repository.fs;
  }

  /** isomorphic-git's cache for this repository, for reuse by the remote sync. */
  get cache(): object {
    return this.repository.objects.cache;
  }

  async createCheckpoint(
    path: string,
    options: ICreateOptions = {}
  ): Promise<ICheckpoint> {
    const file = await this._path(path);
    const message = options.message?.trim() || `Checkpoint ${file}`;
    return this.exclusive(async () => {
      const result = await commitFile(
        this.repository,
        file,
        message,
        options.content
      );
      return this._resultOrNewest(result, file);
    });
  }

  /** The file's last `limit` checkpoints, oldest first (Jupyter's order). */
  async listCheckpoints(path: string, limit = 10): Promise<ICheckpoint[]> {
    const file = normalizePath(path);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InvalidArgumentError(`limit must be a positive integer`, {
        limit
      });
    }
    const picked: IHistoryItem[] = [];
    for (const item of await this._history(file)) {
      if (!(await this._hidden.isHidden(file, item.commit))) {
        picked.push(item);
        if (picked.length === limit) {
          break;
        }
      }
    }
    const checkpoints = await Promise.all(
      picked.map(i => this._checkpoint(i.commit))
    );
    return checkpoints.reverse();
  }

  async readCheckpoint(path: string, id: string): Promise<Uint8Array> {
    const file = normalizePath(path);
    const item = await this._item(file, id);
    const tree = (await this.repository.objects.readCommit(item.commit)).tree;
    const entry = await entryAt(this.repository.objects, tree, item.path);
    if (!entry || isTree(entry)) {
      throw new NotFoundError(`'${file}' in checkpoint ${id.slice(0, 7)}`, {
        path: file,
        id
      });
    }
    return (await this.repository.objects.read(entry.oid)).content;
  }

  /**
   * Writes that version back and commits it, after checkpointing the version
   * it replaces, so a restore can itself be undone.
   */
  async restoreCheckpoint(path: string, id: string): Promise<ICheckpoint> {
    const file = await this._path(path);
    const content = await this.readCheckpoint(file, id);
    return this.exclusive(async () => {
      if (await this.repository.worktree.stat(file)) {
        this._announce(
          await commitFile(this.repository, file, `Checkpoint ${file}`)
        );
      }
      const message = `Restore ${file} to ${id.slice(0, 7)}`;
      const result = await commitFile(this.repository, file, message, content);
      return this._resultOrNewest(result, file);
    });
  }

  /** Stops listing a checkpoint; its commit stays in history. */
  async hideCheckpoint(path: string, id: string): Promise<void> {
    const file = normalizePath(path);
    await this._item(file, id);
    await this.exclusive(() => this._hidden.hide(file, id));
  }

  async renameFile(
    oldPath: string,
    newPath: string
  ): Promise<ICheckpoint | null> {
    const from = await this._path(oldPath);
    const to = await this._path(newPath);
    if (from === to) {
      throw new InvalidArgumentError('The new path is the old path', {
        path: from
      });
    }
    return this.exclusive(async () =>
      this._result(await renamePath(this.repository, from, to))
    );
  }

  async deleteFile(path: string): Promise<ICheckpoint | null> {
    const file = await this._path(path);
    return this.exclusive(async () =>
      this._result(await deletePath(this.repository, file))
    );
  }

  async status(): Promise<IRepositoryStatus> {
    const head = await readHead(this.fs, this.gitdir);
    const commit = await headCommit(this.repository);
    return {
      dir: this.dir,
      branch: 'branch' in head ? head.branch : 'HEAD',
      head: commit,
      last_checkpoint: commit
        ? (await this._checkpoint(commit)).last_modified
        : null
    };
  }

  /** Calls `listener` after each commit the engine makes; returns the unsubscribe. */
  onCommit(listener: (event: ICommitEvent) => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  /** Runs `task` in the engine's write queue, after every write queued before it. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.repository.queue.run(task);
  }

  /** Bytes the repository (`.git`) takes on disk, counted at most every few seconds. */
  async sizeOnDisk(): Promise<number> {
    const now = Date.now();
    if (!this._size || now - this._size.at > SIZE_TTL_MS) {
      this._size = {
        at: now,
        bytes: diskUsage(this.fs, this.gitdir).catch(() => 0)
      };
    }
    return this._size.bytes;
  }

  /** Packs the repository's objects now (see `AutoPacker`); null when there was nothing to pack. */
  pack(): Promise<IPackResult | null> {
    return this.repository.packer.run(true);
  }

  async dispose(): Promise<void> {
    this._listeners.clear();
    await this.repository.packer.dispose();
    await this.repository.queue.idle();
    await this.repository.objects.compact();
    await Promise.all([...this._indexes.values()].map(index => index.flush()));
    await this.repository.objects.close();
  }

  private async _path(path: string): Promise<string> {
    const file = normalizePath(path);
    await this.repository.worktree.assertNoSymlinks(file);
    return file;
  }

  /** The history of `path` on the checked-out branch (or detached commit). */
  private async _history(path: string): Promise<readonly IHistoryItem[]> {
    const head = await readHead(this.fs, this.gitdir);
    const key = 'branch' in head ? head.branch : 'HEAD';
    let index = this._indexes.get(key);
    if (!index) {
      index = new HistoryIndex(this.repository, key);
      this._indexes.set(key, index);
    }
    return index.history(await headCommit(this.repository), path);
  }

  /** The listed version of `path` at commit `id`, or a typed error. */
  private async _item(path: string, id: string): Promise<IHistoryItem> {
    if (typeof id !== 'string' || !OID_PATTERN.test(id)) {
      throw new InvalidArgumentError(`'${id}' is not a commit id`, { id });
    }
    const item = (await this._history(path)).find(i => i.commit === id);
    if (!item || (await this._hidden.isHidden(path, id))) {
      throw new NotACheckpointError(path, id);
    }
    return item;
  }

  private async _checkpoint(oid: string): Promise<ICheckpoint> {
    const commit = await this.repository.objects.readCommit(oid);
    return {
      id: oid,
      last_modified: isoTime(commit.committer.timestamp),
      message: subject(commit.message),
      author: { name: commit.author.name, email: commit.author.email }
    };
  }

  private _announce(result: ICommitResult | null): void {
    if (result) {
      this.repository.packer.schedule();
      for (const listener of this._listeners) {
        listener({ branch: result.branch, commit: result.commit });
      }
    }
  }

  private async _result(
    result: ICommitResult | null
  ): Promise<ICheckpoint | null> {
    this._announce(result);
    return result ? this._checkpoint(result.commit) : null;
  }

  /** The new commit, or for unchanged content the file's newest checkpoint. */
  private async _resultOrNewest(
    result: ICommitResult | null,
    file: string
  ): Promise<ICheckpoint> {
    if (result) {
      return (await this._result(result))!;
    }
    const [newest] = await this.listCheckpoints(file, 1);
    return newest;
  }
}

export namespace CheckpointEngine {
  export interface IOptions {
    fs: IFileSystem;
    /** The working tree; the repository is `<dir>/.git`. */
    dir: string;
    codec: ICodec;
    /** Commit author and committer. */
    author: IAuthor;
    /** The branch of a repository created here (see `branchName`). */
    branch: string;
    /** How long to wait for a lock git holds before failing (ms, default 2000). */
    lockTimeoutMs?: number;
    /** Files over this many bytes are refused (default: no limit). */
    maxFileSize?: number;
    /** This process, to tell its stale locks from live ones (default: no other process). */
    owner?: LockJournal.IOwner;
    /** The clock (tests). */
    now?: () => Date;
    /** Background packing policy, or false for none (default: `DEFAULT_PACK_POLICY`). */
    pack?: Partial<IPackPolicy> | false;
  }
}

/**
 * A new repository for checkpoints only: nothing is added, no `.gitignore` is
 * written, and `git status` in a home directory does not list every
 * untracked file.
 */
async function createRepository(fs: IFileSystem, dir: string, branch: string) {
  await git.init({ fs, dir, defaultBranch: branch });
  await git.setConfig({
    fs,
    dir,
    path: 'status.showUntrackedFiles',
    value: 'no'
  });
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
