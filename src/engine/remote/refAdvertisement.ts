import { RemoteError } from '../errors';
import { fromUtf8, utf8 } from '../models/bytes';
import type { GitHttpResponse } from 'isomorphic-git';
import { lineText, PktLineReader } from './pktLine';
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
  lines: PktLineReader,
  ref: string
): Promise<IAdvertisedRef> {
  const wanted = utf8(ref);
  let capabilities: string[] | null = null;
  let oid: string | null = null;
  await lines.each((special, bytes, start, end) => {
    if (special === 'flush') {
      return 'stop';
    }
    if (special) {
      throw notGit();
    }
    let nameEnd = end;
    if (capabilities === null) {
      const nul = bytes.indexOf(0, start);
      if (nul < 0 || nul >= end) {
        throw new RemoteError('error', 'the remote sent no capabilities');
      }
      capabilities = lineText(bytes.subarray(nul + 1, end)).split(' ');
      nameEnd = nul;
    }
    if (oid === null && names(bytes, start, nameEnd, wanted)) {
      oid = fromUtf8(bytes.subarray(start, start + 40));
    }
  });
  return { oid, capabilities: capabilities ?? [] };
}

/** Whether `bytes[start, end)`, `<oid> <name>[\n]`, names `wanted`; compared in place. */
function names(
  bytes: Uint8Array,
  start: number,
  end: number,
  wanted: Uint8Array
): boolean {
  const last = bytes[end - 1] === 10 ? end - 1 : end;
  if (last - start - 41 !== wanted.length || bytes[start + 40] !== 32) {
    return false;
  }
  const from = start + 41;
  for (let i = 0; i < wanted.length; i++) {
    if (bytes[from + i] !== wanted[i]) {
      return false;
    }
  }
  return true;
}

/** The pkt-lines of an info/refs answer, past its `# service=` header if it has one. */
export async function afterServiceHeader(
  body: NonNullable<GitHttpResponse['body']>
): Promise<PktLineReader> {
  const lines = new PktLineReader(body);
  let header = false;
  await lines.each((special, bytes, start, end) => {
    if (!header) {
      header =
        !special &&
        lineText(bytes.subarray(start, end)).startsWith('# service=');
      return header ? undefined : 'keep';
    }
    return special === 'flush' ? 'stop' : undefined;
  });
  return lines;
}
