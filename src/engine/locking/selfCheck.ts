import { parseIndex } from '../models/gitIndex';
import { join } from '../paths';
import type { Repository } from '../repository';
import {
  isInFlight,
  isOurTemp,
  removeTemp,
  takeLitter
} from '../storage/atomicWrite';

/**
 * What the engine checks of itself when it starts and after a write failed:
 * its own stale locks (never git's), its leftover temporary files (never
 * git's `tmp_obj_*` in flight) and whether the index still parses. It repairs
 * what it left and returns a line for each repair, for the log.
 */
export async function selfCheck(repo: Repository): Promise<string[]> {
  const repaired: string[] = [];
  for (const lock of await repo.journal.recover()) {
    repaired.push(`removed the stale lock ${lock}`);
  }
  const temps = [...takeLitter(), ...(await ourTemps(repo))];
  for (const temp of new Set(temps)) {
    if (!isInFlight(temp) && (await removeTemp(repo.fs, temp))) {
      repaired.push(`removed the temporary file ${temp}`);
    }
  }
  const index = await repo.fs.promises
    .readFile(join(repo.gitdir, 'index'))
    .catch(() => null);
  if (index) {
    try {
      parseIndex(index);
    } catch (error) {
      // Ours is written whole or not at all: this one is not ours to rewrite.
      repaired.push(`the index does not parse (left as it is): ${error}`);
    }
  }
  return repaired;
}

/** Our temporary files where the engine writes inside `.git`. */
async function ourTemps(repo: Repository): Promise<string[]> {
  const gitdir = repo.gitdir;
  const found: string[] = [];
  const scan = async (dir: string, deep: boolean) => {
    for (const name of await repo.fs.promises.readdir(dir).catch(() => [])) {
      const path = join(dir, name);
      if (isOurTemp(name)) {
        found.push(path);
      } else if (deep) {
        await scan(path, true);
      }
    }
  };
  await scan(gitdir, false);
  await scan(join(gitdir, 'refs'), true);
  await scan(join(gitdir, 'gitcheckpoints'), true);
  await scan(join(gitdir, 'objects/pack'), false);
  for (const fanout of await repo.fs.promises
    .readdir(join(gitdir, 'objects'))
    .catch(() => [])) {
    if (/^[0-9a-f]{2}$/.test(fanout)) {
      await scan(join(gitdir, `objects/${fanout}`), false);
    }
  }
  return found;
}
