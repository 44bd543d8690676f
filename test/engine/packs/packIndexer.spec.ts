import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, cliCommit, gitCli } from '../backends';
import { CorruptPackError } from '../../../src/engine/errors';
import { indexPackFile } from '../../../src/engine/packs/packIndexer';
import { ObjectStore } from '../../../src/engine/storage/objects';

/** A repository git packed with delta chains of both kinds of base reference. */
function packedByGit(deltaBaseOffset: boolean): string {
  const dir = nodeFs.mkdtempSync('/tmp/gcp-idx-');
  gitCli(dir, 'init', '-q');
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i}`);
  for (let v = 0; v < 20; v++) {
    lines[(v * 31) % lines.length] = `version ${v} ${'y'.repeat(v)}`;
    cliCommit(dir, 'big.txt', lines.join('\n'), `v${v}`);
    cliCommit(dir, `dir/small-${v % 4}.txt`, `small ${v}`, `s${v}`);
  }
  gitCli(
    dir,
    '-c',
    `repack.useDeltaBaseOffset=${deltaBaseOffset}`,
    'repack',
    '-q',
    '-a',
    '-d',
    '-f',
    '--depth=10'
  );
  return dir;
}

function packOf(dir: string) {
  const packDir = join(dir, '.git/objects/pack');
  const name = nodeFs.readdirSync(packDir).find(n => n.endsWith('.pack'))!;
  return join(packDir, name);
}

describe('indexPackFile', () => {
  it.each([
    ['offset deltas', true],
    ['ref deltas', false]
  ])(
    'writes the index git writes, for a pack with %s (%s)',
    async (_name, ofs) => {
      const source = packedByGit(ofs);
      const verify = gitCli(source, 'verify-pack', '-v', packOf(source));
      expect(verify).toMatch(/chain length = [2-9]/);
      const all = gitCli(
        source,
        'cat-file',
        '--batch-all-objects',
        '--batch-check'
      )
        .trim()
        .split('\n')
        .map(line => line.split(' '));
      const gitIdx = nodeFs.readFileSync(
        packOf(source).replace(/pack$/, 'idx')
      );
      for (const backend of BACKENDS) {
        const ws = await backend.make();
        const packDir = `${ws.dir}/.git/objects/pack`;
        await ws.fs.promises.mkdir(packDir, { recursive: true });
        const packPath = `${packDir}/${packOf(source).split('/').pop()}`;
        await ws.fs.promises.writeFile(
          packPath,
          nodeFs.readFileSync(packOf(source))
        );
        const result = await indexPackFile(ws.fs, ws.codec, packPath);
        expect(result.idxPath).toBe(packPath.replace(/pack$/, 'idx'));
        expect(result.objectCount).toBe(all.length);
        const written = Buffer.from(
          await ws.fs.promises.readFile(result.idxPath)
        );
        expect(written.equals(gitIdx)).toBe(true);
        expect(await ws.fs.promises.readdir(packDir)).toHaveLength(2);
        const copy = await ws.onDisk();
        expect(
          gitCli(copy, 'verify-pack', packPath.replace(ws.dir, copy))
        ).toBe('');
        // Every object reads back byte-identical through the engine's reader.
        const store = new ObjectStore(ws.fs, `${ws.dir}/.git`, ws.codec);
        for (const [oid, type] of all) {
          const object = await store.read(oid);
          expect(object.type).toBe(type);
          const expected = execFileSync('git', ['cat-file', type, oid], {
            cwd: source
          });
          expect(Buffer.from(object.content).equals(expected)).toBe(true);
        }
        await store.close();
      }
    }
  );

  it('refuses a truncated pack with CorruptPack and writes no index', async () => {
    const source = packedByGit(true);
    const ws = await BACKENDS[0].make();
    const packPath = join(ws.dir, 'pack-test.pack');
    const bytes = nodeFs.readFileSync(packOf(source));
    nodeFs.writeFileSync(packPath, bytes.subarray(0, bytes.length - 200));
    const failure = await indexPackFile(ws.fs, ws.codec, packPath).catch(
      e => e
    );
    expect(failure).toBeInstanceOf(CorruptPackError);
    expect(failure.code).toBe('CorruptPack');
    expect(nodeFs.readdirSync(ws.dir)).toEqual(['pack-test.pack']);
  });
});
