import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import type { CheckpointEngine } from '../../../src/engine';
import { integrate, threeWay } from '../../../src/engine/remote/integrate';
import { BACKENDS, gitCli, type IWorkspace, openEngine } from '../backends';

const text = (s: string) => new TextEncoder().encode(s);
const change = (path: string, before: string | null, after: string | null) => ({
  path,
  before,
  after
});

describe('threeWay', () => {
  it('applies the remote changes to files the local side left alone', () => {
    const ours = [change('a', 'x', 'y')];
    const theirs = [change('b', null, 'z'), change('c/d', 'p', null)];
    expect(threeWay(ours, theirs)).toEqual({ apply: theirs, conflicts: [] });
  });

  it('skips a change both sides made alike', () => {
    const both = change('a', 'x', 'y');
    expect(threeWay([both], [{ ...both }])).toEqual({
      apply: [],
      conflicts: []
    });
  });

  it('reports a file both sides changed differently, sorted', () => {
    const ours = [change('z', 'x', 'y'), change('a', 'x', null)];
    const theirs = [change('z', 'x', 'w'), change('a', 'x', 'v')];
    expect(threeWay(ours, theirs)).toEqual({
      apply: [],
      conflicts: ['a', 'z']
    });
  });

  it('reports a file on one side where the other made a directory', () => {
    expect(
      threeWay([change('x/y', null, 'a')], [change('x', null, 'b')]).conflicts
    ).toEqual(['x']);
    expect(
      threeWay([change('x', null, 'b')], [change('x/y', null, 'a')]).conflicts
    ).toEqual(['x/y']);
  });
});

describe('integrate', () => {
  let ws: IWorkspace;
  let engine: CheckpointEngine;
  const BRANCH = 'jovyan-test';

  beforeEach(async () => {
    ws = await BACKENDS[0].make();
    engine = await openEngine(ws);
  });

  afterEach(async () => {
    await engine.dispose();
  });

  const git = (...args: string[]) => gitCli(ws.dir, ...args).trim();
  const head = async () => (await engine.status()).head;
  const read = (path: string) =>
    nodeFs.readFileSync(join(ws.dir, path), 'utf8');
  const run = (remote: string) =>
    engine.exclusive(() =>
      integrate(engine.repository, BRANCH, remote, 'checkpoints')
    );

  /**
   * Another server's commit, made with git plumbing in a scratch index (the
   * working tree and the real index are not touched): `files` maps a path to
   * its content, `null` to delete it, or `[mode, content]`.
   */
  function remoteCommit(
    parents: string[],
    files: Record<string, string | null | [string, string]>
  ): string {
    const index = join(ws.dir, '.git', 'scratch-index');
    const env = {
      ...process.env,
      GIT_INDEX_FILE: index,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: ws.dir
    };
    const plumbing = (args: string[], input?: string) =>
      execFileSync('git', args, {
        cwd: ws.dir,
        env,
        input,
        encoding: 'utf8'
      }).trim();
    nodeFs.rmSync(index, { force: true });
    plumbing(
      parents.length ? ['read-tree', parents[0]] : ['read-tree', '--empty']
    );
    for (const [path, value] of Object.entries(files)) {
      if (value === null) {
        plumbing(['update-index', '--force-remove', path]);
      } else {
        const [mode, content] = Array.isArray(value)
          ? value
          : ['100644', value];
        const blob = plumbing(['hash-object', '-w', '--stdin'], content);
        plumbing([
          'update-index',
          '--add',
          '--cacheinfo',
          `${mode},${blob},${path}`
        ]);
      }
    }
    const tree = plumbing(['write-tree']);
    nodeFs.rmSync(index, { force: true });
    return plumbing([
      '-c',
      'user.name=other',
      '-c',
      'user.email=other@example.invalid',
      'commit-tree',
      tree,
      ...parents.flatMap(p => ['-p', p]),
      '-m',
      'other server'
    ]);
  }

  it('does nothing when the remote commit is already in the branch', async () => {
    const first = await engine.createCheckpoint('a.txt', {
      content: text('1')
    });
    await engine.createCheckpoint('a.txt', { content: text('2') });
    const before = await head();
    expect(await run(first.id)).toEqual({ kind: 'up-to-date' });
    expect(await head()).toBe(before);
  });

  it('fast-forwards: new, changed and deleted files follow unless the user changed them', async () => {
    await engine.createCheckpoint('keep.txt', { content: text('keep') });
    await engine.createCheckpoint('gone.txt', { content: text('gone') });
    await engine.createCheckpoint('mine.txt', { content: text('mine') });
    await engine.createCheckpoint('mine-gone.txt', {
      content: text('mine gone')
    });
    const local = (await head())!;
    nodeFs.writeFileSync(join(ws.dir, 'mine.txt'), 'unsaved edit');
    nodeFs.writeFileSync(join(ws.dir, 'mine-gone.txt'), 'unsaved edit 2');
    const remote = remoteCommit([local], {
      'keep.txt': 'keep v2',
      'gone.txt': null,
      'mine.txt': 'theirs',
      'mine-gone.txt': null,
      'bin/run.sh': ['100755', '#!/bin/sh\n']
    });

    expect(await run(remote)).toEqual({ kind: 'fast-forward', commit: remote });
    expect(await head()).toBe(remote);
    expect(read('keep.txt')).toBe('keep v2');
    expect(nodeFs.existsSync(join(ws.dir, 'gone.txt'))).toBe(false);
    expect(read('mine.txt')).toBe('unsaved edit');
    expect(read('mine-gone.txt')).toBe('unsaved edit 2');
    expect(nodeFs.statSync(join(ws.dir, 'bin/run.sh')).mode & 0o111).not.toBe(
      0
    );
    // git agrees: only the user's two edits differ, one now untracked.
    expect(
      gitCli(ws.dir, 'status', '--porcelain', '--untracked-files=all')
        .split('\n')
        .filter(Boolean)
        .sort()
    ).toEqual([' M mine.txt', '?? mine-gone.txt']);
    expect(git('reflog', '-1', '--format=%gs', BRANCH)).toBe(
      'merge checkpoints/jovyan-test: Fast-forward'
    );
    expect(git('fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('merges a diverged branch whose changes touch other files', async () => {
    await engine.createCheckpoint('a.txt', { content: text('base') });
    const base = (await head())!;
    const remote = remoteCommit([base], { 'b.txt': 'theirs', 'a.txt': 'base' });
    const mine = await engine.createCheckpoint('a.txt', {
      content: text('mine')
    });

    const result = await run(remote);
    expect(result.kind).toBe('merged');
    const merge = (await head())!;
    expect(git('log', '-1', '--format=%P %s', merge)).toBe(
      `${mine.id} ${remote} Merge remote-tracking branch 'checkpoints/jovyan-test'`
    );
    expect(read('a.txt')).toBe('mine');
    expect(read('b.txt')).toBe('theirs');
    expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(git('fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('merges unrelated histories (a home that checkpointed before its first sync)', async () => {
    const mine = await engine.createCheckpoint('mine.txt', {
      content: text('mine')
    });
    const remote = remoteCommit([], { 'theirs.txt': 'theirs' });
    expect((await run(remote)).kind).toBe('merged');
    expect(git('log', '-1', '--format=%P')).toBe(`${mine.id} ${remote}`);
    expect(read('theirs.txt')).toBe('theirs');
    expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('changes nothing when both sides changed the same file', async () => {
    await engine.createCheckpoint('a.txt', { content: text('base') });
    const base = (await head())!;
    const remote = remoteCommit([base], {
      'a.txt': 'theirs',
      'b.txt': 'theirs too'
    });
    await engine.createCheckpoint('a.txt', { content: text('mine') });
    const before = await head();
    const index = nodeFs.readFileSync(join(ws.dir, '.git/index'));

    expect(await run(remote)).toEqual({ kind: 'conflict', paths: ['a.txt'] });
    expect(await head()).toBe(before);
    expect(read('a.txt')).toBe('mine');
    expect(nodeFs.existsSync(join(ws.dir, 'b.txt'))).toBe(false);
    expect(nodeFs.readFileSync(join(ws.dir, '.git/index'))).toEqual(index);
  });

  it('never writes a path from the remote that leaves the working tree or enters .git', async () => {
    await engine.createCheckpoint('a.txt', { content: text('a') });
    const local = (await head())!;
    const plumbing = (args: string[], input?: string) =>
      execFileSync('git', args, {
        cwd: ws.dir,
        input,
        encoding: 'utf8'
      }).trim();
    const blob = plumbing(['hash-object', '-w', '--stdin'], 'evil');
    const hooks = plumbing(['mktree'], `100755 blob ${blob}\tpost-checkout\n`);
    const dotgit = plumbing(['mktree'], `040000 tree ${hooks}\thooks\n`);
    const localTree = plumbing(['rev-parse', `${local}^{tree}`]);
    const aBlob = plumbing(['rev-parse', `${localTree}:a.txt`]);
    const tree = plumbing(
      ['mktree'],
      `040000 tree ${dotgit}\t.git\n100644 blob ${blob}\t..\n100644 blob ${aBlob}\ta.txt\n100644 blob ${blob}\tok.txt\n`
    );
    const remote = plumbing([
      '-c',
      'user.name=o',
      '-c',
      'user.email=o@example.invalid',
      'commit-tree',
      tree,
      '-p',
      local,
      '-m',
      'evil'
    ]);

    // Writing '..' would fail (it is the parent directory), so this also shows it was skipped.
    expect((await run(remote)).kind).toBe('fast-forward');
    expect(nodeFs.existsSync(join(ws.dir, '.git/hooks/post-checkout'))).toBe(
      false
    );
    expect(read('ok.txt')).toBe('evil');
  });
});
