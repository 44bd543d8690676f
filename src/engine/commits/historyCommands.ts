import { NotAmendableError } from '../errors';
import type { IHistoryItem } from '../indexes/historyIndex';
import { serializeCommit, subject } from '../models/commit';
import { isTree } from '../models/tree';
import { isWithin } from '../paths';
import type { Repository } from '../repository';
import { checkedOutBranch } from '../storage/repoState';
import { diffTrees } from '../storage/treeDiff';
import { entryAt } from '../storage/treeEdit';
import { type ICommitResult, withBranchLocks } from './commit';

/**
 * What the history views ask beyond listing: files deleted under a folder,
 * and a new message for the branch's last commit. They run inside the
 * engine's queue; paths are already validated.
 */

/** A file the branch deleted: where its last version is. */
export interface IDeletedItem {
  path: string;
  /** The commit that deleted it. */
  deletedIn: string;
  /** Its last version before that. */
  last: IHistoryItem;
}

/**
 * The files under `dir` ('' for all) that are not at `head` and whose last
 * change was a deletion (not a rename away: a blob deleted here and added
 * elsewhere in one commit). Newest deletion first.
 */
export async function deletedFiles(
  repo: Repository,
  head: string,
  lists: ReadonlyMap<string, readonly IHistoryItem[]>,
  dir: string
): Promise<IDeletedItem[]> {
  const tree = (await repo.objects.readCommit(head)).tree;
  const found: Array<IDeletedItem & { time: number }> = [];
  for (const [path, items] of lists) {
    const [gone, last] = items;
    if (!last || (dir && !isWithin(path, dir))) {
      continue;
    }
    if (await entryAt(repo.objects, tree, path)) {
      continue;
    }
    const commit = await repo.objects.readCommit(gone.commit);
    if (await renamedAway(repo, commit.parents[0], commit.tree, path)) {
      continue;
    }
    found.push({
      path,
      deletedIn: gone.commit,
      last,
      time: commit.committer.timestamp
    });
  }
  found.sort((a, b) => b.time - a.time || a.path.localeCompare(b.path));
  return found.map(({ path, deletedIn, last }) => ({ path, deletedIn, last }));
}

async function renamedAway(
  repo: Repository,
  parent: string | undefined,
  tree: string,
  path: string
): Promise<boolean> {
  if (!parent) {
    return false;
  }
  const parentTree = (await repo.objects.readCommit(parent)).tree;
  const before = await entryAt(repo.objects, parentTree, path);
  if (!before || isTree(before)) {
    return false;
  }
  const changes = await diffTrees(repo.objects, parentTree, tree);
  return changes.some(c => c.before === null && c.after === before.oid);
}

/**
 * Gives the branch's last commit a new message (`git commit --amend` with the
 * same tree), under git's locks, with reflog entries. Only that commit: an
 * older one would mean rewriting its descendants.
 */
export async function amendHeadMessage(
  repo: Repository,
  id: string,
  message: string
): Promise<ICommitResult> {
  const branch = await checkedOutBranch(repo.fs, repo.gitdir);
  return withBranchLocks(repo, branch, async tx => {
    if (tx.head !== id) {
      throw new NotAmendableError(id, 'not-head');
    }
    const old = await repo.objects.readCommit(id);
    const who = repo.signature();
    const commit = await repo.objects.write(
      'commit',
      serializeCommit({ ...old, committer: who, message })
    );
    await tx.moveBranch(commit, who, `commit (amend): ${subject(message)}`);
    return { branch, commit, parent: old.parents[0] ?? null };
  });
}
