import type { IFileSystem } from '../engine/api';
import { InvalidArgumentError } from '../engine/errors';
import { Zip } from './zip';

/**
 * A repository's `.git` directory as a zip archive (entries `.git/...`), so
 * history can leave the browser without a remote, and come back.
 */
export namespace GitArchive {
  export async function pack(
    fs: IFileSystem,
    gitdir: string
  ): Promise<Uint8Array> {
    const entries: Zip.IEntry[] = [];
    const walk = async (dir: string, prefix: string) => {
      for (const name of (await fs.promises.readdir(dir)).sort()) {
        const path = `${dir}/${name}`;
        const stats = await fs.promises.lstat(path);
        if (stats.isDirectory()) {
          await walk(path, `${prefix}${name}/`);
        } else if (stats.isFile()) {
          entries.push({
            path: `${prefix}${name}`,
            data: await fs.promises.readFile(path)
          });
        }
      }
    };
    await walk(gitdir, '.git/');
    return Zip.write(entries);
  }

  /** Replaces `gitdir` with the archive's `.git`; checks that it is one before touching anything. */
  export async function unpack(
    fs: IFileSystem,
    gitdir: string,
    archive: Uint8Array
  ): Promise<void> {
    const entries = (await Zip.read(archive)).filter(e =>
      e.path.startsWith('.git/')
    );
    if (!entries.some(e => e.path === '.git/HEAD')) {
      throw new InvalidArgumentError(
        'The archive holds no .git directory (no .git/HEAD)'
      );
    }
    if (entries.some(e => e.path.split('/').includes('..'))) {
      throw new InvalidArgumentError('The archive has a path outside .git');
    }
    await remove(fs, gitdir);
    for (const { path, data } of entries) {
      const full = gitdir + path.slice('.git'.length);
      await fs.promises.mkdir(full.slice(0, full.lastIndexOf('/')), {
        recursive: true
      });
      await fs.promises.writeFile(full, data);
    }
  }

  async function remove(fs: IFileSystem, path: string): Promise<void> {
    let stats;
    try {
      stats = await fs.promises.lstat(path);
    } catch {
      return;
    }
    if (stats.isDirectory()) {
      for (const name of await fs.promises.readdir(path)) {
        await remove(fs, `${path}/${name}`);
      }
      await fs.promises.rmdir(path);
    } else {
      await fs.promises.unlink(path);
    }
  }
}
