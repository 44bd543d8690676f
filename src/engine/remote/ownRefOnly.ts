import type { HttpClient } from 'isomorphic-git';
import { concat, ZERO_OID } from '../models/bytes';
import { FLUSH, pkt } from './pktLine';
import { afterServiceHeader, scanAdvertisement } from './refAdvertisement';

/**
 * An http client for isomorphic-git's push that shows it a receive-pack
 * advertisement of `ref` alone. Smart HTTP has no protocol v2 for pushes, so
 * a remote with a branch per user sends every branch; read as it streams
 * (see `scanAdvertisement`), they cost a scan instead of isomorphic-git's map
 * of all refs and its walk over every advertised commit. The push only needs
 * the branch's commit and the capabilities.
 */
export function ownRefOnly(http: HttpClient, ref: string): HttpClient {
  return {
    async request(request) {
      const response = await http.request(request);
      if (
        request.method !== 'GET' ||
        !/\/info\/refs\?service=git-receive-pack$/.test(request.url) ||
        response.statusCode !== 200 ||
        !response.body
      ) {
        return response;
      }
      const { oid, capabilities } = await scanAdvertisement(
        await afterServiceHeader(response.body),
        ref
      );
      const first = `${oid ?? ZERO_OID} ${oid ? ref : 'capabilities^{}'}`;
      const body = concat([
        pkt('# service=git-receive-pack\n'),
        FLUSH,
        pkt(`${first}\0${capabilities.join(' ')}\n`),
        FLUSH
      ]);
      return { ...response, body: once(body) };
    }
  };
}

function once(bytes: Uint8Array): AsyncIterableIterator<Uint8Array> {
  async function* single() {
    yield bytes;
  }
  return single();
}
