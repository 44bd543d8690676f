/**
 * Fault injection at every step (Node fs): for each operation and every N up
 * to the number of fs calls it makes, the Nth call fails with ENOSPC, EIO or
 * ENOENT, or the process "dies" there. Each time: the error is typed, `git
 * fsck --strict` is clean, the ref is at its old value or at a complete new
 * commit made on top of it, no lock or temporary file is left, and the next
 * operation, with the fault gone and without a restart, succeeds.
 *
 * The number of injection points per operation is printed at the end.
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { CheckpointEngine, CheckpointError } from '../../src/engine';
import { TrackingRef } from '../../src/engine/remote/trackingRef';
import { isOurTemp } from '../../src/engine/storage/atomicWrite';
import { ObjectStore } from '../../src/engine/storage/objects';
import { resolveRef } from '../../src/engine/storage/refs';
import { nodeCodec } from '../../src/server/nodeCodec';
import { FAULT_KINDS, FaultFs, type FaultKind } from '../helpers/faultFs';
import { BACKENDS, cliCommit, gitCli, openEngine } from './backends';

const text = (s: string) => new TextEncoder().encode(s);
const BRANCH = 'jovyan-test';

interface IContext {
  engine: CheckpointEngine;
  dir: string;
  /** Counts runs, so that each run has something new to do. */
  run: number;
}

interface IOperation {
  name: string;
  /** The ref the operation moves. */
  ref: string;
  /** Brings the repository to where the operation has work to do (no faults). */
  prepare?(ctx: IContext): Promise<void>;
  run(ctx: IContext): Promise<unknown>;
}

const inHead = (dir: string, path: string) =>
  gitCli(dir, 'ls-tree', '--name-only', 'HEAD').split('\n').includes(path);

const OPERATIONS: IOperation[] = [
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

function leftovers(gitdir: string): string[] {
  const found: string[] = [];
  for (const entry of nodeFs.readdirSync(gitdir, {
    recursive: true,
    withFileTypes: true
  })) {
    if (entry.name.endsWith('.lock') || isOurTemp(entry.name)) {
      found.push(join(entry.parentPath, entry.name));
    }
  }
  return found;
}

function refValue(ctx: IContext, ref: string): Promise<string | null> {
  return resolveRef(nodeFs as any, join(ctx.dir, '.git'), ref);
}

/** The ref is where it was, or at a complete commit (at most two) on top of it. */
async function expectOldOrNew(ctx: IContext, ref: string, old: string | null) {
  const now = await refValue(ctx, ref);
  if (now === old || ref.startsWith('refs/remotes/')) {
    return;
  }
  expect(now).not.toBeNull();
  // Read back by a fresh store: what is on disk, not what a cache remembers.
  const objects = new ObjectStore(
    nodeFs as any,
    join(ctx.dir, '.git'),
    nodeCodec
  );
  const parent = (await objects.readCommit(now!)).parents[0] ?? null;
  const grandparent = parent
    ? ((await objects.readCommit(parent)).parents[0] ?? null)
    : null;
  expect([parent, grandparent]).toContain(old);
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
      const ws = await BACKENDS[0].make();
      const faults = new FaultFs(ws.fs);
      const gitdir = join(ws.dir, '.git');
      const ctx: IContext = {
        engine: await openEngine(ws, { fs: faults.fs, lockTimeoutMs: 200 }),
        dir: ws.dir,
        run: 0
      };
      await ctx.engine.createCheckpoint('r.txt', { content: text('one\n') });
      await ctx.engine.createCheckpoint('r.txt', { content: text('two\n') });
      await ctx.engine.createCheckpoint('m1.txt', { content: text('m\n') });
      await ctx.engine.createCheckpoint('d.txt', { content: text('d\n') });

      const attempt = async (): Promise<unknown> => {
        ctx.run++;
        return operation.run(ctx);
      };
      await operation.prepare?.(ctx);
      faults.count();
      await attempt();
      const calls = faults.calls;
      points[operation.name] = calls;
      expect(calls).toBeGreaterThan(5);

      for (let n = 1; n <= calls; n++) {
        for (const kind of FAULT_KINDS) {
          await operation.prepare?.(ctx);
          const old = await refValue(ctx, operation.ref);
          faults.arm(n, kind);
          const error = await attempt().then(
            () => null,
            (reason: unknown) => reason
          );
          faults.disarm();
          const where = `${operation.name}, ${kind} at call ${n}`;
          if (error) {
            expectTyped(error, kind, where);
          }
          await expectOldOrNew(ctx, operation.ref, old);
          if (kind !== 'killed') {
            // A killed process leaves its lock; the next attempt breaks it.
            expect({ where, left: leftovers(gitdir) }).toEqual({
              where,
              left: []
            });
          }
          await operation.prepare?.(ctx);
          await attempt();
          expect({ where, left: leftovers(gitdir) }).toEqual({
            where,
            left: []
          });
        }
        // Damage persists (the next commits build on it), so once per N finds any of the four.
        expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
      }
      expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
      await ctx.engine.dispose();
    });
  }
});

function expectTyped(error: unknown, kind: FaultKind, where: string) {
  const code = error instanceof CheckpointError ? error.code : 'untyped';
  (codes[kind] ??= new Set()).add(code);
  expect({ where, code, message: String(error) }).toMatchObject({
    where,
    code: expect.not.stringMatching(/^untyped$/)
  });
  if (code === 'DiskFull') {
    expect(String((error as Error).message)).toMatch(/No space left .* free/);
  }
}
