import type { IStats } from '../api';
import {
  type IGitIndex,
  makeEntry,
  removeEntries,
  setEntry
} from '../models/gitIndex';
import { isTree } from '../models/tree';
import { normalizePath } from '../paths';
import type { Repository } from '../repository';
import type { IFileChange } from '../storage/treeDiff';
import { entryAt } from '../storage/treeEdit';
import { sameStats } from '../storage/worktree';

/** Edits to make to the index once the branch has moved. */
export type IndexEdits = (index: IGitIndex) => void;

/**
 * Brings files another server changed into the working tree, never over the
 * user's work: a file is written (or removed) only where it still holds the
 * version it had before (`change.before`; absent for a new file). Otherwise it
 * is left as it is and only the index learns the new version, so `git status`
 * shows the user's file as modified against the new commit.
 *
 * `tree` is the tree the branch moves to (for file modes). Returns the index
 * edits, to apply while the index lock is held and after the branch moved.
 */
export async function applyToWorkingTree(
  repo: Repository,
  changes: IFileChange[],
  tree: string,
  index: IGitIndex
): Promise<IndexEdits> {
  const edits: IndexEdits[] = [];
  for (const change of changes) {
    const edit = await applyOne(repo, change, tree, index);
    if (edit) {
      edits.push(edit);
    }
  }
  return target => edits.forEach(edit => edit(target));
}

async function applyOne(
  repo: Repository,
  change: IFileChange,
  tree: string,
  index: IGitIndex
): Promise<IndexEdits | null> {
  const { path, before, after } = change;
  if (!(await isSafe(repo, path))) {
    return null;
  }
  const entry = after ? await entryAt(repo.objects, tree, path) : null;
  const mode = entry && !isTree(entry) ? parseInt(entry.mode, 8) : 0o100644;
  const regular = mode === 0o100644 || mode === 0o100755;
  const staged = index.entries.find(e => e.path === path && e.stage === 0);
  const indexUnchanged = (staged?.oid ?? null) === before;

  const seen = await repo.worktree.stat(path);
  if (regular && (await holds(repo, path, seen, before))) {
    if (after) {
      const content = (await repo.objects.read(after)).content;
      // Between our check and this write the user may have saved: look again.
      if (!sameStats(seen, await repo.worktree.stat(path))) {
        return indexUnchanged ? indexTo(path, after, mode, null) : null;
      }
      const stats = await repo.worktree.write(
        path,
        content,
        mode === 0o100755 ? 0o755 : 0o644
      );
      return indexTo(path, after, mode, stats);
    }
    if (sameStats(seen, await repo.worktree.stat(path))) {
      await repo.worktree.remove(path);
    }
    return index => void removeEntries(index, path);
  }
  // The user's file differs (or is not a regular file): it stays, the index follows the commit.
  return indexUnchanged ? indexTo(path, after, mode, null) : null;
}

function indexTo(
  path: string,
  oid: string | null,
  mode: number,
  stats: IStats | null
): IndexEdits {
  return index => {
    if (oid) {
      setEntry(index, makeEntry(path, oid, mode, stats));
    } else {
      removeEntries(index, path);
    }
  };
}

/** Whether the working file is exactly `blob` (null: there is nothing at that path). */
async function holds(
  repo: Repository,
  path: string,
  seen: IStats | null,
  blob: string | null
): Promise<boolean> {
  if (blob === null) {
    return !(await repo.worktree.exists(path));
  }
  if (!seen) {
    return false;
  }
  return (
    (await repo.objects.hash('blob', await repo.worktree.read(path))) === blob
  );
}

/** A path from another server's tree is written only if it is one the engine would accept itself. */
async function isSafe(repo: Repository, path: string): Promise<boolean> {
  try {
    if (normalizePath(path) !== path) {
      return false;
    }
    await repo.worktree.assertNoSymlinks(path);
    return true;
  } catch {
    return false;
  }
}
