import type { IFileSystem } from '../api';
import { join } from '../paths';

/**
 * The fs handed to isomorphic-git's `fetch` and `push`: they may add objects,
 * and nothing else.
 *
 * isomorphic-git writes the remote-tracking ref (and `shallow`) without a lock
 * or reflog; those writes are dropped here and redone by the caller through the
 * engine's locked ref update. Pack files are written under a temporary name and
 * renamed into place, so a git process never reads half a pack or index.
 */
export function objectsOnlyFs(fs: IFileSystem, gitdir: string): IFileSystem {
  const objects = join(gitdir, 'objects') + '/';
  const inObjects = (path: string) => path.startsWith(objects);
  const p = fs.promises;
  return {
    promises: {
      readFile: (path, options) => p.readFile(path, options),
      stat: path => p.stat(path),
      lstat: path => p.lstat(path),
      readdir: path => p.readdir(path),
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
        const temp = `${path.slice(0, path.lastIndexOf('/'))}/tmp_${Math.random().toString(36).slice(2)}`;
        await p.writeFile(temp, data, options);
        await p.rename(temp, path);
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
