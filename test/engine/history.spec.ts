import { CheckpointEngine } from '../../src/engine';
import {
  BACKENDS,
  expectHealthy,
  gitCli,
  type IWorkspace,
  openEngine
} from './backends';

const text = (s: string) => new TextEncoder().encode(s);

describe.each(BACKENDS)('CheckpointEngine history on $name', backend => {
  let ws: IWorkspace;
  let engine: CheckpointEngine;

  beforeEach(async () => {
    ws = await backend.make();
    engine = await openEngine(ws);
  });

  afterEach(async () => {
    await engine.dispose();
  });

  describe('messages', () => {
    it('says what changed in automatic messages, and names the version kept before a restore', async () => {
      const one = await engine.createCheckpoint('a.txt', {
        content: text('a\nb\n')
      });
      const two = await engine.createCheckpoint('a.txt', {
        content: text('a\nB\nc\n')
      });
      expect(one.message).toBe('Checkpoint a.txt');
      expect(two.message).toBe('Checkpoint a.txt: 2 lines added, 1 removed');
      await ws.fs.promises.writeFile(`${ws.dir}/a.txt`, 'unsaved\n');
      await engine.restoreCheckpoint('a.txt', one.id);
      const subjects = gitCli(
        await ws.onDisk(),
        'log',
        '--format=%s',
        '--',
        'a.txt'
      );
      expect(subjects.trim().split('\n')).toEqual([
        `Restore a.txt to ${one.id.slice(0, 7)}`,
        `Before restoring ${one.id.slice(0, 7)}`,
        'Checkpoint a.txt: 2 lines added, 1 removed',
        'Checkpoint a.txt'
      ]);
      await expectHealthy(engine, ws, { 'a.txt': {} });
    });
  });

  describe('checkpointPage', () => {
    it('pages through the history newest first with a cursor', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        ids.push(
          (await engine.createCheckpoint('a.txt', { content: text(`v${i}\n`) }))
            .id
        );
      }
      await engine.createCheckpoint('other.txt', { content: text('o') });
      const newest = [...ids].reverse();
      const first = await engine.checkpointPage('a.txt', { limit: 10 });
      expect(first.checkpoints.map(c => c.id)).toEqual(newest.slice(0, 10));
      expect(first.cursor).toBe(newest[9]);
      const second = await engine.checkpointPage('a.txt', {
        limit: 10,
        cursor: first.cursor
      });
      expect(second.checkpoints.map(c => c.id)).toEqual(newest.slice(10, 20));
      const last = await engine.checkpointPage('a.txt', {
        limit: 10,
        cursor: second.cursor
      });
      expect(last.checkpoints.map(c => c.id)).toEqual(newest.slice(20));
      expect(last.cursor).toBeNull();
      // Exactly one page left: no cursor to an empty page.
      const exact = await engine.checkpointPage('a.txt', {
        limit: 5,
        cursor: second.cursor
      });
      expect(exact.cursor).toBeNull();
    });

    it('refuses a cursor that is not in the history and a bad limit', async () => {
      await engine.createCheckpoint('a.txt', { content: text('1') });
      const other = await engine.createCheckpoint('b.txt', {
        content: text('1')
      });
      await expect(
        engine.checkpointPage('a.txt', { cursor: other.id })
      ).rejects.toMatchObject({
        code: 'InvalidArgument',
        data: { cursor: other.id }
      });
      await expect(
        engine.checkpointPage('a.txt', { limit: 0 })
      ).rejects.toMatchObject({ code: 'InvalidArgument', data: { limit: 0 } });
    });
  });

  describe('deletedFiles and recoverFile', () => {
    it('lists files deleted under a folder, not renamed ones, and recovers one with its history', async () => {
      const v1 = await engine.createCheckpoint('d/gone.ipynb', {
        content: text('{"cells": []}')
      });
      const v2 = await engine.createCheckpoint('d/gone.ipynb', {
        content: text('{"cells": [{"cell_type": "code", "source": "x"}]}')
      });
      await engine.createCheckpoint('d/moved.txt', { content: text('m') });
      await engine.createCheckpoint('top.txt', { content: text('t') });
      await engine.renameFile('d/moved.txt', 'd/moved2.txt');
      const deletion = await engine.deleteFile('d/gone.ipynb');
      await engine.deleteFile('top.txt');

      const inD = await engine.deletedFiles('d');
      expect(inD).toEqual([
        {
          path: 'd/gone.ipynb',
          deleted_at: deletion!.last_modified,
          deleted_in: deletion!.id,
          last: expect.objectContaining({ id: v2.id })
        }
      ]);
      expect((await engine.deletedFiles('')).map(f => f.path).sort()).toEqual([
        'd/gone.ipynb',
        'top.txt'
      ]);

      const recovered = await engine.recoverFile('d/gone.ipynb', v2.id);
      expect(recovered.message).toBe(
        `Recover d/gone.ipynb from ${v2.id.slice(0, 7)}`
      );
      expect(await engine.deletedFiles('d')).toEqual([]);
      // The deletion is no version: the history lists the versions around it.
      expect(
        (await engine.listCheckpoints('d/gone.ipynb')).map(c => c.id)
      ).toEqual([v1.id, v2.id, recovered.id]);
      const dir = await ws.onDisk();
      expect(
        gitCli(dir, 'log', '--follow', '--format=%H', '--', 'd/gone.ipynb')
          .trim()
          .split('\n')
      ).toEqual([recovered.id, deletion!.id, v2.id, v1.id]);
      // git log lists the deletion too; the engine lists versions only.
      await expectHealthy(engine, ws, {});
    });

    it('refuses to recover over a file that exists', async () => {
      const v1 = await engine.createCheckpoint('a.txt', { content: text('1') });
      await engine.deleteFile('a.txt');
      await ws.fs.promises.writeFile(`${ws.dir}/a.txt`, 'new');
      await expect(engine.recoverFile('a.txt', v1.id)).rejects.toMatchObject({
        code: 'AlreadyExists'
      });
    });
  });

  describe('renameCheckpoint', () => {
    it("renames the branch's last commit with a reflog entry, same tree and parent", async () => {
      const one = await engine.createCheckpoint('a.txt', {
        content: text('1')
      });
      const two = await engine.createCheckpoint('a.txt', {
        content: text('2')
      });
      const renamed = await engine.renameCheckpoint(
        'a.txt',
        two.id,
        '  Good one '
      );
      expect(renamed.message).toBe('Good one');
      expect(
        (await engine.listCheckpoints('a.txt')).map(c => [c.id, c.message])
      ).toEqual([
        [one.id, 'Checkpoint a.txt'],
        [renamed.id, 'Good one']
      ]);
      const dir = await ws.onDisk();
      expect(gitCli(dir, 'rev-parse', `${renamed.id}^{tree}`)).toBe(
        gitCli(dir, 'rev-parse', `${two.id}^{tree}`)
      );
      expect(gitCli(dir, 'rev-parse', `${renamed.id}^`).trim()).toBe(one.id);
      expect(gitCli(dir, 'reflog', '-1', '--format=%gs', 'jovyan-test')).toBe(
        'commit (amend): Good one\n'
      );
      await expectHealthy(engine, ws, { 'a.txt': {} });
    });

    it('refuses an older checkpoint and an empty message, changing nothing', async () => {
      const one = await engine.createCheckpoint('a.txt', {
        content: text('1')
      });
      const two = await engine.createCheckpoint('a.txt', {
        content: text('2')
      });
      await expect(
        engine.renameCheckpoint('a.txt', one.id, 'x')
      ).rejects.toMatchObject({
        code: 'NotAmendable',
        data: { reason: 'not-head' }
      });
      await expect(
        engine.renameCheckpoint('a.txt', two.id, '  ')
      ).rejects.toMatchObject({ code: 'InvalidArgument' });
      expect((await engine.status()).head).toBe(two.id);
    });
  });
});
