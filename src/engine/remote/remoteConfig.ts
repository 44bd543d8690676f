import { Lockfile } from '../locking/lockfile';
import { join } from '../paths';
import type { Repository } from '../repository';

/**
 * Records the remote in `.git/config` as `[remote "<name>"]`, URL only (never a
 * credential), fetching just our branch, so the user's own git can use it
 * (`git fetch checkpoints`, `git log checkpoints/<branch>`). isomorphic-git's
 * fetch needs the refspec too. `url` null removes the section.
 *
 * The rest of the file is kept byte for byte; the write follows git's lock
 * protocol (`config.lock`).
 */
export async function writeRemoteConfig(
  repo: Repository,
  name: string,
  url: string | null,
  branch: string
): Promise<void> {
  const path = join(repo.gitdir, 'config');
  const read = (): Promise<string> =>
    repo.fs.promises.readFile(path, 'utf8').catch(() => '');
  // Called before every push: take git's lock only when there is something to change.
  if (withRemote(await read(), name, url, branch) === null) {
    return;
  }
  const lock = await Lockfile.acquire(repo.fs, path, repo.lockOptions);
  try {
    const after = withRemote(await read(), name, url, branch);
    if (after !== null) {
      await lock.write(after);
      await lock.commit();
    }
  } finally {
    await lock.rollback();
  }
}

/** The config text with the remote's section replaced (or removed); null if that changes nothing. */
function withRemote(
  before: string,
  name: string,
  url: string | null,
  branch: string
): string | null {
  const kept = withoutSection(before, name);
  const section = url
    ? `[remote "${name}"]\n\turl = ${url}\n\tfetch = +refs/heads/${branch}:refs/remotes/${name}/${branch}\n`
    : '';
  const after = kept + (kept && !kept.endsWith('\n') ? '\n' : '') + section;
  return after === before ? null : after;
}

/** The file without the `[remote "<name>"]` section (header to the next header). */
function withoutSection(text: string, name: string): string {
  const header = new RegExp(
    `^\\s*\\[\\s*remote\\s+"${escape(name)}"\\s*\\]`,
    'i'
  );
  const kept: string[] = [];
  let inside = false;
  for (const line of text.split(/(?<=\n)/)) {
    if (/^\s*\[/.test(line)) {
      inside = header.test(line);
    }
    if (!inside) {
      kept.push(line);
    }
  }
  return kept.join('');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
