/**
 * Fault injection at every step (Node fs), as SQLite tests its I/O errors:
 * for each operation and every N up to the number of fs calls it makes, the
 * Nth call fails with ENOSPC, EIO or ENOENT, or the process "dies" there (see
 * test/helpers/faultMatrix.ts for what is checked each time). The number of
 * injection points per operation is printed at the end.
 */
import { CheckpointEngine } from '../../src/engine';
import { TrackingRef } from '../../src/engine/remote/trackingRef';
import { FAULT_KINDS } from '../helpers/faultFs';
import { checkEveryFault, type IFaultOperation } from '../helpers/faultMatrix';
import { cliCommit, gitCli } from './backends';

const text = (s: string) => new TextEncoder().encode(s);
const BRANCH = 'jovyan-test';

const inHead = (dir: string, path: string) =>
  gitCli(dir, 'ls-tree', '--name-only', 'HEAD').split('\n').includes(path);

const OPERATIONS: IFaultOperation[] = [
  {
    name: 'create',
    ref: `refs/heads/${BRANCH}`,
    run: ctx =>
      ctx.engine.createCheckpoint('nb.ipynb', {
        content: text(`{"version": ${ctx.run}}\n`)
      })
  },
  {
    name: 'restore',
    ref: `refs/heads/${BRANCH}`,
    async run(ctx) {
      const [first, second] = await ctx.engine.listCheckpoints('r.txt', 1000);
      return ctx.engine.restoreCheckpoint(
        'r.txt',
        ctx.run % 2 ? first.id : second.id
      );
    }
  },
  {
    name: 'rename',
    ref: `refs/heads/${BRANCH}`,
    run: ctx =>
      inHead(ctx.dir, 'm1.txt')
        ? ctx.engine.renameFile('m1.txt', 'm2.txt')
        : ctx.engine.renameFile('m2.txt', 'm1.txt')
  },
  {
    name: 'delete',
    ref: `refs/heads/${BRANCH}`,
    async prepare(ctx) {
      if (!inHead(ctx.dir, 'd.txt')) {
        await ctx.engine.createCheckpoint('d.txt', {
          content: text(`d ${ctx.run}\n`)
        });
      }
    },
    run: ctx => ctx.engine.deleteFile('d.txt')
  },
  {
    name: "push's ref update",
    ref: `refs/remotes/checkpoints/${BRANCH}`,
    run(ctx) {
      const commits = gitCli(ctx.dir, 'rev-list', '-2', 'HEAD').split('\n');
      // As RemoteSync does it after a push: in the engine's write queue.
      return ctx.engine.exclusive(() =>
        new TrackingRef(ctx.engine.repository, 'checkpoints').write(
          BRANCH,
          commits[ctx.run % 2],
          'update by push'
        )
      );
    }
  },
  {
    name: 'index catch-up',
    ref: `refs/heads/${BRANCH}`,
    async prepare(ctx) {
      cliCommit(ctx.dir, 'c.txt', `cli ${ctx.run}\n`, `cli ${ctx.run}`);
    },
    async run(ctx) {
      const listed = await ctx.engine.listCheckpoints('c.txt', 1000);
      // Writes the history index now instead of when idle.
      await ctx.engine.dispose();
      return listed;
    }
  }
];

/** What every operation starts from. */
async function setup(engine: CheckpointEngine): Promise<void> {
  await engine.createCheckpoint('r.txt', { content: text('one\n') });
  await engine.createCheckpoint('r.txt', { content: text('two\n') });
  await engine.createCheckpoint('m1.txt', { content: text('m\n') });
  await engine.createCheckpoint('d.txt', { content: text('d\n') });
}

const points: Record<string, number> = {};
const codes: Record<string, Set<string>> = {};

afterAll(() => {
  const lines = Object.entries(points).map(
    ([name, n]) => `  ${name}: ${n} fs calls, ${n * FAULT_KINDS.length} faults`
  );
  const seen = Object.entries(codes).map(
    ([kind, set]) => `  ${kind} -> ${[...set].sort().join(', ')}`
  );
  process.stdout.write(
    `injection points per operation:\n${lines.join('\n')}\nerrors seen:\n${seen.join('\n')}\n`
  );
});

describe('fault injection at every fs call (node fs)', () => {
  for (const operation of OPERATIONS) {
    it(`${operation.name}: every fault leaves a sound repository and the next try works`, async () => {
      const report = await checkEveryFault(operation, setup);
      points[operation.name] = report.calls;
      for (const [kind, seen] of Object.entries(report.codes)) {
        for (const code of seen) {
          (codes[kind] ??= new Set()).add(code);
        }
      }
      expect(report.calls).toBeGreaterThan(5);
    });
  }
});
