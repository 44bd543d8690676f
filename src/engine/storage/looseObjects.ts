import type { IFileSystem } from '../api';
import { join } from '../paths';

export interface ILooseObject {
  oid: string;
  path: string;
  size: number;
}

/** Every loose object under `.git/objects`, with its file's size. */
export async function listLooseObjects(
  fs: IFileSystem,
  gitdir: string
): Promise<ILooseObject[]> {
  const objects = join(gitdir, 'objects');
  const found: ILooseObject[] = [];
  const dirs = await fs.promises.readdir(objects).catch(() => [] as string[]);
  for (const dir of dirs.filter(name => /^[0-9a-f]{2}$/.test(name))) {
    const names = await fs.promises
      .readdir(join(objects, dir))
      .catch(() => [] as string[]);
    for (const name of names.filter(n => /^[0-9a-f]{38}$/.test(n))) {
      const path = join(objects, `${dir}/${name}`);
      const stats = await fs.promises.stat(path).catch(() => null);
      if (stats) {
        found.push({ oid: dir + name, path, size: stats.size });
      }
    }
  }
  return found;
}

/** The total size of the files under `path`, as `du` counts bytes. */
export async function diskUsage(
  fs: IFileSystem,
  path: string
): Promise<number> {
  const stats = await fs.promises.lstat(path).catch(() => null);
  if (!stats) {
    return 0;
  }
  if (!stats.isDirectory()) {
    return stats.size;
  }
  let total = 0;
  for (const name of await fs.promises.readdir(path).catch(() => [])) {
    total += await diskUsage(fs, join(path, name));
  }
  return total;
}
