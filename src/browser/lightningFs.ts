import type LightningFS from '@isomorphic-git/lightning-fs';
import type { IFileSystem } from '../engine/api';

/**
 * lightning-fs as the engine's fs: adds what the engine relies on and
 * lightning-fs lacks, exclusive create (`flag: 'wx'`) and `mkdir -p`.
 * One page owns the database, and the engine serialises its writes, so
 * checking then writing is enough for exclusivity here.
 */
export function lightningFs(fs: LightningFS): IFileSystem {
  const p = fs.promises;
  const exists = (path: string) =>
    p.lstat(path).then(
      () => true,
      () => false
    );
  const mkdirp = async (path: string): Promise<void> => {
    if (path === '' || path === '/' || (await exists(path))) {
      return;
    }
    await mkdirp(path.slice(0, path.lastIndexOf('/')));
    await p.mkdir(path).catch((error: any) => {
      if (error?.code !== 'EEXIST') {
        throw error;
      }
    });
  };
  return {
    promises: {
      readFile: (path, options) => p.readFile(path, options),
      async writeFile(path, data, options) {
        if (options?.flag === 'wx' && (await exists(path))) {
          throw Object.assign(new Error(`EEXIST: ${path}`), { code: 'EEXIST' });
        }
        await p.writeFile(path, data, options);
      },
      unlink: path => p.unlink(path),
      readdir: path => p.readdir(path),
      async mkdir(path, options) {
        if (options?.recursive) {
          await mkdirp(path);
        } else {
          await p.mkdir(path);
        }
      },
      rmdir: path => p.rmdir(path),
      rename: (from, to) => p.rename(from, to),
      stat: path => p.stat(path) as any,
      lstat: path => p.lstat(path) as any,
      readlink: path => p.readlink(path),
      symlink: (target, path) => p.symlink(target, path)
    }
  };
}
