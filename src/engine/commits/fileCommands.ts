import type { IStats } from '../api';
import {
  AlreadyExistsError,
  FileTooLargeError,
  NotFoundError
} from '../errors';
import {
  makeEntry,
  removeEntries,
  setEntry,
  unchangedSince
} from '../models/gitIndex';
import { isTree } from '../models/tree';
import type { Repository } from '../repository';
import { readHead, resolveRef } from '../storage/refs';
import { entryAt, listFiles } from '../storage/treeEdit';
import { sameStats } from '../storage/worktree';
import { commitChanges, type ICommitResult } from './commit';

/**
 * The commands that change files: each is one commit. They run inside the
 * engine's write queue; paths are already validated.
 */

/** A commit message, or how to write one from the committed version and the new bytes. */
export type MessageSource =
  string | ((previous: Uint8Array | null, content: Uint8Array) => string);

/**
 * Commits one file: `content` is written to the working tree first; without
 * it the working-tree file is committed as it is. Null when unchanged.
 */
export async function commitFile(
  repo: Repository,
  path: string,
  message: MessageSource,
  content?: Uint8Array
): Promise<ICommitResult | null> {
  const limit = repo.options.maxFileSize;
  if (content) {
    assertSize(path, content.length, limit);
    await repo.worktree.write(path, content);
  }
  const before = await repo.worktree.stat(path);
  if (!before) {
    throw new NotFoundError(`File '${path}'`, { path });
  }
  assertSize(path, before.size, limit);
  await repo.options.pause('commit:read');
  const bytes = content ?? (await repo.worktree.read(path));
  // A file changed while it was read must not get stat data that calls it clean.
  const after = content ? before : await repo.worktree.stat(path);
  const stable = sameStats(before, after) ? after : null;
  const blob = await repo.objects.write('blob', bytes);
  return commitChanges(repo, async base => {
    const current = await entryAt(repo.objects, base.tree, path);
    if (current && !isTree(current) && current.oid === blob) {
      return null;
    }
    const mode =
      current && !isTree(current)
        ? current.mode
        : before.mode & 0o111
          ? '100755'
          : '100644';
    const previous =
      typeof message === 'string' || !current || isTree(current)
        ? null
        : (await repo.objects.read(current.oid)).content;
    return {
      message: typeof message === 'string' ? message : message(previous, bytes),
      changes: [{ path, entry: { mode, oid: blob } }],
      updateIndex: index =>
        setEntry(index, makeEntry(path, blob, parseInt(mode, 8), stable))
    };
  });
}

/**
 * Moves a file or directory in one commit. The working tree is moved unless
 * the host already did (Jupyter renames on disk before telling checkpoints).
 * Null when the source was never checkpointed.
 */
export async function renamePath(
  repo: Repository,
  from: string,
  to: string
): Promise<ICommitResult | null> {
  const head = await headTree(repo);
  if (await entryAt(repo.objects, head, to)) {
    throw new AlreadyExistsError(to);
  }
  if (await repo.worktree.exists(from)) {
    if (await repo.worktree.exists(to)) {
      throw new AlreadyExistsError(to);
    }
    await repo.worktree.move(from, to);
  }
  return commitChanges(repo, async base => {
    const entry = await entryAt(repo.objects, base.tree, from);
    if (!entry) {
      return null;
    }
    const moved = new Map<string, IStats | null>();
    for (const [path] of await listFiles(repo.objects, entry, to)) {
      moved.set(path, await repo.worktree.stat(path));
    }
    return {
      message: `Rename ${from} to ${to}`,
      changes: [
        { path: from, entry: null },
        { path: to, entry: { mode: entry.mode, oid: entry.oid } }
      ],
      updateIndex: index => {
        for (const old of removeEntries(index, from)) {
          const path = to + old.path.slice(from.length);
          const stats = moved.get(path) ?? null;
          const keep = stats && unchangedSince(old, stats) ? stats : null;
          setEntry(index, makeEntry(path, old.oid, old.mode, keep));
        }
      }
    };
  });
}

/**
 * Deletes a file or directory in one commit, then removes the files it
 * tracked from the working tree (untracked files stay). Null when it was
 * never checkpointed.
 */
export async function deletePath(
  repo: Repository,
  path: string
): Promise<ICommitResult | null> {
  let removed: string[] = [];
  const result = await commitChanges(repo, async base => {
    const entry = await entryAt(repo.objects, base.tree, path);
    if (!entry) {
      return null;
    }
    removed = (await listFiles(repo.objects, entry, path)).map(([p]) => p);
    return {
      message: `Delete ${path}`,
      changes: [{ path, entry: null }],
      updateIndex: index => void removeEntries(index, path)
    };
  });
  for (const file of removed) {
    await repo.worktree.remove(file);
  }
  return result;
}

/** The tree of the checked-out commit, null when unborn or empty. */
export async function headTree(repo: Repository): Promise<string | null> {
  const commit = await headCommit(repo);
  return commit ? (await repo.objects.readCommit(commit)).tree : null;
}

/** The checked-out commit (of the branch, or detached), null when unborn. */
export async function headCommit(repo: Repository): Promise<string | null> {
  const head = await readHead(repo.fs, repo.gitdir);
  if ('detached' in head) {
    return head.detached;
  }
  return resolveRef(repo.fs, repo.gitdir, `refs/heads/${head.branch}`);
}

function assertSize(path: string, size: number, limit: number) {
  if (size > limit) {
    throw new FileTooLargeError(path, size, limit);
  }
}
