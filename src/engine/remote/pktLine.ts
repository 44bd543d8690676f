import type { GitHttpResponse } from 'isomorphic-git';
import { concat, fromUtf8, utf8 } from '../models/bytes';
import { RemoteError } from '../errors';

/** A pkt-line: its payload, or a flush (`0000`) / delimiter (`0001`) / response-end (`0002`) packet. */
export type PktLine = Uint8Array | 'flush' | 'delim' | 'end';

const SPECIAL: PktLine[] = ['flush', 'delim', 'end'];

/** One pkt-line holding `text` (git's 4-hex-digit length framing). */
export function pkt(text: string | Uint8Array): Uint8Array {
  const payload = typeof text === 'string' ? utf8(text) : text;
  return concat([
    utf8((payload.length + 4).toString(16).padStart(4, '0')),
    payload
  ]);
}

export const FLUSH = utf8('0000');
export const DELIM = utf8('0001');

/**
 * The pkt-lines of a response body, as they arrive: nothing beyond the line
 * being read is kept, so a long advertisement costs time linear in its size
 * and memory of one chunk.
 */
export async function* readPktLines(
  body: NonNullable<GitHttpResponse['body']>
): AsyncGenerator<PktLine> {
  let buffer: Uint8Array = new Uint8Array(0);
  let at = 0;
  for await (const chunk of body) {
    buffer = at < buffer.length ? concat([buffer.subarray(at), chunk]) : chunk;
    at = 0;
    while (buffer.length - at >= 4) {
      const length = parseHexLength(buffer, at);
      if (length < 4) {
        yield SPECIAL[length];
        at += 4;
        continue;
      }
      if (buffer.length - at < length) {
        break;
      }
      yield buffer.subarray(at + 4, at + length);
      at += length;
    }
  }
  if (at < buffer.length) {
    throw new RemoteError('error', 'the remote sent a truncated answer');
  }
}

/** A payload as text, without its trailing newline. */
export function lineText(line: Uint8Array): string {
  const text = fromUtf8(line);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function parseHexLength(bytes: Uint8Array, at: number): number {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const c = bytes[i];
    const digit =
      c >= 48 && c <= 57
        ? c - 48
        : c >= 97 && c <= 102
          ? c - 87
          : c >= 65 && c <= 70
            ? c - 55
            : -1;
    if (digit < 0) {
      throw new RemoteError('error', 'the remote sent no git protocol answer');
    }
    value = value * 16 + digit;
  }
  if (value === 3) {
    throw new RemoteError('error', 'the remote sent a malformed pkt-line');
  }
  return value;
}
