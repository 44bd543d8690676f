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
});
