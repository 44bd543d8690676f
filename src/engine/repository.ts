import type { IAuthor, ICodec, IFileSystem } from './api';
import {
  AutoPacker,
  DEFAULT_PACK_POLICY,
  type IPackPolicy
} from './packs/autoPacker';
import { LockJournal } from './locking/lockJournal';
import { WriteQueue } from './locking/writeQueue';
import type { ISignature } from './models/commit';
import { join } from './paths';
import { ObjectStore } from './storage/objects';
import { WorkingTree } from './storage/worktree';

/**
 * Everything a command needs about one repository, built once per engine.
 */
export class Repository {
  readonly gitdir: string;
  readonly objects: ObjectStore;
  readonly worktree: WorkingTree;
  readonly journal: LockJournal;
  readonly queue = new WriteQueue();
  readonly packer: AutoPacker;

  constructor(readonly options: Repository.IOptions) {
    this.gitdir = join(options.dir, '.git');
    this.objects = new ObjectStore(options.fs, this.gitdir, options.codec);
    this.worktree = new WorkingTree(options.fs, options.dir);
    this.journal = new LockJournal(options.fs, this.gitdir, options.owner);
    this.packer = new AutoPacker(
      this,
      { ...DEFAULT_PACK_POLICY, ...(options.pack || {}) },
      options.pack !== false
    );
  }

  get codec(): ICodec {
    return this.options.codec;
  }

  get fs(): IFileSystem {
    return this.options.fs;
  }

  get dir(): string {
    return this.options.dir;
  }

  get lockOptions() {
    return { timeoutMs: this.options.lockTimeoutMs, journal: this.journal };
  }

  /** Who commits now, in the local time zone of the host (never a fixed one). */
  signature(): ISignature {
    const now = this.options.now();
    return {
      ...this.options.author,
      timestamp: Math.floor(now.getTime() / 1000),
      timezoneOffset: -now.getTimezoneOffset()
    };
  }
}

export namespace Repository {
  export interface IOptions {
    fs: IFileSystem;
    dir: string;
    codec: ICodec;
    author: IAuthor;
    lockTimeoutMs: number;
    /** Files over this many bytes are refused. */
    maxFileSize: number;
    owner: LockJournal.IOwner;
    now: () => Date;
    /** Test-only pause points (see `CheckpointEngine.IOptions.pause`). */
    pause: (point: string) => Promise<void>;
    /** Background packing: its policy, or false for none (`AutoPacker`). */
    pack?: Partial<IPackPolicy> | false;
  }
}
