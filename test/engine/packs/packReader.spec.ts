import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, cliCommit, gitCli, openEngine } from '../backends';
import { applyDelta } from '../../../src/engine/packs/packReader';

/** A repository whose file has many similar versions, so git packs them as deltas. */
async function packedRepo(repack: string[]) {
  const ws = await BACKENDS[0].make();
  gitCli(ws.dir, 'init', '-q');
  const lines = Array.from(
    { length: 400 },
    (_, i) => `line ${i} ${'x'.repeat(i % 50)}`
  );
  for (let v = 0; v < 25; v++) {
    lines[(v * 37) % lines.length] = `changed in version ${v}`;
    cliCommit(ws.dir, 'notes/big.txt', lines.join('\n'), `version ${v}`);
    cliCommit(ws.dir, `small-${v % 3}.txt`, `small ${v}`, `small ${v}`);
  }
  gitCli(ws.dir, ...repack);
  expect(gitCli(ws.dir, 'count-objects', '-v')).toMatch(/^count: 0$/m);
  return ws;
}

function catFile(dir: string, type: string, oid: string): Buffer {
  return execFileSync('git', ['cat-file', type, oid], { cwd: dir });
}

describe('PackReader through ObjectStore', () => {
  it.each([
    ['offset deltas (git gc)', ['gc', '-q', '--aggressive']],
    [
      'ref deltas',
      [
        '-c',
        'repack.useDeltaBaseOffset=false',
        'repack',
        '-q',
        '-a',
        '-d',
        '-f'
      ]
    ]
  ])(
    'reads every object of a pack with %s as git does',
    async (_name, repack) => {
      const ws = await packedRepo(repack);
      const packDir = join(ws.dir, '.git/objects/pack');
      const idx = readdirSync(packDir).find(name => name.endsWith('.idx'))!;
      const verify = gitCli(ws.dir, 'verify-pack', '-v', join(packDir, idx));
      // The material must really exercise delta chains.
      expect(verify).toMatch(/chain length = [2-9]/);
      const engine = await openEngine(ws);
      const objects = engine.repository.objects;
      const all = gitCli(
        ws.dir,
        'cat-file',
        '--batch-all-objects',
        '--batch-check'
      )
        .trim()
        .split('\n')
        .map(line => line.split(' '));
      expect(all.length).toBeGreaterThan(100);
      for (const [oid, type] of all) {
        const object = await objects.read(oid);
        expect(object.type).toBe(type);
        expect(
          Buffer.from(object.content).equals(catFile(ws.dir, type, oid))
        ).toBe(true);
      }
      await engine.dispose();
    }
  );

  it('finds objects git packed while the engine was running', async () => {
    const ws = await BACKENDS[0].make();
    const engine = await openEngine(ws);
    const first = await engine.createCheckpoint('a.txt', {
      content: new TextEncoder().encode('one')
    });
    await engine.listCheckpoints('a.txt');
    gitCli(ws.dir, 'gc', '-q');
    expect(gitCli(ws.dir, 'count-objects', '-v')).toMatch(/^count: 0$/m);
    await engine.createCheckpoint('a.txt', {
      content: new TextEncoder().encode('two')
    });
    expect(
      new TextDecoder().decode(await engine.readCheckpoint('a.txt', first.id))
    ).toBe('one');
    expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
    await engine.dispose();
  });

  it('reads from the new pack when git repacks away the one it had listed', async () => {
    const ws = await BACKENDS[0].make();
    gitCli(ws.dir, 'init', '-q');
    cliCommit(ws.dir, 'a.txt', 'one', 'a');
    gitCli(ws.dir, 'gc', '-q');
    const blob = gitCli(ws.dir, 'rev-parse', 'HEAD:a.txt').trim();
    const engine = await openEngine(ws);
    const objects = engine.repository.objects;
    const packs = () =>
      readdirSync(join(ws.dir, '.git/objects/pack')).filter(n =>
        n.endsWith('.pack')
      );
    // The engine has listed git's pack (its .idx) but not opened it yet...
    expect(await objects.packs.has(blob)).toBe(true);
    // ...when `git repack -ad` replaces it with another one.
    const before = packs();
    cliCommit(ws.dir, 'c.txt', 'three', 'c');
    gitCli(ws.dir, 'repack', '-q', '-a', '-d');
    expect(packs()).toHaveLength(1);
    expect(packs()).not.toEqual(before);
    expect(new TextDecoder().decode((await objects.read(blob)).content)).toBe(
      'one'
    );
    await engine.dispose();
  });
});

describe('applyDelta', () => {
  it('refuses a delta made for another base', () => {
    const delta = Uint8Array.from([5, 3, 3, 0x61, 0x62, 0x63]);
    expect(() => applyDelta(new Uint8Array(4), delta)).toThrow(
      'Delta does not apply to its base'
    );
    expect(new TextDecoder().decode(applyDelta(new Uint8Array(5), delta))).toBe(
      'abc'
    );
  });
});
