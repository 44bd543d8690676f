import type { IFileSystem } from '../api';
import { RepositoryBusyError, UnsupportedRepositoryError } from '../errors';
import { join } from '../paths';
import { exists } from './objects';
import { readHead } from './refs';

/**
 * Refuses repositories isomorphic-git would damage or misread: a linked
 * worktree or submodule (`.git` is a file), SHA-256 objects. Index version 4,
 * split and sparse indexes are refused when the index is read.
 */
export async function assertSupported(
  fs: IFileSystem,
  dir: string
): Promise<void> {
  const dotgit = join(dir, '.git');
  const stats = await fs.promises.lstat(dotgit);
  if (!stats.isDirectory()) {
    throw new UnsupportedRepositoryError(
      '.git is not a directory (linked worktree or submodule)'
    );
  }
  const config = await fs.promises
    .readFile(join(dotgit, 'config'), 'utf8')
    .catch(() => '');
  if (/^\s*objectformat\s*=\s*sha256\s*$/im.test(config)) {
    throw new UnsupportedRepositoryError('SHA-256 object format');
  }
}

const IN_PROGRESS: Array<[string, string]> = [
  ['MERGE_HEAD', 'merge in progress'],
  ['rebase-merge', 'rebase in progress'],
  ['rebase-apply', 'rebase or am in progress'],
  ['CHERRY_PICK_HEAD', 'cherry-pick in progress'],
  ['REVERT_HEAD', 'revert in progress'],
  ['BISECT_LOG', 'bisect in progress']
];

/** The checked-out branch, or a typed error when git is in the middle of something. */
export async function checkedOutBranch(
  fs: IFileSystem,
  gitdir: string
): Promise<string> {
  for (const [file, reason] of IN_PROGRESS) {
    if (await exists(fs, join(gitdir, file))) {
      throw new RepositoryBusyError(reason);
    }
  }
  const head = await readHead(fs, gitdir);
  if ('detached' in head) {
    throw new RepositoryBusyError('detached HEAD');
  }
  return head.branch;
}
