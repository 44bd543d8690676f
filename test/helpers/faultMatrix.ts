/**
 * The fault-injection matrix, reusable for any engine operation: for every N up
 * to the number of fs calls the operation makes, and every fault kind, the Nth
 * call fails. Each time: the error is typed, the ref is at its old value or at
 * a complete new commit made on top of it, no lock or temporary file is left
 * (a "killed" process's lock: after the next attempt), the next attempt with
 * the fault gone and without a restart succeeds, and `git fsck --strict` is
 * clean after each N. Add an operation by describing it as an IFaultOperation.
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { CheckpointEngine, CheckpointError } from '../../src/engine';
import { ObjectStore } from '../../src/engine/storage/objects';
import { resolveRef } from '../../src/engine/storage/refs';
import { nodeCodec } from '../../src/server/nodeCodec';
import { BACKENDS, gitCli, openEngine } from '../engine/backends';
import { FAULT_KINDS, FaultFs, type FaultKind } from './faultFs';
import { isInFlight } from '../../src/engine/storage/atomicWrite';

export interface IFaultContext {
  engine: CheckpointEngine;
  dir: string;
  /** Counts runs, so that each run has something new to do. */
  run: number;
}

export interface IFaultOperation {
  name: string;
  /** The ref the operation moves. */
  ref: string;
  /** Brings the repository to where the operation has work to do (no faults). */
  prepare?(ctx: IFaultContext): Promise<void>;
  run(ctx: IFaultContext): Promise<unknown>;
}

export interface IFaultReport {
  /** fs calls the operation makes: its injection points (times FAULT_KINDS). */
  calls: number;
  /** Error codes seen per fault kind. */
  codes: Record<string, Set<string>>;
}

/** Runs the matrix for one operation on a fresh Node fs repository; `setup` runs first, unfaulted. */
export async function checkEveryFault(
  operation: IFaultOperation,
  setup: (engine: CheckpointEngine) => Promise<void>
): Promise<IFaultReport> {
  const ws = await BACKENDS[0].make();
  const faults = new FaultFs(ws.fs);
  const ctx: IFaultContext = {
    engine: await openEngine(ws, { fs: faults.fs, lockTimeoutMs: 200 }),
    dir: ws.dir,
    run: 0
  };
  const codes: Record<string, Set<string>> = {};
  await setup(ctx.engine);
  const attempt = async (): Promise<unknown> => {
    ctx.run++;
    return operation.run(ctx);
  };
  await operation.prepare?.(ctx);
  faults.count();
  await attempt();
  const calls = faults.calls;

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
        expectTyped(error, kind, where, codes);
      }
      await expectOldOrNew(ctx, operation.ref, old);
      if (kind !== 'killed') {
        // A killed process leaves its lock; the next attempt breaks it.
        expect({ where, left: leftovers(faults) }).toEqual({ where, left: [] });
      }
      await operation.prepare?.(ctx);
      await attempt();
      expect({ where, left: leftovers(faults) }).toEqual({ where, left: [] });
    }
    // Damage persists (the next commits build on it), so once per N finds any of the four.
    expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  }
  await ctx.engine.dispose();
  return { calls, codes };
}

/**
 * The locks and temporary files the engine made that still exist, but for a
 * background write under way now (the history index persists itself a second
 * after a change: its temporary file is not a leftover while it is written).
 */
function leftovers(faults: FaultFs): string[] {
  return [...faults.made].filter(
    path => nodeFs.existsSync(path) && !isInFlight(path)
  );
}

function refValue(ctx: IFaultContext, ref: string): Promise<string | null> {
  return resolveRef(nodeFs as any, join(ctx.dir, '.git'), ref);
}

/** The ref is where it was, or at a complete commit (at most two) on top of it. */
async function expectOldOrNew(
  ctx: IFaultContext,
  ref: string,
  old: string | null
) {
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

function expectTyped(
  error: unknown,
  kind: FaultKind,
  where: string,
  codes: IFaultReport['codes']
) {
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
