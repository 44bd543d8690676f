import type { ICodec, IFileSystem } from '../api';
import { RemoteError } from '../errors';
import { concat, toHex } from '../models/bytes';
import { join } from '../paths';
import { exists } from '../storage/objects';
import { indexPackFile } from '../packs/packIndexer';

/** Received bytes gathered before each write: fewer, larger writes. */
const WRITE_BYTES = 1 << 20;

/**
 * Stores a pack the remote sends as `.git/objects/pack/pack-<checksum>.pack`
 * with its index, as `git fetch` does. The pack goes to a temporary file as
 * it arrives (where the fs writes by position and the codec hashes piece by
 * piece; else it is gathered whole first), is checked against its own
 * trailing checksum, then renamed: a reader never sees half a pack, and a
 * pack without its index is ignored by git until the index follows.
 */
export async function storeReceivedPack(
  fs: IFileSystem,
  codec: ICodec,
  gitdir: string,
  pack: AsyncIterable<Uint8Array>
): Promise<string> {
  const dir = join(gitdir, 'objects/pack');
  await fs.promises.mkdir(dir, { recursive: true }).catch(() => undefined);
  const temp = join(dir, `tmp_pack_${Math.random().toString(36).slice(2)}`);
  let packPath: string | null = null;
  try {
    const { body, checksum } = await receive(fs, codec, temp, pack);
    if (body !== checksum) {
      throw new RemoteError('error', 'the remote sent a damaged pack');
    }
    packPath = join(dir, `pack-${checksum}.pack`);
    if (await exists(fs, packPath.replace(/\.pack$/, '.idx'))) {
      await fs.promises.unlink(temp);
      return packPath;
    }
    await fs.promises.rename(temp, packPath);
    await indexPackFile(fs, codec, packPath);
  } catch (error) {
    // Nothing half-written stays: the next fetch asks for the pack again.
    await fs.promises.unlink(temp).catch(() => undefined);
    if (packPath) {
      await fs.promises.unlink(packPath).catch(() => undefined);
    }
    throw error;
  }
  return packPath;
}

/**
 * Writes the pack to `path`: the SHA-1 of its body and the checksum it ends
 * with (its last 20 bytes), both hex.
 */
async function receive(
  fs: IFileSystem,
  codec: ICodec,
  path: string,
  pack: AsyncIterable<Uint8Array>
): Promise<{ body: string; checksum: string }> {
  const open = fs.promises.open;
  const hasher = codec.sha1Hasher?.();
  if (!open || !hasher) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of pack) {
      chunks.push(chunk);
    }
    const whole = concat(chunks);
    await fs.promises.writeFile(path, whole);
    return {
      body: await codec.sha1(whole.subarray(0, whole.length - 20)),
      checksum: toHex(whole.subarray(whole.length - 20))
    };
  }
  const handle = await open.call(fs.promises, path, 'w');
  try {
    let written = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    // The last 20 bytes seen: the checksum, if nothing follows them.
    let tail = new Uint8Array(0);
    const write = async () => {
      const data = concat(pending);
      pending = [];
      pendingBytes = 0;
      for (let at = 0; at < data.length;) {
        const { bytesWritten } = await handle.write(
          data,
          at,
          data.length - at,
          written + at
        );
        at += bytesWritten;
      }
      written += data.length;
    };
    for await (const chunk of pack) {
      const seen = chunk.length >= 20 ? chunk : concat([tail, chunk]);
      if (seen === chunk) {
        hasher.update(tail);
      }
      hasher.update(seen.subarray(0, Math.max(0, seen.length - 20)));
      tail = seen.slice(Math.max(0, seen.length - 20));
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= WRITE_BYTES) {
        await write();
      }
    }
    await write();
    return { body: hasher.digest(), checksum: toHex(tail) };
  } finally {
    await handle.close();
  }
}
