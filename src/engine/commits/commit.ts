import { RepositoryBusyError } from '../errors';
import { Lockfile } from '../locking/lockfile';
import { type ISignature, serializeCommit, subject } from '../models/commit';
import {
  emptyIndex,
  type IGitIndex,
  parseIndex,
  serializeIndex
} from '../models/gitIndex';
import { isWithin, join } from '../paths';
import type { Repository } from '../repository';
import { checkedOutBranch } from '../storage/repoState';
import { RefLock } from '../storage/refs';
import { editTree, type ITreeChange } from '../storage/treeEdit';

/** The state a commit is planned against, read while the locks are held. */
export interface ICommitBase {
  branch: string;
  /** The branch's commit, null when unborn. */
  head: string | null;
  /** That commit's tree. */
  tree: string | null;
  index: IGitIndex;
}

/** What a command wants committed; null from `plan` means nothing to do. */
export interface ICommitPlan {
  message: string;
  changes: ITreeChange[];
  /** The new commit's parents when not just the head (a merge). */
  parents?: string[];
  /** Edits the index in place so that `git status` agrees with the commit. */
  updateIndex(index: IGitIndex): void;
}

export interface ICommitResult {
  branch: string;
  commit: string;
  parent: string | null;
}

/**
 * Commits a set of path changes on the checked-out branch, as git would:
 * `index.lock` and the branch's lock are taken first (waiting a bounded time
 * for git), the objects are written, the ref moves with its reflog entries,
 * then the new index replaces the old. Any failure before the ref moves
 * leaves the repository as it was (at most unreachable objects remain).
 *
 * The commit's tree is HEAD's tree with only these paths changed, like
 * `git commit --only`: whatever else the user staged stays staged.
 */
export async function commitChanges(
  repo: Repository,
  plan: (base: ICommitBase) => Promise<ICommitPlan | null>
): Promise<ICommitResult | null> {
  const branch = await checkedOutBranch(repo.fs, repo.gitdir);
  return withBranchLocks(repo, branch, async tx => {
    const tree = tx.head ? (await repo.objects.readCommit(tx.head)).tree : null;
    const planned = await plan({
      branch,
      head: tx.head,
      tree,
      index: tx.index
    });
    if (!planned) {
      return null;
    }
    assertMerged(tx.index, planned.changes);
    const newTree = await editTree(repo.objects, tree, planned.changes);
    if (newTree === tree && !planned.parents) {
      return null;
    }
    const who = repo.signature();
    const commit = await repo.objects.write(
      'commit',
      serializeCommit({
        tree: newTree,
        parents: planned.parents ?? (tx.head ? [tx.head] : []),
        author: who,
        committer: who,
        message: planned.message
      })
    );
    planned.updateIndex(tx.index);
    const kind = tx.head ? 'commit' : 'commit (initial)';
    await tx.moveBranch(commit, who, `${kind}: ${subject(planned.message)}`);
    return { branch, commit, parent: tx.head };
  });
}

/** The branch and index while both are locked; see `withBranchLocks`. */
export interface IBranchTransaction {
  /** The branch's commit when the lock was taken; it cannot move until the end. */
  head: string | null;
  /** The index as read under its lock; edit it before `moveBranch`. */
  index: IGitIndex;
  /**
   * Once every object written so far is on disk, moves the branch to `commit`
   * with its reflog entries, then writes `index` in place of the old one.
   */
  moveBranch(
    commit: string,
    who: ISignature,
    reflogMessage: string
  ): Promise<void>;
}

/**
 * Runs `work` holding `index.lock` and the branch's lock (waiting a bounded
 * time for git's), as git does for a commit, and releases both at the end.
 * Whatever fails before `moveBranch` leaves the repository as it was.
 */
export async function withBranchLocks<T>(
  repo: Repository,
  branch: string,
  work: (tx: IBranchTransaction) => Promise<T>
): Promise<T> {
  const indexLock = await Lockfile.acquire(
    repo.fs,
    join(repo.gitdir, 'index'),
    repo.lockOptions
  );
  let refLock: RefLock | null = null;
  try {
    refLock = await RefLock.acquire(
      repo.fs,
      repo.gitdir,
      `refs/heads/${branch}`,
      repo.lockOptions
    );
    const lock = refLock;
    const index = await readIndex(repo);
    await repo.options.pause('commit:locked');
    return await work({
      head: lock.old,
      index,
      async moveBranch(commit, who, reflogMessage) {
        await repo.objects.flush();
        await repo.options.pause('commit:objects');
        await lock.commit(commit, who, reflogMessage, true);
        await repo.options.pause('commit:ref');
        await indexLock.write(
          await serializeIndex(index, repo.options.codec.sha1)
        );
        await indexLock.commit();
      }
    });
  } finally {
    await refLock?.rollback();
    await indexLock.rollback();
  }
}

/** The index file, or an empty one when there is none yet. */
export async function readIndex(repo: Repository): Promise<IGitIndex> {
  let buffer: Uint8Array;
  try {
    buffer = await repo.fs.promises.readFile(join(repo.gitdir, 'index'));
  } catch (error: any) {
    // Only a missing index is an empty one: an I/O error must not drop its entries.
    if (error?.code !== 'ENOENT') {
      throw error;
    }
    return emptyIndex();
  }
  return parseIndex(buffer);
}

// Conflict stages on a path mean git is resolving it: not ours to overwrite.
function assertMerged(index: IGitIndex, changes: ITreeChange[]) {
  for (const entry of index.entries) {
    if (entry.stage !== 0 && changes.some(c => isWithin(entry.path, c.path))) {
      throw new RepositoryBusyError(`unmerged path '${entry.path}'`);
    }
  }
}
