import { commitChanges, withBranchLocks } from '../commits/commit';
import { RemoteError } from '../errors';
import { isWithin } from '../paths';
import type { Repository } from '../repository';
import { checkedOutBranch } from '../storage/repoState';
import { resolveRef } from '../storage/refs';
import { diffTrees, type IFileChange } from '../storage/treeDiff';
import { entryAt, type ITreeChange } from '../storage/treeEdit';
import { isAncestor, mergeBase } from './ancestry';
import { applyToWorkingTree } from './worktreeSync';

/** What integrating the remote's commit into the local branch did. */
export type IntegrateResult =
  | { kind: 'up-to-date' }
  | { kind: 'fast-forward'; commit: string }
  | { kind: 'merged'; commit: string }
  | { kind: 'conflict'; paths: string[] };

/**
 * Brings `remote` (a commit another server pushed to our branch, already
 * fetched) into the checked-out `branch`, never dropping a commit on either
 * side:
 *
 * - remote already contained locally: nothing to do;
 * - local behind (or unborn): fast-forward;
 * - diverged, different files changed: a merge commit (file-level three-way
 *   against the merge base);
 * - diverged, the same file changed differently: a conflict, nothing changes.
 *
 * Working files are updated only where they still hold the local version
 * (see `applyToWorkingTree`). Run inside the engine's write queue.
 */
export async function integrate(
  repo: Repository,
  branch: string,
  remote: string,
  remoteName: string
): Promise<IntegrateResult> {
  if ((await checkedOutBranch(repo.fs, repo.gitdir)) !== branch) {
    throw new RemoteError('error', `'${branch}' is no longer checked out`);
  }
  const local = await resolveRef(repo.fs, repo.gitdir, `refs/heads/${branch}`);
  if (
    local === remote ||
    (local && (await isAncestor(repo.objects, remote, local)))
  ) {
    return { kind: 'up-to-date' };
  }
  if (!local || (await isAncestor(repo.objects, local, remote))) {
    const message = `merge ${remoteName}/${branch}: Fast-forward`;
    await fastForward(repo, branch, local, remote, message);
    return { kind: 'fast-forward', commit: remote };
  }
  return merge(repo, branch, local, remote, `${remoteName}/${branch}`);
}

/** Moves the branch from `local` to its descendant `remote`, with the files that changed. */
async function fastForward(
  repo: Repository,
  branch: string,
  local: string | null,
  remote: string,
  message: string
): Promise<void> {
  await withBranchLocks(repo, branch, async tx => {
    if (tx.head !== local) {
      throw new RemoteError(
        'error',
        `'${branch}' moved while the remote was integrated`
      );
    }
    const from = local ? (await repo.objects.readCommit(local)).tree : null;
    const to = (await repo.objects.readCommit(remote)).tree;
    const edits = await applyToWorkingTree(
      repo,
      await diffTrees(repo.objects, from, to),
      to,
      tx.index
    );
    edits(tx.index);
    await tx.moveBranch(remote, repo.signature(), message);
  });
}

async function merge(
  repo: Repository,
  branch: string,
  local: string,
  remote: string,
  remoteLabel: string
): Promise<IntegrateResult> {
  // isomorphic-git's findMergeBase walks all of history; this stops at the fork.
  const base = await mergeBase(repo.objects, local, remote);
  const treeOf = async (oid: string | null) =>
    oid ? (await repo.objects.readCommit(oid)).tree : null;
  const baseTree = await treeOf(base);
  const remoteTree = (await treeOf(remote))!;
  const { apply, conflicts } = threeWay(
    await diffTrees(repo.objects, baseTree, await treeOf(local)),
    await diffTrees(repo.objects, baseTree, remoteTree)
  );
  if (conflicts.length > 0) {
    return { kind: 'conflict', paths: conflicts };
  }
  const changes: ITreeChange[] = [];
  for (const change of apply) {
    const entry = change.after
      ? await entryAt(repo.objects, remoteTree, change.path)
      : null;
    changes.push({
      path: change.path,
      entry: entry && { mode: entry.mode, oid: entry.oid }
    });
  }
  const result = await commitChanges(repo, async current => {
    if (current.branch !== branch || current.head !== local) {
      throw new RemoteError(
        'error',
        `'${branch}' moved while the remote was integrated`
      );
    }
    const edits = await applyToWorkingTree(
      repo,
      apply,
      remoteTree,
      current.index
    );
    return {
      message: `Merge remote-tracking branch '${remoteLabel}'`,
      changes,
      parents: [local, remote],
      updateIndex: edits
    };
  });
  return { kind: 'merged', commit: result!.commit };
}

/**
 * File-level three-way merge of two sides' changes against their base: the
 * remote's changes to apply locally, or the paths both sides changed
 * differently. A file on one side where the other has a directory is a
 * conflict too, so no side's file is ever dropped.
 */
export function threeWay(
  ours: IFileChange[],
  theirs: IFileChange[]
): { apply: IFileChange[]; conflicts: string[] } {
  const oursByPath = new Map(ours.map(change => [change.path, change]));
  const apply: IFileChange[] = [];
  const conflicts: string[] = [];
  for (const change of theirs) {
    const mine = oursByPath.get(change.path);
    if (mine) {
      if (mine.after !== change.after) {
        conflicts.push(change.path);
      }
      continue;
    }
    const nested = ours.some(
      o => isWithin(o.path, change.path) || isWithin(change.path, o.path)
    );
    if (nested) {
      conflicts.push(change.path);
    } else {
      apply.push(change);
    }
  }
  return { apply, conflicts: conflicts.sort() };
}
