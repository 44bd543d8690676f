import type { ICodec } from '../engine/api';

/**
 * SHA-1 and zlib from the web platform (WebCrypto, CompressionStream): native
 * in every current browser, and in Node too.
 */
export const webCodec: ICodec = {
  async sha1(data) {
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', data));
    return Array.from(hash, byte => byte.toString(16).padStart(2, '0')).join(
      ''
    );
  },
  deflate(data) {
    return through(data, new CompressionStream('deflate'));
  },
  inflate(data) {
    return through(data, new DecompressionStream('deflate'));
  }
};

async function through(
  data: Uint8Array,
  transform: TransformStream<Uint8Array, Uint8Array>
): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
