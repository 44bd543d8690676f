import { RepositoryBusyError } from '../errors';
import { Lockfile } from '../managers/lockfile';
import { serializeCommit, subject } from '../models/commit';
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
    const head = refLock.old;
    const tree = head ? (await repo.objects.readCommit(head)).tree : null;
    const index = await readIndex(repo);
    const planned = await plan({ branch, head, tree, index });
    if (!planned) {
      return null;
    }
    assertMerged(index, planned.changes);
    const newTree = await editTree(repo.objects, tree, planned.changes);
    if (newTree === tree && !planned.parents) {
      return null;
    }
    const who = repo.signature();
    const commit = await repo.objects.write(
      'commit',
      serializeCommit({
        tree: newTree,
        parents: planned.parents ?? (head ? [head] : []),
        author: who,
        committer: who,
        message: planned.message
      })
    );
    // Every object must be on disk before the branch points at it.
    await repo.objects.flush();
    const kind = head ? 'commit' : 'commit (initial)';
    await refLock.commit(commit, who, `${kind}: ${subject(planned.message)}`, true);
    planned.updateIndex(index);
    await indexLock.write(await serializeIndex(index, repo.options.codec.sha1));
    await indexLock.commit();
    return { branch, commit, parent: head };
  } finally {
    await refLock?.rollback();
    await indexLock.rollback();
  }
}

async function readIndex(repo: Repository): Promise<IGitIndex> {
  let buffer: Uint8Array;
  try {
    buffer = await repo.fs.promises.readFile(join(repo.gitdir, 'index'));
  } catch {
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
