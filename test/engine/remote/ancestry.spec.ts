import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IFileSystem } from '../../../src/engine';
import {
  commitsBetween,
  isAncestor,
  mergeBase
} from '../../../src/engine/remote/ancestry';
import { ObjectStore } from '../../../src/engine/storage/objects';
import { nodeCodec } from '../../../src/server/nodeCodec';

/** A repository of commits built with the git CLI, with chosen committer times. */
class Dag {
  readonly dir = mkdtempSync(join(tmpdir(), 'ancestry-'));
  readonly objects: ObjectStore;
  private readonly _tree: string;

  constructor() {
    this.git(['init', '--quiet', '--bare']);
    this._tree = this.git(['mktree'], '').trim();
    this.objects = new ObjectStore(
      nodeFs as unknown as IFileSystem,
      this.dir,
      nodeCodec
    );
  }

  git(
    args: string[],
    input?: string,
    env: Record<string, string> = {}
  ): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      input,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: this.dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'a',
        GIT_AUTHOR_EMAIL: 'a@example.invalid',
        GIT_COMMITTER_NAME: 'a',
        GIT_COMMITTER_EMAIL: 'a@example.invalid',
        ...env
      }
    });
  }

  commit(parents: string[], time: number, name: string): string {
    const args = [
      'commit-tree',
      this._tree,
      ...parents.flatMap(p => ['-p', p]),
      '-m',
      name
    ];
    const date = `${1_700_000_000 + time} +0000`;
    return this.git(args, undefined, {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date
    }).trim();
  }

  /** What git itself says: `rev-list include --not exclude`. */
  revList(include: string[], exclude: string[]): Set<string> {
    const out = this.git(['rev-list', ...include, '--not', ...exclude, '--']);
    return new Set(out.split('\n').filter(Boolean));
  }
}

/** A small deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('commitsBetween', () => {
  it('gives the commits of a linear history past the excluded one', async () => {
    const dag = new Dag();
    const a = dag.commit([], 100, 'a');
    const b = dag.commit([a], 200, 'b');
    const c = dag.commit([b], 300, 'c');
    const d = dag.commit([c], 400, 'd');
    expect(await commitsBetween(dag.objects, [d], [b])).toEqual(
      new Set([c, d])
    );
    expect(await commitsBetween(dag.objects, [b], [d])).toEqual(new Set());
    expect(await commitsBetween(dag.objects, [d], [])).toEqual(
      new Set([a, b, c, d])
    );
  });

  it('handles merges from both sides', async () => {
    const dag = new Dag();
    const base = dag.commit([], 100, 'base');
    const l1 = dag.commit([base], 200, 'l1');
    const l2 = dag.commit([l1], 300, 'l2');
    const r1 = dag.commit([base], 250, 'r1');
    const m = dag.commit([l2, r1], 400, 'm');
    expect(await commitsBetween(dag.objects, [m], [r1])).toEqual(
      new Set([m, l1, l2])
    );
    expect(await commitsBetween(dag.objects, [m], [l2])).toEqual(
      new Set([m, r1])
    );
    expect(await commitsBetween(dag.objects, [l2], [r1])).toEqual(
      new Set([l1, l2])
    );
  });

  it('is right when many commits share one second, as rapid checkpoints do', async () => {
    const dag = new Dag();
    const a = dag.commit([], 100, 'a');
    const side = dag.commit([a], 100, 'side');
    let tip = a;
    const main: string[] = [];
    for (let i = 0; i < 20; i++) {
      tip = dag.commit([tip], 100, `m${i}`);
      main.push(tip);
    }
    const merged = dag.commit([tip, side], 100, 'merge');
    expect(await commitsBetween(dag.objects, [merged], [main[10]])).toEqual(
      dag.revList([merged], [main[10]])
    );
    expect(await commitsBetween(dag.objects, [merged], [side])).toEqual(
      dag.revList([merged], [side])
    );
  });

  it.each([
    ['increasing', (i: number) => 1000 + i * 10],
    ['equal', () => 1000],
    ['in bursts of equal seconds', (i: number) => 1000 + Math.floor(i / 7)]
  ])(
    'agrees with git rev-list on random merge histories, times %s',
    async (_name, time) => {
      const dag = new Dag();
      const next = random(42);
      const commits: string[] = [dag.commit([], time(0), 'root')];
      for (let i = 1; i < 80; i++) {
        const pick = () =>
          commits[Math.max(0, commits.length - 1 - Math.floor(next() * 8))];
        const parents =
          next() < 0.25 ? [...new Set([pick(), pick()])] : [pick()];
        commits.push(dag.commit(parents, time(i), `c${i}`));
      }
      for (let k = 0; k < 25; k++) {
        const include = [commits[Math.floor(next() * commits.length)]];
        const exclude = [commits[Math.floor(next() * commits.length)]];
        expect(await commitsBetween(dag.objects, include, exclude)).toEqual(
          dag.revList(include, exclude)
        );
      }
    }
  );
});

describe('isAncestor', () => {
  it('is true for the commit itself and its ancestors only', async () => {
    const dag = new Dag();
    const a = dag.commit([], 100, 'a');
    const b = dag.commit([a], 200, 'b');
    const c = dag.commit([a], 300, 'c');
    expect(await isAncestor(dag.objects, a, b)).toBe(true);
    expect(await isAncestor(dag.objects, b, b)).toBe(true);
    expect(await isAncestor(dag.objects, b, a)).toBe(false);
    expect(await isAncestor(dag.objects, b, c)).toBe(false);
  });
});

describe('mergeBase', () => {
  it('is one of the bases git names, on random merge histories', async () => {
    const dag = new Dag();
    const next = random(7);
    const commits: string[] = [dag.commit([], 1000, 'root')];
    for (let i = 1; i < 80; i++) {
      const pick = () =>
        commits[Math.max(0, commits.length - 1 - Math.floor(next() * 10))];
      const parents = next() < 0.25 ? [...new Set([pick(), pick()])] : [pick()];
      commits.push(dag.commit(parents, 1000 + Math.floor(i / 3), `c${i}`));
    }
    for (let k = 0; k < 25; k++) {
      const a = commits[Math.floor(next() * commits.length)];
      const b = commits[Math.floor(next() * commits.length)];
      const bases = dag
        .git(['merge-base', '--all', a, b])
        .split('\n')
        .filter(Boolean);
      expect(bases).toContain(await mergeBase(dag.objects, a, b));
    }
  });

  it('is null for unrelated histories, and the commit itself for an ancestor', async () => {
    const dag = new Dag();
    const a = dag.commit([], 100, 'a');
    const b = dag.commit([], 100, 'b');
    const c = dag.commit([a], 200, 'c');
    expect(await mergeBase(dag.objects, a, b)).toBeNull();
    expect(await mergeBase(dag.objects, a, c)).toBe(a);
    expect(await mergeBase(dag.objects, c, a)).toBe(a);
  });
});
