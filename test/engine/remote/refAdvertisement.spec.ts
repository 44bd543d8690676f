import { concat } from '../../../src/engine/models/bytes';
import { FLUSH, pkt, PktLineReader } from '../../../src/engine/remote/pktLine';
import {
  afterServiceHeader,
  scanAdvertisement
} from '../../../src/engine/remote/refAdvertisement';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** The bytes in chunks of `size`, as a slow network would hand them over. */
async function* chunked(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) {
    yield bytes.subarray(at, at + size);
  }
}

const advertisement = concat([
  pkt('# service=git-receive-pack\n'),
  FLUSH,
  pkt(`${B} refs/heads/alice-dev2\0report-status side-band-64k ofs-delta\n`),
  pkt(`${B} refs/heads/alice\n`),
  pkt(`${A} refs/heads/alice-dev\n`),
  pkt(`${B} refs/heads/bob-dev\n`),
  FLUSH
]);

describe('scanAdvertisement', () => {
  it.each([1, 7, 4096])(
    'keeps only the wanted ref and the capabilities (chunks of %i bytes)',
    async size => {
      const lines = await afterServiceHeader(
        chunked(advertisement, size) as any
      );
      expect(await scanAdvertisement(lines, 'refs/heads/alice-dev')).toEqual({
        oid: A,
        capabilities: ['report-status', 'side-band-64k', 'ofs-delta']
      });
    }
  );

  it('says null for a ref the remote lacks, and reads an empty repository', async () => {
    const empty = concat([
      pkt(`${'0'.repeat(40)} capabilities^{}\0report-status\n`),
      FLUSH
    ]);
    for (const bytes of [advertisement, empty]) {
      const lines = await afterServiceHeader(chunked(bytes, 5) as any);
      expect(
        (await scanAdvertisement(lines, 'refs/heads/carol')).oid
      ).toBeNull();
    }
  });

  it('refuses bytes that are no pkt-lines, with a typed error', async () => {
    const lines = new PktLineReader(
      chunked(new TextEncoder().encode('<html>'), 3) as any
    );
    await expect(
      scanAdvertisement(lines, 'refs/heads/x')
    ).rejects.toMatchObject({
      code: 'RemoteError',
      message: 'the remote sent no git protocol answer'
    });
  });
});
