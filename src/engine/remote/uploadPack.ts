import type { GitHttpResponse, HttpClient } from 'isomorphic-git';
import { RemoteError } from '../errors';
import { concat, fromUtf8 } from '../models/bytes';
import { httpFailure, notGit } from './failure';
import { DELIM, FLUSH, lineText, pkt, PktLineReader } from './pktLine';
import { afterServiceHeader, scanAdvertisement } from './refAdvertisement';

export const USER_AGENT = 'git/git-checkpoints';

/** What the remote holds for one ref, and the pack that brings it, when one was needed. */
export interface IFetched {
  oid: string;
  /**
   * The pack's bytes as they arrive, to be read once (the answer is not held
   * whole); null when the remote's commit is one of the `haves`.
   */
  pack: AsyncIterable<Uint8Array> | null;
  protocol: 0 | 2;
}

export interface IFetchRequest {
  http: HttpClient;
  /** The repository's URL, e.g. `https://host/team.git`. */
  url: string;
  /** The full ref name, e.g. `refs/heads/alice-dev`. */
  ref: string;
  /** Commits we have that the remote may know: only what is missing below them is sent. */
  haves: string[];
  /** Our `.git/shallow` entries, so the remote knows where our history stops. */
  shallow: string[];
}

/**
 * Fetches one ref over smart HTTP with git's protocol v2 where the remote
 * offers it (`ls-refs` limited to the ref, then `fetch` of just its commit),
 * else with v0, reading the advertisement line by line and keeping only that
 * ref. Either way the cost does not grow with the other refs the remote
 * holds (v0 apart from the advertisement's bytes). Null: no such ref.
 *
 * Asks for no thin pack, so the pack is complete as it is stored.
 */
export async function fetchRef(
  request: IFetchRequest
): Promise<IFetched | null> {
  const response = await request.http.request({
    method: 'GET',
    url: `${request.url}/info/refs?service=git-upload-pack`,
    headers: { 'Git-Protocol': 'version=2', 'User-Agent': USER_AGENT }
  });
  const lines = await afterServiceHeader(okBody(response));
  const first = await lines.peek();
  if (first === undefined || typeof first === 'string') {
    throw notGit();
  }
  if (lineText(first) === 'version 2') {
    await lines.next();
    return fetchV2(request, await readCapabilities(lines));
  }
  const advertised = await scanAdvertisement(lines, request.ref);
  if (!advertised.oid) {
    return null;
  }
  return {
    oid: advertised.oid,
    protocol: 0,
    pack: request.haves.includes(advertised.oid)
      ? null
      : await uploadPack(request, v0Request(request, advertised))
  };
}

async function fetchV2(
  request: IFetchRequest,
  capabilities: Map<string, string>
): Promise<IFetched | null> {
  if (!capabilities.has('ls-refs') || !capabilities.has('fetch')) {
    throw new RemoteError('error', 'the remote offers no ls-refs or fetch');
  }
  const format = capabilities.has('object-format')
    ? [pkt('object-format=sha1\n')]
    : [];
  const command = (name: string, args: string[]) =>
    concat([
      pkt(`command=${name}\n`),
      pkt(`agent=${USER_AGENT.slice(4)}\n`),
      ...format,
      DELIM,
      ...args.map(arg => pkt(`${arg}\n`)),
      FLUSH
    ]);
  const listing = await post(
    request,
    command('ls-refs', [`ref-prefix ${request.ref}`]),
    true
  );
  let oid: string | null = null;
  const listed = new PktLineReader(okBody(listing));
  for (
    let line = await listed.next();
    line !== 'flush';
    line = await listed.next()
  ) {
    if (line === undefined) {
      throw new RemoteError('error', 'the remote sent a truncated listing');
    }
    if (typeof line !== 'string') {
      const [id, name] = lineText(line).split(' ');
      // A prefix matches longer names too.
      if (name === request.ref) {
        oid = id;
      }
    }
  }
  if (!oid) {
    return null;
  }
  if (request.haves.includes(oid)) {
    return { oid, pack: null, protocol: 2 };
  }
  const args = [
    'ofs-delta',
    'no-progress',
    `want ${oid}`,
    ...request.haves.map(have => `have ${have}`),
    ...request.shallow.map(commit => `shallow ${commit}`),
    'done'
  ];
  const pack = await uploadPack(request, command('fetch', args), true);
  return { oid, pack, protocol: 2 };
}

function v0Request(
  request: IFetchRequest,
  advertised: { oid: string | null; capabilities: string[] }
): Uint8Array {
  const offered = new Set(advertised.capabilities);
  if (!offered.has('side-band-64k') && !offered.has('side-band')) {
    throw new RemoteError('error', 'the remote offers no side-band');
  }
  const wanted = ['side-band-64k', 'ofs-delta', 'no-progress'].filter(c =>
    offered.has(c)
  );
  if (!wanted.includes('side-band-64k')) {
    wanted.push('side-band');
  }
  const shallow = offered.has('shallow') ? request.shallow : [];
  return concat([
    pkt(
      `want ${advertised.oid} ${wanted.join(' ')} agent=${USER_AGENT.slice(4)}\n`
    ),
    ...shallow.map(commit => pkt(`shallow ${commit}\n`)),
    FLUSH,
    ...request.haves.map(have => pkt(`have ${have}\n`)),
    pkt('done\n')
  ]);
}

/** Sends an upload-pack request; the pack of its answer is read as it streams. */
async function uploadPack(
  request: IFetchRequest,
  body: Uint8Array,
  v2 = false
): Promise<AsyncIterable<Uint8Array>> {
  const response = await post(request, body, v2);
  return packOf(new PktLineReader(okBody(response)));
}

/**
 * The pack's bytes from an upload-pack answer. Acknowledgments, shallow-info
 * and section headers come before the side-band packets (band 1: pack,
 * 2: progress, 3: a fatal error).
 */
async function* packOf(lines: PktLineReader): AsyncGenerator<Uint8Array> {
  let received = 0;
  let head = new Uint8Array(0);
  for (
    let line = await lines.next();
    line !== undefined;
    line = await lines.next()
  ) {
    if (typeof line === 'string') {
      if (line === 'flush' && received > 0) {
        break;
      }
      continue;
    }
    const band = line[0];
    if (band === 1) {
      const data = line.subarray(1);
      if (head.length < 4) {
        head = concat([head, data.subarray(0, 4 - head.length)]);
        if (head.length === 4 && fromUtf8(head) !== 'PACK') {
          throw new RemoteError('error', 'the remote sent no pack');
        }
      }
      received += data.length;
      yield data;
    } else if (band === 3) {
      throw new RemoteError(
        'error',
        `the remote failed: ${lineText(line.subarray(1))}`
      );
    } else if (band !== 2 && lineText(line).startsWith('ERR ')) {
      throw new RemoteError(
        'error',
        `the remote failed: ${lineText(line).slice(4)}`
      );
    }
  }
  if (received < 32) {
    throw new RemoteError('error', 'the remote sent no pack');
  }
}

function post(
  request: IFetchRequest,
  body: Uint8Array,
  v2: boolean
): Promise<GitHttpResponse> {
  return request.http.request({
    method: 'POST',
    url: `${request.url}/git-upload-pack`,
    headers: {
      'Content-Type': 'application/x-git-upload-pack-request',
      Accept: 'application/x-git-upload-pack-result',
      'User-Agent': USER_AGENT,
      ...(v2 ? { 'Git-Protocol': 'version=2' } : {})
    },
    body: [body] as any
  });
}

/** The body of a 200 answer; any other status is the failure it means. */
export function okBody(
  response: GitHttpResponse
): NonNullable<GitHttpResponse['body']> {
  if (response.statusCode !== 200) {
    throw httpFailure(response.statusCode);
  }
  if (!response.body) {
    throw notGit();
  }
  return response.body;
}

async function readCapabilities(
  lines: PktLineReader
): Promise<Map<string, string>> {
  const capabilities = new Map<string, string>();
  for (
    let line = await lines.next();
    line !== undefined && line !== 'flush';
    line = await lines.next()
  ) {
    if (typeof line !== 'string') {
      const [name, ...rest] = lineText(line).split('=');
      capabilities.set(name, rest.join('='));
    }
  }
  return capabilities;
}
