import type { ICodec, IFileSystem } from '../api';
import { RemoteError } from '../errors';
import { toHex } from '../models/bytes';
import { join } from '../paths';
import { exists } from '../storage/objects';
import { indexPackFile } from '../packs/packIndexer';

/**
 * Stores a pack the remote sent as `.git/objects/pack/pack-<checksum>.pack`
 * with its index, as `git fetch` does. The pack is checked against its own
 * trailing checksum first, then written under a temporary name and renamed:
 * a reader never sees half a pack, and a pack without its index is ignored
 * by git until the index follows.
 */
export async function storeReceivedPack(
  fs: IFileSystem,
  codec: ICodec,
  gitdir: string,
  pack: Uint8Array
): Promise<string> {
  const body = pack.subarray(0, pack.length - 20);
  const checksum = toHex(pack.subarray(pack.length - 20));
  if ((await codec.sha1(body)) !== checksum) {
    throw new RemoteError('error', 'the remote sent a damaged pack');
  }
  const dir = join(gitdir, 'objects/pack');
  const packPath = join(dir, `pack-${checksum}.pack`);
  if (await exists(fs, packPath.replace(/\.pack$/, '.idx'))) {
    return packPath;
  }
  await fs.promises.mkdir(dir, { recursive: true }).catch(() => undefined);
  const temp = join(dir, `tmp_pack_${Math.random().toString(36).slice(2)}`);
  try {
    await fs.promises.writeFile(temp, pack);
    await fs.promises.rename(temp, packPath);
    await indexPackFile(fs, codec, packPath);
  } catch (error) {
    // Nothing half-written stays: the next fetch asks for the pack again.
    await fs.promises.unlink(temp).catch(() => undefined);
    await fs.promises.unlink(packPath).catch(() => undefined);
    throw error;
  }
  return packPath;
}
