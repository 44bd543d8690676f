import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync
} from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { BACKENDS, gitCli } from '../backends';
import { concat, fromHex } from '../../../src/engine/models/bytes';
import { encodeDelta } from '../../../src/engine/packs/deltaEncoder';
import { crc32 } from '../../../src/engine/packs/crc32';
import { ObjectStore } from '../../../src/engine/storage/objects';
import {
  buildIdx,
  encodeEntryHeader,
  encodeOffsetBack,
  OFS_DELTA,
  TYPE_CODES,
  wrapObject
} from '../../../src/engine/packs/packFormat';
import { nodeCodec } from '../../../src/server/nodeCodec';

const GiB = 2 ** 30;

/**
 * A pack of 5 GiB whose objects sit past 2 and 4 GiB, written as a sparse
 * file (the gaps take no disk): the index needs its large-offset table, and
 * reading the pack whole would fail (Node reads at most 2 GiB at once).
 */
describe('a pack over 2 GiB', () => {
  it('opens, and its objects past 2 and 4 GiB read as git reads them', async () => {
    const ws = await BACKENDS[0].make();
    gitCli(ws.dir, 'init', '-q');
    const packDir = join(ws.dir, '.git/objects/pack');
    mkdirSync(packDir, { recursive: true });
    const text = (n: number) =>
      new TextEncoder().encode(
        Array.from({ length: 2000 }, (_, i) => `row ${i} ${i % n}`).join('\n')
      );
    const small = new TextEncoder().encode('first object\n');
    const base = text(7);
    const target = text(9);
    const oids = await Promise.all(
      [small, base, target].map(c => nodeCodec.sha1(wrapObject('blob', c)))
    );
    const whole = (content: Uint8Array) =>
      concat([
        encodeEntryHeader(TYPE_CODES.blob, content.length),
        deflateSync(content)
      ]);
    const delta = encodeDelta(base, target)!;
    const at = [12, 3 * GiB, 5 * GiB - 4096];
    const entries = [
      whole(small),
      whole(base),
      concat([
        encodeEntryHeader(OFS_DELTA, delta.length),
        encodeOffsetBack(at[2] - at[1]),
        deflateSync(delta)
      ])
    ];
    const head = Uint8Array.from([
      ...new TextEncoder().encode('PACK'),
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3
    ]);
    const checksum = fromHex(await nodeCodec.sha1(concat(entries)));
    const end = at[2] + entries[2].length;
    const packPath = join(packDir, 'pack-large.pack');
    const fd = openSync(packPath, 'w');
    writeSync(fd, head, 0, head.length, 0);
    entries.forEach((entry, i) => writeSync(fd, entry, 0, entry.length, at[i]));
    writeSync(fd, checksum, 0, 20, end);
    ftruncateSync(fd, end + 20);
    closeSync(fd);
    expect(statSync(packPath).size).toBeGreaterThan(5 * GiB);
    const idx = await buildIdx(
      nodeCodec,
      entries.map((entry, i) => ({
        oid: oids[i],
        offset: at[i],
        crc: crc32(entry)
      })),
      checksum
    );
    writeFileSync(join(packDir, 'pack-large.idx'), idx);

    const store = new ObjectStore(ws.fs, join(ws.dir, '.git'), ws.codec);
    const contents = [small, base, target];
    for (const [i, oid] of oids.entries()) {
      const object = await store.read(oid);
      expect(object.type).toBe('blob');
      expect(Buffer.from(object.content).equals(Buffer.from(contents[i]))).toBe(
        true
      );
      // git reads the same index and pack.
      const shown = execFileSync('git', ['cat-file', 'blob', oid], {
        cwd: ws.dir
      });
      expect(shown.equals(Buffer.from(contents[i]))).toBe(true);
    }
    await store.close();
    rmSync(ws.dir, { recursive: true, force: true });
  });
});
