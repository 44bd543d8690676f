import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, gitCli, openEngine } from '../backends';

describe('ObjectStore', () => {
  it('reports a failing disk while reading a loose object as that, not as a missing object', async () => {
    const ws = await BACKENDS[0].make();
    const engine = await openEngine(ws);
    const cp = await engine.createCheckpoint('a.txt', {
      content: new TextEncoder().encode('one')
    });
    const blob = gitCli(ws.dir, 'rev-parse', `${cp.id}:a.txt`).trim();
    await engine.dispose();
    const loose = `/objects/${blob.slice(0, 2)}/${blob.slice(2)}`;
    const failing = {
      promises: {
        ...ws.fs.promises,
        readFile: (path: string, options?: any) =>
          path.endsWith(loose)
            ? Promise.reject(
                Object.assign(new Error(`EIO: i/o error, open '${path}'`), {
                  code: 'EIO'
                })
              )
            : ws.fs.promises.readFile(path, options)
      }
    };
    const broken = await openEngine({ ...ws, fs: failing });
    await expect(broken.readCheckpoint('a.txt', cp.id)).rejects.toMatchObject({
      code: 'StorageFailure'
    });
    await broken.dispose();
  });

  describe('large objects: stored at once, compressed when idle', () => {
    const text = 'import numpy as np\nprint(np.arange(10))\n'.repeat(30000);
    const content = new TextEncoder().encode(text);

    async function checkpointed() {
      const ws = await BACKENDS[0].make();
      const engine = await openEngine(ws);
      const cp = await engine.createCheckpoint('big.py', { content });
      const blob = gitCli(ws.dir, 'rev-parse', `${cp.id}:big.py`).trim();
      const file = join(
        ws.dir,
        '.git/objects',
        blob.slice(0, 2),
        blob.slice(2)
      );
      return { ws, engine, blob, file };
    }

    const catBlob = (dir: string, blob: string) =>
      execFileSync('git', ['cat-file', 'blob', blob], {
        cwd: dir,
        maxBuffer: 1 << 26
      });

    it('is a valid object before and after compaction, with the same content', async () => {
      const { ws, engine, blob, file } = await checkpointed();
      // Right after the checkpoint: stored, so about the size of the content.
      expect(statSync(file).size).toBeGreaterThan(content.length);
      expect(catBlob(ws.dir, blob).equals(Buffer.from(content))).toBe(true);
      expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');

      await engine.repository.objects.compact();
      expect(statSync(file).size).toBeLessThan(content.length / 20);
      expect(catBlob(ws.dir, blob).equals(Buffer.from(content))).toBe(true);
      expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
      await engine.dispose();
    });

    it('compacts on its own once idle, and on dispose', async () => {
      const { engine, file } = await checkpointed();
      await new Promise(resolve => setTimeout(resolve, 1500));
      await engine.repository.objects.compact(); // Waits for the idle run to finish.
      expect(statSync(file).size).toBeLessThan(content.length / 20);
      await engine.dispose();
    });

    it('skips an object git packed meanwhile', async () => {
      const { ws, engine, blob, file } = await checkpointed();
      gitCli(ws.dir, 'gc', '-q', '--prune=now');
      expect(existsSync(file)).toBe(false);
      await engine.dispose(); // Compacts what is left: nothing.
      expect(existsSync(file)).toBe(false);
      expect(catBlob(ws.dir, blob).equals(Buffer.from(content))).toBe(true);
    });
  });
});
