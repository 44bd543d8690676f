import git from 'isomorphic-git';
import { HISTORY_LENGTH, MAX_HISTORY_LIMIT } from '../contract/defaults';
import type {
  IAuthor,
  ICheckpoint,
  ICheckpointPage,
  IDeletedFile,
  ICodec,
  ICommitEvent,
  ICreateOptions,
  IFileSystem,
  IRepositoryStatus
} from './api';
import type { ICommitResult } from './commits/commit';
import {
  amendHeadMessage,
  deletedFiles as findDeletedFiles
} from './commits/historyCommands';
import {
  commitFile,
  deletePath,
  headCommit,
  renamePath
} from './commits/fileCommands';
import {
  AlreadyExistsError,
  InvalidArgumentError,
  NotACheckpointError,
  NotFoundError
} from './errors';
import { HiddenCheckpoints } from './indexes/hiddenCheckpoints';
import type { IPackPolicy, IPackResult } from './packs/autoPacker';
import { HistoryIndex, type IHistoryItem } from './indexes/historyIndex';
import type { LockJournal } from './locking/lockJournal';
import { selfCheck } from './locking/selfCheck';
import { typedIOError } from './ioErrors';
import { OID_PATTERN } from './models/bytes';
import { summarizeChange } from './models/changeSummary';
import { subject } from './models/commit';
import { isoTime } from './models/time';
import { isTree } from './models/tree';
import { join, normalizePath } from './paths';
import { RemoteSync } from './remote/remoteSync';
import { Repository } from './repository';
import { hasLitter } from './storage/atomicWrite';
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
  /** A write failed since the last self-check that went through. */
  private _failed = false;
  private _size: { at: number; bytes: Promise<number> } | null = null;

  private constructor(
    readonly repository: Repository,
    private readonly _onRepair: (repaired: string[]) => void = () => undefined
  ) {
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
      owner: options.owner ?? LOCAL_OWNER,
      now: options.now ?? (() => new Date()),
      pause: options.pause ?? (async () => undefined),
      pack: options.pack
    });
    const engine = new CheckpointEngine(repository, options.onRepair);
    await engine._selfCheck();
    return engine;
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
    const message = options.message?.trim() || automaticMessage(file);
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
  listCheckpoints(
    path: string,
    limit = HISTORY_LENGTH
  ): Promise<ICheckpoint[]> {
    return this._typed(this._listCheckpoints(path, limit));
  }

  readCheckpoint(path: string, id: string): Promise<Uint8Array> {
    return this._typed(this._readCheckpoint(path, id));
  }

  private async _listCheckpoints(
    path: string,
    limit: number
  ): Promise<ICheckpoint[]> {
    const file = normalizePath(path);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new InvalidArgumentError(
        `limit must be an integer between 1 and ${MAX_HISTORY_LIMIT}`,
        { limit }
      );
    }
    const picked: IHistoryItem[] = [];
    for (const item of await this._history(file)) {
      if (await this._listed(file, item)) {
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

  private async _readCheckpoint(path: string, id: string): Promise<Uint8Array> {
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
        const before = `Before restoring ${id.slice(0, 7)}`;
        this._announce(await commitFile(this.repository, file, before));
      }
      const message = `Restore ${file} to ${id.slice(0, 7)}`;
      const result = await commitFile(this.repository, file, message, content);
      return this._resultOrNewest(result, file);
    });
  }

  /**
   * One page of the file's checkpoints, newest first: `limit` of them after
   * `cursor` (the cursor of the page before; none for the first page).
   */
  async checkpointPage(
    path: string,
    options: { limit?: number; cursor?: string | null } = {}
  ): Promise<ICheckpointPage> {
    const file = normalizePath(path);
    const limit = options.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InvalidArgumentError(`limit must be a positive integer`, {
        limit
      });
    }
    const history = await this._history(file);
    let start = 0;
    if (options.cursor) {
      start = history.findIndex(item => item.commit === options.cursor) + 1;
      if (start === 0) {
        throw new InvalidArgumentError(
          `'${options.cursor}' is not a cursor of '${file}'`,
          { cursor: options.cursor }
        );
      }
    }
    const picked: IHistoryItem[] = [];
    let more = false;
    for (const item of history.slice(start)) {
      if (await this._listed(file, item)) {
        if (picked.length === limit) {
          more = true;
          break;
        }
        picked.push(item);
      }
    }
    return {
      checkpoints: await Promise.all(
        picked.map(i => this._checkpoint(i.commit))
      ),
      cursor: more ? picked[picked.length - 1].commit : null
    };
  }

  /** The files deleted under `dir` ('' for all), newest deletion first. */
  async deletedFiles(dir: string): Promise<IDeletedFile[]> {
    const folder = dir.replace(/^\/+|\/+$/g, '') ? normalizePath(dir) : '';
    const head = await headCommit(this.repository);
    if (!head) {
      return [];
    }
    const lists = await (await this._index()).all(head);
    const found = await findDeletedFiles(this.repository, head, lists, folder);
    return Promise.all(
      found.map(async item => ({
        path: item.path,
        deleted_at: (await this._checkpoint(item.deletedIn)).last_modified,
        deleted_in: item.deletedIn,
        last: await this._checkpoint(item.last.commit)
      }))
    );
  }

  /**
   * Writes a deleted file's version `id` back and commits it at its old path,
   * so its history continues (`git log --follow` lists one history).
   */
  async recoverFile(path: string, id: string): Promise<ICheckpoint> {
    const file = await this._path(path);
    const content = await this.readCheckpoint(file, id);
    return this.exclusive(async () => {
      if (await this.repository.worktree.exists(file)) {
        throw new AlreadyExistsError(file);
      }
      const message = `Recover ${file} from ${id.slice(0, 7)}`;
      const result = await commitFile(this.repository, file, message, content);
      return this._resultOrNewest(result, file);
    });
  }

  /**
   * Gives a checkpoint a new message. Only the branch's last commit can be
   * renamed (NotAmendable otherwise); the host refuses pushed ones first.
   */
  async renameCheckpoint(
    path: string,
    id: string,
    message: string
  ): Promise<ICheckpoint> {
    const file = normalizePath(path);
    const text = typeof message === 'string' ? message.trim() : '';
    if (!text) {
      throw new InvalidArgumentError('The message is empty', {
        field: 'message'
      });
    }
    await this._item(file, id);
    return this.exclusive(async () => {
      const result = await amendHeadMessage(this.repository, id, text);
      await (await this._index()).replaceTip(id, result.commit);
      return (await this._result(result))!;
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

  /** Keeps the checked-out branch pushed to a remote, in the background (see RemoteSync). */
  remoteSync(settings: RemoteSync.ISettings): RemoteSync {
    return new RemoteSync({
      ...settings,
      engine: this,
      repository: this.repository
    });
  }

  /**
   * Runs `task` in the engine's write queue, after every write queued before
   * it. A failure comes out as a typed error, after the self-check has
   * cleaned up what the failed write left.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.repository.queue.run(async () => {
      try {
        await this._checkIfFailed();
        const result = await task();
        if (this.repository.journal.takeUnreleased()) {
          await this._selfCheck(); // A lock we failed to remove: it is stale now.
        }
        return result;
      } catch (error) {
        this._failed = true;
        await this.repository.objects.discardFailed();
        await this._selfCheck().catch(() => undefined);
        throw await typedIOError(error, this.fs, this.dir);
      }
    });
  }

  /** A read's failure as a typed error (a file gone, a disk error). */
  private async _typed<T>(reading: Promise<T>): Promise<T> {
    try {
      return await reading;
    } catch (error) {
      this._failed = true;
      throw await typedIOError(error, this.fs, this.dir);
    }
  }

  /** Checked again after a failure: the fault may have stopped the first check too. */
  private async _checkIfFailed(): Promise<void> {
    if (this._failed || hasLitter()) {
      await this._selfCheck();
      this._failed = false;
    }
  }

  private async _selfCheck(): Promise<void> {
    const repaired = await selfCheck(this.repository);
    if (repaired.length) {
      this._onRepair(repaired);
    }
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
    await this._typed(this._checkIfFailed());
    await this.repository.objects.compact();
    await this._typed(
      Promise.all([...this._indexes.values()].map(index => index.flush()))
    );
    await this.repository.objects.close();
  }

  private async _path(path: string): Promise<string> {
    const file = normalizePath(path);
    await this.repository.worktree.assertNoSymlinks(file);
    return file;
  }

  /** The history of `path` on the checked-out branch (or detached commit). */
  private async _history(path: string): Promise<readonly IHistoryItem[]> {
    const index = await this._index();
    return index.history(await headCommit(this.repository), path);
  }

  /** The history index of the checked-out branch (or detached commit). */
  private async _index(): Promise<HistoryIndex> {
    const head = await readHead(this.fs, this.gitdir);
    const key = 'branch' in head ? head.branch : 'HEAD';
    let index = this._indexes.get(key);
    if (!index) {
      index = new HistoryIndex(this.repository, key);
      this._indexes.set(key, index);
    }
    return index;
  }

  /** Whether an item is listed: not hidden, and a version of the file (not its deletion). */
  private async _listed(file: string, item: IHistoryItem): Promise<boolean> {
    if (await this._hidden.isHidden(file, item.commit)) {
      return false;
    }
    const tree = (await this.repository.objects.readCommit(item.commit)).tree;
    const entry = await entryAt(this.repository.objects, tree, item.path);
    return !!entry && !isTree(entry);
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
      last_modified: isoTime(commit.committer.timestamp * 1000),
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
    /** Told what the self-check repaired (stale locks, temporary files), for the log. */
    onRepair?: (repaired: string[]) => void;
    /**
     * Test only: awaited at named steps of a write (`commit:read`,
     * `commit:locked`, `commit:objects`, `commit:ref`), so a test can hold
     * the engine there to drive a race or a kill. No-op by default.
     */
    pause?: (point: string) => Promise<void>;
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

/**
 * Without a host's owner (the browser: one page owns its database): every
 * other owner is an earlier page or process that is gone. Engines of this
 * process share the id, and the locks it holds are never taken for stale.
 */
const LOCAL_OWNER: LockJournal.IOwner = {
  id: `local-${Math.random().toString(36).slice(2, 10)}`,
  isAlive: () => false
};

/** `Checkpoint <file>`, with what changed since the committed version when that is cheap to say. */
function automaticMessage(file: string) {
  return (previous: Uint8Array | null, content: Uint8Array) => {
    const summary = summarizeChange(file, previous, content);
    return summary ? `Checkpoint ${file}: ${summary}` : `Checkpoint ${file}`;
  };
}
