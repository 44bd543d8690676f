import type { GitHttpResponse, HttpClient } from 'isomorphic-git';
import { concat, fromUtf8, utf8 } from '../models/bytes';

/**
 * isomorphic-git's fetch fails with "Could not find HEAD" when the server
 * advertises no HEAD, even when a branch is named (isomorphic-git issue #1654).
 * That is the usual state of a remote shared by many users, each pushing only
 * their own branch: HEAD names a default branch nobody created.
 *
 * This client adds `symref=HEAD:refs/heads/<branch>` to such an upload-pack
 * advertisement. isomorphic-git only records it as the remote's default
 * branch, in refs that `objectsOnlyFs` drops anyway; what is fetched is
 * unchanged. Advertisements that name HEAD pass through untouched.
 */
export function withHeadHint(http: HttpClient, branch: string): HttpClient {
  return {
    async request(request) {
      const response = await http.request(request);
      if (
        request.method !== 'GET' ||
        !/\/info\/refs\?service=git-upload-pack$/.test(request.url) ||
        response.statusCode !== 200 ||
        !response.body
      ) {
        return response;
      }
      const body = await collect(response.body);
      return { ...response, body: once(addHeadHint(body, branch)) };
    }
  };
}

/** The advertisement with the hint in its first ref line's capabilities, when HEAD is missing. */
export function addHeadHint(
  advertisement: Uint8Array,
  branch: string
): Uint8Array {
  const lines = pktLines(advertisement);
  if (!lines) {
    return advertisement;
  }
  const first = lines.findIndex(line => line !== null && line.includes('\0'));
  if (first < 0) {
    return advertisement;
  }
  const text = lines[first]!;
  const names = lines.map(
    line => (line ?? '').split('\0')[0].trim().split(' ')[1]
  );
  if (text.includes('symref=HEAD:') || names.includes('HEAD')) {
    return advertisement;
  }
  lines[first] = text.replace(/\n?$/, ` symref=HEAD:refs/heads/${branch}\n`);
  return concat(lines.map(line => (line === null ? utf8('0000') : pkt(line))));
}

/** Splits pkt-lines (null for a flush); null if the bytes are not pkt-lines. */
function pktLines(bytes: Uint8Array): Array<string | null> | null {
  const lines: Array<string | null> = [];
  let at = 0;
  while (at < bytes.length) {
    const length = parseInt(fromUtf8(bytes.subarray(at, at + 4)), 16);
    if (
      !Number.isInteger(length) ||
      (length !== 0 && length < 4) ||
      at + Math.max(length, 4) > bytes.length
    ) {
      return null;
    }
    lines.push(
      length === 0 ? null : fromUtf8(bytes.subarray(at + 4, at + length))
    );
    at += Math.max(length, 4);
  }
  return lines;
}

function pkt(line: string): Uint8Array {
  const payload = utf8(line);
  return concat([
    utf8((payload.length + 4).toString(16).padStart(4, '0')),
    payload
  ]);
}

async function collect(
  body: NonNullable<GitHttpResponse['body']>
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) {
    chunks.push(chunk);
  }
  return concat(chunks);
}

function once(bytes: Uint8Array): AsyncIterableIterator<Uint8Array> {
  async function* single() {
    yield bytes;
  }
  return single();
}
