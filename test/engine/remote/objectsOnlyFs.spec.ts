import * as nodeFs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IFileSystem } from '../../../src/engine';
import { objectsOnlyFs } from '../../../src/engine/remote/objectsOnlyFs';

describe('objectsOnlyFs', () => {
  const gitdir = mkdtempSync(join(tmpdir(), 'objects-only-'));
  const fs = objectsOnlyFs(nodeFs as unknown as IFileSystem, gitdir);
  nodeFs.mkdirSync(join(gitdir, 'objects/pack'), { recursive: true });
  nodeFs.mkdirSync(join(gitdir, 'refs/remotes/checkpoints'), {
    recursive: true
  });

  it('writes objects', async () => {
    await fs.promises.mkdir(join(gitdir, 'objects/ab'));
    await fs.promises.writeFile(join(gitdir, 'objects/ab/cdef'), 'object');
    expect(nodeFs.readFileSync(join(gitdir, 'objects/ab/cdef'), 'utf8')).toBe(
      'object'
    );
  });

  it('writes packs under a temporary name, renamed into place', async () => {
    const pack = join(gitdir, 'objects/pack/pack-0123abcd.pack');
    await fs.promises.writeFile(pack, 'PACK');
    expect(nodeFs.readFileSync(pack, 'utf8')).toBe('PACK');
    expect(nodeFs.readdirSync(join(gitdir, 'objects/pack'))).toEqual([
      'pack-0123abcd.pack'
    ]);
  });

  it('drops every write outside objects/: refs, shallow, config', async () => {
    await fs.promises.writeFile(
      join(gitdir, 'refs/remotes/checkpoints/main'),
      'a'.repeat(40)
    );
    await fs.promises.writeFile(join(gitdir, 'shallow'), '');
    await fs.promises.writeFile(join(gitdir, 'config'), '[core]');
    await fs.promises.mkdir(join(gitdir, 'refs/new'));
    expect(
      nodeFs.readdirSync(join(gitdir, 'refs/remotes/checkpoints'))
    ).toEqual([]);
    expect(nodeFs.existsSync(join(gitdir, 'shallow'))).toBe(false);
    expect(nodeFs.existsSync(join(gitdir, 'config'))).toBe(false);
    expect(nodeFs.existsSync(join(gitdir, 'refs/new'))).toBe(false);
  });

  it('deletes nothing outside objects/ and still reads everything', async () => {
    nodeFs.writeFileSync(join(gitdir, 'HEAD'), 'ref: refs/heads/main\n');
    await fs.promises.unlink(join(gitdir, 'HEAD'));
    await fs.promises.rmdir(join(gitdir, 'refs/remotes/checkpoints'));
    expect(await fs.promises.readFile(join(gitdir, 'HEAD'), 'utf8')).toBe(
      'ref: refs/heads/main\n'
    );
    expect(nodeFs.existsSync(join(gitdir, 'refs/remotes/checkpoints'))).toBe(
      true
    );
  });
});
