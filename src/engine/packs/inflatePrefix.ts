import pako from 'pako';
import type { ICodec } from '../api';

/**
 * Inflates the zlib stream at the start of `data` and tells how many bytes it
 * took: the host's native inflater when it has one, pako otherwise.
 */
export function inflatePrefix(
  codec: ICodec,
  data: Uint8Array,
  size?: number
): { content: Uint8Array; consumed: number } {
  if (codec.inflatePrefix) {
    return codec.inflatePrefix(data, size);
  }
  const inflater = new pako.Inflate();
  inflater.push(data, true);
  if (inflater.err) {
    throw new Error(inflater.msg || 'invalid zlib stream');
  }
  return {
    content: inflater.result as Uint8Array,
    consumed: data.length - inflater.strm.avail_in
  };
}
