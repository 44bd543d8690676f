import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { BACKENDS, gitCli, openEngine } from '../backends';
import { seededRandom as random } from '../../helpers/random';

const RUNS = 50;

/** Runs the packing child; kills it with SIGKILL `killAfterMs` after it started packing. */
function packInChild(script: string, dir: string, killAfterMs: number | null) {
  return new Promise<{ finished: boolean; ms: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let started = 0;
    let finished = false;
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('packing') && !started) {
        started = Date.now();
        if (killAfterMs !== null) {
          setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
      }
      finished ||= text.includes('packed');
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ finished, ms: Date.now() - started }));
  });
}

describe('packing killed with SIGKILL', () => {
  it(`leaves an fsck-clean repository that lost nothing, ${RUNS} times`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'gcp-kill-'));
    const script = join(work, 'packChild.js');
    buildSync({
      entryPoints: [join(__dirname, 'fixtures/packChild.ts')],
      bundle: true,
      platform: 'node',
      outfile: script,
      logLevel: 'warning'
    });
    const ws = await BACKENDS[0].make();
    const engine = await openEngine(ws, { pack: false });
    const lines = Array.from({ length: 3000 }, (_, i) => `row ${i} ${i * 7}`);
    for (let v = 0; v < 40; v++) {
      lines[(v * 97) % lines.length] = `changed ${v}`;
      await engine.createCheckpoint(`file-${v % 3}.txt`, {
        content: new TextEncoder().encode(lines.join('\n'))
      });
    }
    await engine.dispose();
    const objects = gitCli(
      ws.dir,
      'cat-file',
      '--batch-all-objects',
      '--batch-check=%(objectname)'
    );
    const commits = gitCli(ws.dir, 'rev-list', 'HEAD');
    // How long a whole run takes here, to spread the kills over it.
    const whole = join(work, 'whole');
    cpSync(ws.dir, whole, { recursive: true });
    const full = await packInChild(script, whole, null);
    expect(full.finished).toBe(true);
    const next = random(13);
    const outcomes = { killed: 0, finished: 0 };
    for (let run = 0; run < RUNS; run++) {
      const dir = join(work, `run-${run}`);
      cpSync(ws.dir, dir, { recursive: true });
      const { finished } = await packInChild(
        script,
        dir,
        Math.floor(next() * full.ms)
      );
      outcomes[finished ? 'finished' : 'killed']++;
      expect(gitCli(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
      expect(gitCli(dir, 'rev-list', 'HEAD')).toBe(commits);
      // Every object is still there, loose or packed.
      const left = gitCli(
        dir,
        'cat-file',
        '--batch-all-objects',
        '--batch-check=%(objectname)'
      );
      expect(new Set(left.split('\n'))).toEqual(new Set(objects.split('\n')));
      rmSync(dir, { recursive: true, force: true });
    }
    expect(outcomes.killed).toBeGreaterThan(RUNS / 2);
    rmSync(work, { recursive: true, force: true });
  }, 240000);
});
