import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, cliCommit, gitCli, openEngine } from '../backends';

/** Versions of a file where each changes a few of its lines, as a notebook's saves do. */
function versions(count: number, seed = 1): Uint8Array[] {
  const lines = Array.from(
    { length: 2000 },
    (_, i) => `line ${i}: ${'abcdefghij'.repeat(1 + ((i * seed) % 7))}`
  );
  const out: Uint8Array[] = [];
  for (let v = 0; v < count; v++) {
    for (let k = 0; k < 3; k++) {
      lines[(v * 131 + k * 17 + seed) % lines.length] = `v${v}.${k} ${seed}`;
    }
    out.push(new TextEncoder().encode(lines.join('\n')));
  }
  return out;
}

/** type and SHA-256 of the content of every object git sees, by id. */
function allObjects(dir: string): Map<string, string> {
  const list = gitCli(dir, 'cat-file', '--batch-all-objects', '--batch-check')
    .trim()
    .split('\n')
    .map(line => line.split(' '));
  const objects = new Map<string, string>();
  for (const [oid, type] of list) {
    const content = execFileSync('git', ['cat-file', type, oid], { cwd: dir });
    objects.set(
      oid,
      `${type} ${createHash('sha256').update(content).digest('hex')}`
    );
  }
  return objects;
}

function packsOf(dir: string): string[] {
  return gitCli(dir, 'count-objects', '-v')
    .split('\n')
    .filter(line => /^(count|packs):/.test(line));
}

describe.each(BACKENDS)('AutoPacker on $name', backend => {
  it('packs loose objects with deltas that git reads, and loses none', async () => {
    const ws = await backend.make();
    const engine = await openEngine(ws, { pack: false });
    const file = versions(30);
    const ids: string[] = [];
    for (const [v, content] of file.entries()) {
      ids.push((await engine.createCheckpoint('notes.txt', { content })).id);
      if (v % 10 === 0) {
        await engine.createCheckpoint(`other-${v}.txt`, {
          content: new TextEncoder().encode(`other ${v}`)
        });
      }
    }
    await engine.dispose();
    const before = allObjects(await ws.onDisk());

    const packing = await openEngine(ws, { pack: false });
    const result = await packing.pack();
    expect(result).toMatchObject({
      objects: before.size,
      looseRemoved: before.size,
      packsRemoved: 0
    });
    const dir = await ws.onDisk();
    expect(packsOf(dir)).toEqual(['count: 0', 'packs: 1']);
    expect(gitCli(dir, 'fsck', '--strict')).toBe('');
    const verify = gitCli(
      dir,
      'verify-pack',
      '-v',
      join(dir, '.git/objects/pack', result!.pack.split('/').pop()!)
    );
    // 29 of the 30 versions are deltas on the one before.
    expect(verify).toMatch(/^chain length = 29: 1 object$/m);
    expect(allObjects(dir)).toEqual(before);
    for (const [v, id] of ids.entries()) {
      expect(
        Buffer.from(await packing.readCheckpoint('notes.txt', id)).equals(
          Buffer.from(file[v])
        )
      ).toBe(true);
    }

    // More checkpoints, then a second run rewrites the first pack into the new one.
    const more = versions(40).slice(30);
    for (const content of more) {
      await packing.createCheckpoint('notes.txt', { content });
    }
    const second = await packing.pack();
    expect(second).toMatchObject({ packsRemoved: 1 });
    const after = await ws.onDisk();
    expect(packsOf(after)).toEqual(['count: 0', 'packs: 1']);
    expect(gitCli(after, 'fsck', '--strict')).toBe('');
    const log = gitCli(after, 'log', '--format=%H', '--', 'notes.txt');
    expect(log.trim().split('\n')).toHaveLength(40);
    expect(gitCli(after, 'show', 'HEAD:notes.txt')).toBe(
      new TextDecoder().decode(more[more.length - 1])
    );
    await packing.dispose();
  });
});

describe('AutoPacker beside the git CLI', () => {
  it('keeps objects only reflogs, tags, other branches and the index refer to', async () => {
    const ws = await BACKENDS[0].make();
    const engine = await openEngine(ws, { pack: false });
    await engine.createCheckpoint('a.txt', {
      content: new TextEncoder().encode('one')
    });
    cliCommit(ws.dir, 'b.txt', 'on a branch', 'b');
    gitCli(ws.dir, 'branch', 'side');
    gitCli(
      ws.dir,
      '-c',
      'user.name=cli',
      '-c',
      'user.email=cli@example.invalid',
      'tag',
      '-a',
      '-m',
      'tagged',
      'v1'
    );
    cliCommit(ws.dir, 'c.txt', 'only in the reflog', 'c');
    gitCli(ws.dir, 'reset', '-q', '--hard', 'HEAD~1');
    writeFileSync(join(ws.dir, 'd.txt'), 'only staged');
    gitCli(ws.dir, 'add', 'd.txt');
    const before = allObjects(ws.dir);
    expect((await engine.pack())!.looseRemoved).toBe(before.size);
    expect(allObjects(ws.dir)).toEqual(before);
    expect(gitCli(ws.dir, 'fsck', '--strict')).toBe('');
    await engine.dispose();
  });

  it('does nothing while git gc holds gc.pid', async () => {
    const ws = await BACKENDS[0].make();
    const engine = await openEngine(ws, { pack: false });
    await engine.createCheckpoint('a.txt', {
      content: new TextEncoder().encode('one')
    });
    writeFileSync(join(ws.dir, '.git/gc.pid'), `${process.pid} ${hostname()}`);
    expect(await engine.pack()).toBeNull();
    expect(packsOf(ws.dir)[1]).toBe('packs: 0');
    await engine.dispose();
  });
});
