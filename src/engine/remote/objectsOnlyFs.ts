import type { IFileSystem } from '../api';
import { utf8 } from '../models/bytes';
import { join } from '../paths';
import { writeAtomic } from '../storage/atomicWrite';

/** What one transfer may be told beyond the files on disk. */
export interface ITransferView {
  /**
   * Commits to present as shallow (history cut below them) for a push: the
   * commits the remote already has just below the ones we send.
   */
  boundary: string[];
}

/**
 * The fs handed to isomorphic-git's `fetch` and `push`: they may add objects,
 * and nothing else.
 *
 * - isomorphic-git writes the remote-tracking ref (and `shallow`) without a
 *   lock or reflog; those writes are dropped here and redone by the caller
 *   through the engine's locked ref update.
 * - Pack files are written under a temporary name and renamed into place, so a
 *   git process never reads half a pack or index.
 * - isomorphic-git's push walks the whole history for its merge base, and after
 *   a merge packs the whole history again. `view.boundary` is read as extra
 *   `shallow` entries, so its walks stop where the remote's history starts.
 * - isomorphic-git lists `objects/pack` for every object it reads; the list is
 *   kept until a pack is written.
 */
export function objectsOnlyFs(
  fs: IFileSystem,
  gitdir: string,
  view: ITransferView = { boundary: [] }
): IFileSystem {
  const objects = join(gitdir, 'objects') + '/';
  const packDir = join(gitdir, 'objects/pack');
  const shallow = join(gitdir, 'shallow');
  const inObjects = (path: string) => path.startsWith(objects);
  const p = fs.promises;
  let packs: Promise<string[]> | null = null;
  return {
    promises: {
      async readFile(path, options) {
        if (path !== shallow || view.boundary.length === 0) {
          return p.readFile(path, options);
        }
        const own: string = await p.readFile(path, 'utf8').catch(() => '');
        const text = own + view.boundary.map(oid => `${oid}\n`).join('');
        const encoding =
          typeof options === 'string' ? options : options?.encoding;
        return encoding ? text : utf8(text);
      },
      stat: path => p.stat(path),
      lstat: path => p.lstat(path),
      readdir(path) {
        if (path !== packDir) {
          return p.readdir(path);
        }
        packs ??= p.readdir(path).catch(error => {
          packs = null;
          throw error;
        });
        return packs;
      },
      readlink: path => p.readlink!(path),
      mkdir: (path, options) =>
        inObjects(path + '/') ? p.mkdir(path, options) : Promise.resolve(),
      async writeFile(path, data, options) {
        if (!inObjects(path)) {
          return;
        }
        if (!/\/pack\/pack-[0-9a-f]+\.(pack|idx)$/.test(path)) {
          return p.writeFile(path, data, options);
        }
        await writeAtomic(fs, path, data, { prefix: 'tmp_' });
        packs = null;
      },
      unlink: path => (inObjects(path) ? p.unlink(path) : Promise.resolve()),
      rmdir: path => (inObjects(path) ? p.rmdir(path) : Promise.resolve()),
      rename: (from, to) =>
        inObjects(from) && inObjects(to)
          ? p.rename(from, to)
          : Promise.resolve(),
      symlink: () => Promise.resolve()
    }
  };
}
