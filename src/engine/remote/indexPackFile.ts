import git from 'isomorphic-git';
import type { ICodec, IFileSystem } from '../api';
import { dirname } from '../paths';
import { objectsOnlyFs } from './objectsOnlyFs';

/**
 * Writes the `.idx` v2 of a `.pack` already on disk beside it (under a
 * temporary name, then renamed). Stands in for the storage layer's
 * `storage/packIndexer.ts` of the same signature until that lands; `codec`
 * is unused here.
 */
export async function indexPackFile(
  fs: IFileSystem,
  _codec: ICodec,
  packPath: string
): Promise<{ idxPath: string; objectCount: number }> {
  const dir = dirname(packPath);
  const name = packPath.slice(dir.length + 1);
  const gitdir = dirname(dirname(dir));
  const { oids } = await git.indexPack({
    fs: objectsOnlyFs(fs, gitdir),
    dir,
    gitdir,
    filepath: name
  });
  return {
    idxPath: packPath.replace(/\.pack$/, '.idx'),
    objectCount: oids.length
  };
}
