import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, cliCommit, gitCli } from '../backends';
import { RemoteError } from '../../../src/engine/errors';
import { storeReceivedPack } from '../../../src/engine/remote/receivedPack';

/** A pack git wrote, as a remote would send it. */
function gitPack(): Buffer {
  const dir = nodeFs.mkdtempSync('/tmp/gcp-recv-');
  gitCli(dir, 'init', '-q');
  for (let v = 0; v < 12; v++) {
    cliCommit(
      dir,
      `dir/file-${v % 3}.txt`,
      `version ${v}\n`.repeat(50),
      `v${v}`
    );
  }
  gitCli(dir, 'repack', '-q', '-a', '-d');
  const packDir = join(dir, '.git/objects/pack');
  const name = nodeFs.readdirSync(packDir).find(n => n.endsWith('.pack'))!;
  return nodeFs.readFileSync(join(packDir, name));
}

/** The pack in pieces of these sizes, the last piece taking the rest. */
async function* inPieces(pack: Uint8Array, sizes: number[]) {
  let at = 0;
  for (const size of sizes) {
    yield pack.subarray(at, at + size);
    at += size;
  }
  yield pack.subarray(at);
}

describe('storeReceivedPack', () => {
  const pack = gitPack();
  const checksum = pack.subarray(pack.length - 20).toString('hex');
  // Pieces shorter than the checksum, one splitting it, one ending just before it.
  const splits: Array<[string, number[]]> = [
    ['whole', []],
    ['in tiny pieces', Array.from({ length: 40 }, (_, i) => (i % 7) + 1)],
    ['split inside the checksum', [pack.length - 11]],
    ['ending just before the checksum', [100, pack.length - 120]]
  ];
  for (const backend of BACKENDS) {
    it.each(splits)(
      `stores the pack and its index as git would, received %s (${backend.name})`,
      async (_name, sizes) => {
        const ws = await backend.make();
        const gitdir = `${ws.dir}/.git`;
        const stored = await storeReceivedPack(
          ws.fs,
          ws.codec,
          gitdir,
          inPieces(pack, sizes)
        );
        expect(stored).toBe(`${gitdir}/objects/pack/pack-${checksum}.pack`);
        expect(
          Buffer.from(await ws.fs.promises.readFile(stored)).equals(pack)
        ).toBe(true);
        const names = await ws.fs.promises.readdir(`${gitdir}/objects/pack`);
        expect(names.sort()).toEqual([
          `pack-${checksum}.idx`,
          `pack-${checksum}.pack`
        ]);
        const disk = await ws.onDisk();
        expect(
          gitCli(
            disk,
            'verify-pack',
            join(disk, `.git/objects/pack/pack-${checksum}.idx`)
          )
        ).toBe('');
      }
    );

    it(`refuses a damaged pack and leaves nothing behind (${backend.name})`, async () => {
      const ws = await backend.make();
      const gitdir = `${ws.dir}/.git`;
      const damaged = Buffer.from(pack);
      damaged[damaged.length >> 1] ^= 0xff;
      const failure = await storeReceivedPack(
        ws.fs,
        ws.codec,
        gitdir,
        inPieces(damaged, [1000])
      ).catch(error => error);
      expect(failure).toBeInstanceOf(RemoteError);
      expect(failure.message).toMatch(/damaged pack/);
      expect(await ws.fs.promises.readdir(`${gitdir}/objects/pack`)).toEqual(
        []
      );
    });
  }
});
