import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { CheckpointEngine } from '../../src/engine';
import {
  BACKENDS,
  cliCommit,
  expectHealthy,
  gitCli,
  type IWorkspace,
  openEngine
} from './backends';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe.each(BACKENDS)('CheckpointEngine on $name', backend => {
  let ws: IWorkspace;
  let engine: CheckpointEngine;

  beforeEach(async () => {
    ws = await backend.make();
    engine = await openEngine(ws);
  });

  afterEach(async () => {
    await engine.dispose();
  });

  // The git CLI can change a repository only on a real disk, not in IndexedDB.
  const onDisk = backend.cliWritable ? it : it.skip;

  describe('open', () => {
    it('creates a repository on the given branch, writing no .gitignore', async () => {
      expect(await engine.status()).toEqual({
        dir: ws.dir,
        branch: 'jovyan-test',
        head: null,
        last_checkpoint: null
      });
      expect(await ws.fs.promises.readdir(ws.dir)).toEqual(['.git']);
    });

    it('commits nothing but the files it checkpoints', async () => {
      await ws.fs.promises.writeFile(`${ws.dir}/other.txt`, 'not mine');
      await engine.createCheckpoint('a.txt', { content: text('one') });
      const dir = await ws.onDisk();
      expect(gitCli(dir, 'ls-tree', '-r', '--name-only', 'HEAD')).toBe(
        'a.txt\n'
      );
    });
  });

  describe('createCheckpoint', () => {
    it('commits the file and returns id, UTC time, message and author', async () => {
      const cp = await engine.createCheckpoint('nb/a.ipynb', {
        content: text('{}')
      });
      expect(cp.id).toMatch(/^[0-9a-f]{40}$/);
      expect(cp.last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(cp.message).toBe('Checkpoint nb/a.ipynb');
      expect(cp.author).toEqual({
        name: 'jovyan',
        email: 'jovyan@example.invalid'
      });
      expect(await engine.status()).toMatchObject({
        head: cp.id,
        last_checkpoint: cp.last_modified
      });
      expect(
        decode(await ws.fs.promises.readFile(`${ws.dir}/nb/a.ipynb`))
      ).toBe('{}');
      await expectHealthy(engine, ws, { 'nb/a.ipynb': {} });
    });

    it('commits the working-tree file as it is when no content is given', async () => {
      await ws.fs.promises.writeFile(`${ws.dir}/b.txt`, 'on disk');
      const cp = await engine.createCheckpoint('b.txt', { message: 'named' });
      expect(cp.message).toBe('named');
      expect(decode(await engine.readCheckpoint('b.txt', cp.id))).toBe(
        'on disk'
      );
      await expectHealthy(engine, ws, { 'b.txt': {} });
    });

    it('makes no commit for unchanged content and returns the newest checkpoint', async () => {
      const first = await engine.createCheckpoint('a.txt', {
        content: text('same')
      });
      const again = await engine.createCheckpoint('a.txt', {
        content: text('same')
      });
      expect(again).toEqual(first);
      expect(await engine.listCheckpoints('a.txt')).toHaveLength(1);
    });

    it('makes N commits for N concurrent checkpoints', async () => {
      const saves = Array.from({ length: 10 }, (_, i) =>
        engine.createCheckpoint(`f${i % 3}.txt`, { content: text(`v${i}`) })
      );
      const ids = new Set((await Promise.all(saves)).map(cp => cp.id));
      expect(ids.size).toBe(10);
      const dir = await ws.onDisk();
      expect(gitCli(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('10');
      await expectHealthy(engine, ws, {
        'f0.txt': {},
        'f1.txt': {},
        'f2.txt': {}
      });
    });

    it('refuses a file over the size limit and writes nothing', async () => {
      const small = await openEngine(ws, { maxFileSize: 4 });
      await expect(
        small.createCheckpoint('big.txt', { content: text('12345') })
      ).rejects.toMatchObject({
        code: 'FileTooLarge'
      });
      expect(await ws.fs.promises.readdir(ws.dir)).toEqual(['.git']);
      await small.dispose();
    });

    onDisk(
      'leaves what the user staged alone, like git commit --only',
      async () => {
        await engine.createCheckpoint('a.txt', { content: text('one') });
        nodeFs.writeFileSync(join(ws.dir, 'staged.txt'), 'staged by the user');
        gitCli(ws.dir, 'add', 'staged.txt');
        await engine.createCheckpoint('a.txt', { content: text('two') });
        expect(gitCli(ws.dir, 'status', '--porcelain')).toBe('A  staged.txt\n');
        expect(gitCli(ws.dir, 'ls-tree', '--name-only', 'HEAD')).toBe(
          'a.txt\n'
        );
      }
    );

    onDisk('keeps the executable bit of a file', async () => {
      nodeFs.writeFileSync(join(ws.dir, 'run.sh'), '#!/bin/sh\n', {
        mode: 0o755
      });
      await engine.createCheckpoint('run.sh');
      expect(gitCli(ws.dir, 'ls-tree', 'HEAD', 'run.sh')).toMatch(/^100755 /);
      await expectHealthy(engine, ws, { 'run.sh': {} });
    });
  });

  describe('listCheckpoints', () => {
    it('lists oldest first, at most `limit`', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push(
          (await engine.createCheckpoint('a.txt', { content: text(`v${i}`) }))
            .id
        );
        await engine.createCheckpoint('other.txt', { content: text(`o${i}`) });
      }
      expect((await engine.listCheckpoints('a.txt')).map(c => c.id)).toEqual(
        ids.slice(2)
      );
      expect((await engine.listCheckpoints('a.txt', 3)).map(c => c.id)).toEqual(
        ids.slice(9)
      );
      await expectHealthy(engine, ws, { 'a.txt': {}, 'other.txt': {} });
    });

    it('is empty for a file with no history', async () => {
      expect(await engine.listCheckpoints('never.txt')).toEqual([]);
    });

    it('returns the same last_modified as create', async () => {
      const cp = await engine.createCheckpoint('a.txt', { content: text('x') });
      expect(await engine.listCheckpoints('a.txt')).toEqual([cp]);
    });

    it('follows renames made by renameFile', async () => {
      const a = await engine.createCheckpoint('a.txt', { content: text('1') });
      const b = await engine.createCheckpoint('a.txt', { content: text('2') });
      const moved = await engine.renameFile('a.txt', 'dir/b.txt');
      const c = await engine.createCheckpoint('dir/b.txt', {
        content: text('3')
      });
      expect(
        (await engine.listCheckpoints('dir/b.txt')).map(x => x.id)
      ).toEqual([a.id, b.id, moved!.id, c.id]);
      expect(decode(await engine.readCheckpoint('dir/b.txt', a.id))).toBe('1');
      await expectHealthy(engine, ws, { 'dir/b.txt': { follow: true } });
    });

    onDisk('includes commits made with the git CLI in between', async () => {
      await engine.createCheckpoint('a.txt', { content: text('1') });
      cliCommit(ws.dir, 'a.txt', '2', 'by hand');
      cliCommit(ws.dir, 'x/other.txt', 'o', 'other file');
      await engine.createCheckpoint('a.txt', { content: text('3') });
      const list = await engine.listCheckpoints('a.txt');
      expect(list.map(c => c.message)).toEqual([
        'Checkpoint a.txt',
        'by hand',
        'Checkpoint a.txt: 1 line added, 1 removed'
      ]);
      await expectHealthy(engine, ws, { 'a.txt': {}, 'x/other.txt': {} });
    });

    onDisk(
      'agrees with git log across merges made with the git CLI',
      async () => {
        await engine.createCheckpoint('a.txt', { content: text('1') });
        gitCli(ws.dir, 'checkout', '-qb', 'side');
        cliCommit(ws.dir, 'a.txt', 'side', 'side change');
        cliCommit(ws.dir, 'b.txt', 'b', 'side file');
        gitCli(ws.dir, 'checkout', '-q', 'jovyan-test');
        cliCommit(ws.dir, 'c.txt', 'c', 'main file');
        gitCli(
          ws.dir,
          '-c',
          'user.name=cli',
          '-c',
          'user.email=c@x',
          'merge',
          '-q',
          '--no-edit',
          'side'
        );
        await engine.createCheckpoint('a.txt', {
          content: text('after merge')
        });
        for (const path of ['a.txt', 'b.txt', 'c.txt']) {
          const log = gitCli(ws.dir, 'log', '--format=%H', '--', path)
            .split('\n')
            .filter(Boolean);
          expect(
            (await engine.listCheckpoints(path, 100)).map(c => c.id).reverse()
          ).toEqual(log);
        }
        expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
      }
    );

    onDisk('rebuilds when history was rewritten under it', async () => {
      await engine.createCheckpoint('a.txt', { content: text('1') });
      await engine.createCheckpoint('a.txt', { content: text('2') });
      expect(await engine.listCheckpoints('a.txt')).toHaveLength(2);
      gitCli(ws.dir, 'reset', '-q', '--hard', 'HEAD~1');
      cliCommit(ws.dir, 'a.txt', 'rewritten', 'rewrite');
      const list = await engine.listCheckpoints('a.txt');
      expect(list.map(c => c.message)).toEqual(['Checkpoint a.txt', 'rewrite']);
      await expectHealthy(engine, ws, { 'a.txt': {} });
    });

    it('keeps its index across engines and rebuilds a lost or corrupt one', async () => {
      const a = await engine.createCheckpoint('a.txt', { content: text('1') });
      await engine.listCheckpoints('a.txt');
      await engine.dispose();
      const indexDir = `${ws.dir}/.git/gitcheckpoints`;
      const [file] = (await ws.fs.promises.readdir(indexDir)).filter(n =>
        n.startsWith('history-')
      );
      // One index per branch, named for it.
      expect(file).toBe('history-jovyan-test.json');
      engine = await openEngine(ws);
      const b = await engine.createCheckpoint('a.txt', { content: text('2') });
      expect((await engine.listCheckpoints('a.txt')).map(c => c.id)).toEqual([
        a.id,
        b.id
      ]);
      await engine.dispose();
      await ws.fs.promises.writeFile(
        `${indexDir}/${file}`,
        '{"format":1,"tip":"zz'
      );
      engine = await openEngine(ws);
      expect((await engine.listCheckpoints('a.txt')).map(c => c.id)).toEqual([
        a.id,
        b.id
      ]);
    });
  });

  describe('readCheckpoint', () => {
    it('returns the bytes of that version', async () => {
      const one = await engine.createCheckpoint('a.txt', {
        content: text('one')
      });
      await engine.createCheckpoint('a.txt', { content: text('two') });
      expect(decode(await engine.readCheckpoint('a.txt', one.id))).toBe('one');
    });

    it('refuses an id that is not a checkpoint of that path', async () => {
      const a = await engine.createCheckpoint('a.txt', { content: text('a') });
      const b = await engine.createCheckpoint('b.txt', { content: text('b') });
      await expect(engine.readCheckpoint('a.txt', b.id)).rejects.toMatchObject({
        code: 'NotACheckpoint'
      });
      await expect(
        engine.readCheckpoint('a.txt', 'f'.repeat(40))
      ).rejects.toMatchObject({
        code: 'NotACheckpoint'
      });
      await expect(
        engine.readCheckpoint('a.txt', 'HEAD')
      ).rejects.toMatchObject({
        code: 'InvalidArgument'
      });
      await expect(engine.readCheckpoint('b.txt', a.id)).rejects.toMatchObject({
        code: 'NotACheckpoint'
      });
    });
  });

  describe('restoreCheckpoint', () => {
    it('checkpoints the replaced version, then commits the restore', async () => {
      const one = await engine.createCheckpoint('a.txt', {
        content: text('one')
      });
      await engine.createCheckpoint('a.txt', { content: text('two') });
      await ws.fs.promises.writeFile(`${ws.dir}/a.txt`, 'unsaved three');
      const restored = await engine.restoreCheckpoint('a.txt', one.id);
      expect(restored.message).toBe(`Restore a.txt to ${one.id.slice(0, 7)}`);
      expect(decode(await ws.fs.promises.readFile(`${ws.dir}/a.txt`))).toBe(
        'one'
      );
      const list = await engine.listCheckpoints('a.txt');
      expect(list).toHaveLength(4);
      expect(decode(await engine.readCheckpoint('a.txt', list[2].id))).toBe(
        'unsaved three'
      );
      // The restore can itself be undone.
      await engine.restoreCheckpoint('a.txt', list[2].id);
      expect(decode(await ws.fs.promises.readFile(`${ws.dir}/a.txt`))).toBe(
        'unsaved three'
      );
      await expectHealthy(engine, ws, { 'a.txt': {} });
    });
  });

  describe('renameFile and deleteFile', () => {
    it('renames and deletes in one commit each, files and directories', async () => {
      await engine.createCheckpoint('d/x.txt', { content: text('x') });
      await engine.createCheckpoint('d/y.txt', { content: text('y') });
      const count = async () =>
        gitCli(await ws.onDisk(), 'rev-list', '--count', 'HEAD').trim();
      const renamed = await engine.renameFile('d', 'e');
      expect(renamed!.message).toBe('Rename d to e');
      expect(await count()).toBe('3');
      expect(decode(await ws.fs.promises.readFile(`${ws.dir}/e/x.txt`))).toBe(
        'x'
      );
      await expectHealthy(engine, ws, {
        'e/x.txt': { follow: true },
        'e/y.txt': { follow: true }
      });
      const deleted = await engine.deleteFile('e/x.txt');
      expect(deleted!.message).toBe('Delete e/x.txt');
      await expect(
        ws.fs.promises.lstat(`${ws.dir}/e/x.txt`)
      ).rejects.toMatchObject({ code: 'ENOENT' });
      await engine.deleteFile('e');
      expect(await count()).toBe('5');
      const dir = await ws.onDisk();
      expect(gitCli(dir, 'ls-tree', '-r', 'HEAD')).toBe('');
      expect(gitCli(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
    });

    it('records a rename the host already made on disk', async () => {
      await engine.createCheckpoint('a.txt', { content: text('a') });
      await ws.fs.promises.rename(`${ws.dir}/a.txt`, `${ws.dir}/b.txt`);
      await engine.renameFile('a.txt', 'b.txt');
      await expectHealthy(engine, ws, { 'b.txt': { follow: true } });
    });

    it('does nothing for files never checkpointed, and refuses an existing target', async () => {
      expect(await engine.deleteFile('never.txt')).toBeNull();
      await engine.createCheckpoint('a.txt', { content: text('a') });
      await engine.createCheckpoint('b.txt', { content: text('b') });
      await expect(engine.renameFile('a.txt', 'b.txt')).rejects.toMatchObject({
        code: 'AlreadyExists'
      });
      expect(decode(await ws.fs.promises.readFile(`${ws.dir}/a.txt`))).toBe(
        'a'
      );
    });
  });

  describe('hideCheckpoint', () => {
    it('stops listing a checkpoint but keeps its commit', async () => {
      const one = await engine.createCheckpoint('a.txt', {
        content: text('1')
      });
      const two = await engine.createCheckpoint('a.txt', {
        content: text('2')
      });
      await engine.hideCheckpoint('a.txt', one.id);
      expect(await engine.listCheckpoints('a.txt')).toEqual([two]);
      const dir = await ws.onDisk();
      expect(gitCli(dir, 'cat-file', '-t', one.id).trim()).toBe('commit');
    });
  });

  describe('bad input changes nothing', () => {
    it.each([
      ['../escape.txt', 'InvalidPath'],
      ['/etc/passwd', 'InvalidPath'],
      ['a/../../b', 'InvalidPath'],
      ['.git/config', 'InvalidPath'],
      ['', 'InvalidPath']
    ])('%j is refused with %s', async (path, code) => {
      await expect(
        engine.createCheckpoint(path, { content: text('x') })
      ).rejects.toMatchObject({ code });
      await expect(engine.listCheckpoints(path)).rejects.toMatchObject({
        code
      });
      expect(await ws.fs.promises.readdir(ws.dir)).toEqual(['.git']);
    });

    onDisk('refuses a path through a symlink', async () => {
      const outside = nodeFs.mkdtempSync(join(ws.dir, '..', 'outside-'));
      nodeFs.symlinkSync(outside, join(ws.dir, 'link'));
      await expect(
        engine.createCheckpoint('link/x.txt', { content: text('x') })
      ).rejects.toMatchObject({
        code: 'InvalidPath'
      });
      expect(nodeFs.readdirSync(outside)).toEqual([]);
    });

    onDisk(
      'refuses to commit during a merge or on a detached HEAD',
      async () => {
        const cp = await engine.createCheckpoint('a.txt', {
          content: text('1')
        });
        nodeFs.writeFileSync(join(ws.dir, '.git/MERGE_HEAD'), `${cp.id}\n`);
        await expect(
          engine.createCheckpoint('a.txt', { content: text('2') })
        ).rejects.toMatchObject({
          code: 'RepositoryBusy'
        });
        nodeFs.unlinkSync(join(ws.dir, '.git/MERGE_HEAD'));
        gitCli(ws.dir, 'checkout', '-q', '--detach');
        await expect(engine.deleteFile('a.txt')).rejects.toMatchObject({
          code: 'RepositoryBusy'
        });
        expect(gitCli(ws.dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
      }
    );

    onDisk('refuses index v4 and split indexes, untouched', async () => {
      await engine.createCheckpoint('a.txt', { content: text('1') });
      gitCli(ws.dir, 'update-index', '--index-version', '4');
      const before = nodeFs.readFileSync(join(ws.dir, '.git/index'));
      await expect(
        engine.createCheckpoint('a.txt', { content: text('2') })
      ).rejects.toMatchObject({
        code: 'UnsupportedRepository'
      });
      expect(nodeFs.readFileSync(join(ws.dir, '.git/index'))).toEqual(before);
      gitCli(ws.dir, 'update-index', '--index-version', '2');
      gitCli(ws.dir, 'update-index', '--split-index');
      expect(
        nodeFs
          .readdirSync(join(ws.dir, '.git'))
          .some(n => n.startsWith('sharedindex.'))
      ).toBe(true);
      await expect(
        engine.createCheckpoint('a.txt', { content: text('3') })
      ).rejects.toMatchObject({
        code: 'UnsupportedRepository'
      });
      expect(gitCli(ws.dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    });

    onDisk('refuses a linked worktree and SHA-256 repositories', async () => {
      await engine.createCheckpoint('a.txt', { content: text('1') });
      const linked = join(ws.dir, '..', `linked-${Date.now()}`);
      gitCli(ws.dir, 'worktree', 'add', '-q', '-b', 'other', linked);
      await expect(openEngine({ ...ws, dir: linked })).rejects.toMatchObject({
        code: 'UnsupportedRepository'
      });
      const sha256 = nodeFs.mkdtempSync(join(ws.dir, '..', 'sha256-'));
      gitCli(sha256, 'init', '-q', '--object-format=sha256');
      await expect(openEngine({ ...ws, dir: sha256 })).rejects.toMatchObject({
        code: 'UnsupportedRepository'
      });
    });
  });

  describe('locks', () => {
    it('waits for index.lock held by git, then commits', async () => {
      await engine.createCheckpoint('a.txt', { content: text('1') });
      const lock = `${ws.dir}/.git/index.lock`;
      await ws.fs.promises.writeFile(lock, '');
      setTimeout(() => void ws.fs.promises.unlink(lock), 150);
      const cp = await engine.createCheckpoint('a.txt', { content: text('2') });
      expect((await engine.listCheckpoints('a.txt')).pop()).toEqual(cp);
      await expectHealthy(engine, ws, { 'a.txt': {} });
    });

    it('fails cleanly with Locked when git keeps the lock', async () => {
      const quick = await openEngine(ws, { lockTimeoutMs: 100 });
      await quick.createCheckpoint('a.txt', { content: text('1') });
      const lock = `${ws.dir}/.git/refs/heads/jovyan-test.lock`;
      await ws.fs.promises.writeFile(lock, '');
      await expect(
        quick.createCheckpoint('a.txt', { content: text('2') })
      ).rejects.toMatchObject({
        code: 'Locked'
      });
      // git's lock is left alone, ours is gone, the branch did not move.
      expect(await ws.fs.promises.readFile(lock, 'utf8')).toBe('');
      await expect(
        ws.fs.promises.lstat(`${ws.dir}/.git/index.lock`)
      ).rejects.toMatchObject({ code: 'ENOENT' });
      await ws.fs.promises.unlink(lock);
      expect(await quick.listCheckpoints('a.txt')).toHaveLength(1);
      await quick.dispose();
    });

    it('removes the locks of a killed engine, never those of git', async () => {
      await engine.createCheckpoint('a.txt', { content: text('1') });
      const dead = { id: 'killed', isAlive: () => false };
      const ours = `${ws.dir}/.git/index.lock`;
      // The killed engine's lock, as it creates them on this fs (docs/locks.md).
      const owners = `${ws.dir}/.git/gitcheckpoints/owners`;
      if (ws.fs.promises.link) {
        await ws.fs.promises.mkdir(owners, { recursive: true });
        await ws.fs.promises.writeFile(
          `${owners}/killed`,
          'gitcheckpoints lock owner killed\n'
        );
        await ws.fs.promises.link(`${owners}/killed`, ours);
      } else {
        const notes = `${ws.dir}/.git/gitcheckpoints/locks`;
        await ws.fs.promises.writeFile(ours, '');
        await ws.fs.promises.mkdir(notes, { recursive: true });
        await ws.fs.promises.writeFile(
          `${notes}/${encodeURIComponent(ours)}`,
          'killed'
        );
      }
      const gits = `${ws.dir}/.git/refs/heads/jovyan-test.lock`;
      await ws.fs.promises.writeFile(gits, '');
      const next = await openEngine(ws, { owner: dead, lockTimeoutMs: 50 });
      await expect(ws.fs.promises.lstat(ours)).rejects.toMatchObject({
        code: 'ENOENT'
      });
      expect(await ws.fs.promises.readFile(gits, 'utf8')).toBe('');
      await ws.fs.promises.unlink(gits);
      await next.createCheckpoint('a.txt', { content: text('2') });
      await expectHealthy(next, ws, { 'a.txt': {} });
      await next.dispose();
    });
  });
});
