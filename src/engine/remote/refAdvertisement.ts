import { RemoteError } from '../errors';
import { fromUtf8 } from '../models/bytes';
import { lineText, type PktLine } from './pktLine';
import { notGit } from './failure';

/** What a v0 ref advertisement says about one ref. */
export interface IAdvertisedRef {
  /** The ref's commit; null when the remote has no such ref. */
  oid: string | null;
  /** The capabilities of the first line. */
  capabilities: string[];
}

/**
 * Reads a v0 ref advertisement (after any `# service=` header) and keeps only
 * `ref` and the capabilities: on a remote shared by thousands of users the
 * other refs are most of the bytes and none of our business. Each line is
 * looked at once and dropped, so time is linear in the size and memory flat.
 */
export async function scanAdvertisement(
  lines: AsyncIterator<PktLine>,
  ref: string
): Promise<IAdvertisedRef> {
  const wanted = new TextEncoder().encode(ref);
  let capabilities: string[] | null = null;
  let oid: string | null = null;
  for (;;) {
    const { value, done } = await lines.next();
    if (done || value === 'flush') {
      break;
    }
    if (typeof value === 'string') {
      throw notGit();
    }
    if (capabilities === null) {
      const nul = value.indexOf(0);
      if (nul < 0) {
        throw new RemoteError('error', 'the remote sent no capabilities');
      }
      capabilities = lineText(value.subarray(nul + 1)).split(' ');
      if (names(value.subarray(0, nul), wanted)) {
        oid = fromUtf8(value.subarray(0, 40));
      }
    } else if (oid === null && names(value, wanted)) {
      oid = fromUtf8(value.subarray(0, 40));
    }
  }
  return { oid, capabilities: capabilities ?? [] };
}

/** Whether `<oid> <name>[\n]` names `wanted`, compared as bytes. */
function names(line: Uint8Array, wanted: Uint8Array): boolean {
  const end = line[line.length - 1] === 10 ? line.length - 1 : line.length;
  if (end - 41 !== wanted.length || line[40] !== 32) {
    return false;
  }
  for (let i = 0; i < wanted.length; i++) {
    if (line[41 + i] !== wanted[i]) {
      return false;
    }
  }
  return true;
}
