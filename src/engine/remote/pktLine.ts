import type { GitHttpResponse } from 'isomorphic-git';
import { concat, fromUtf8, utf8 } from '../models/bytes';
import { RemoteError } from '../errors';

/** A flush (`0000`), delimiter (`0001`) or response-end (`0002`) packet. */
export type PktSpecial = 'flush' | 'delim' | 'end';

/** A pkt-line: its payload, or a special packet. */
export type PktLine = Uint8Array | PktSpecial;

const SPECIAL: PktSpecial[] = ['flush', 'delim', 'end'];

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
 * Sees one line in place: a special packet, or the payload `bytes[start, end)`
 * (valid only during the call). Returns `stop` to consume it and stop, `keep`
 * to stop before it, anything else to go on.
 */
export type PktVisitor = (
  special: PktSpecial | null,
  bytes: Uint8Array,
  start: number,
  end: number
) => 'stop' | 'keep' | void;

/**
 * Reads the pkt-lines of a response body as they arrive. `each` shows them in
 * place, with no copy or object per line, so a long advertisement costs time
 * linear in its size and memory of one chunk; `next` returns one line.
 */
export class PktLineReader {
  private readonly _source: AsyncIterator<Uint8Array>;
  private _buffer: Uint8Array = new Uint8Array(0);
  private _at = 0;

  constructor(body: NonNullable<GitHttpResponse['body']>) {
    this._source = body[Symbol.asyncIterator]();
  }

  /** Visits lines until the visitor stops or the body ends. */
  async each(visit: PktVisitor): Promise<void> {
    for (;;) {
      const buffer = this._buffer;
      while (buffer.length - this._at >= 4) {
        const at = this._at;
        const length = parseHexLength(buffer, at);
        const special = length < 4 ? SPECIAL[length] : null;
        const size = special ? 4 : length;
        if (buffer.length - at < size) {
          break;
        }
        const verdict = visit(special, buffer, at + 4, at + size);
        if (verdict === 'keep') {
          return;
        }
        this._at = at + size;
        if (verdict === 'stop') {
          return;
        }
      }
      const { value, done } = await this._source.next();
      if (done) {
        if (this._at < this._buffer.length) {
          throw new RemoteError('error', 'the remote sent a truncated answer');
        }
        return;
      }
      this._buffer =
        this._at < this._buffer.length
          ? concat([this._buffer.subarray(this._at), value])
          : value;
      this._at = 0;
    }
  }

  /** The next line (a copy), or undefined at the end of the body. */
  async next(): Promise<PktLine | undefined> {
    return this._take('stop');
  }

  /** The next line (a copy), left to be read again. */
  async peek(): Promise<PktLine | undefined> {
    return this._take('keep');
  }

  private async _take(verdict: 'stop' | 'keep'): Promise<PktLine | undefined> {
    let line: PktLine | undefined;
    await this.each((special, bytes, start, end) => {
      line = special ?? bytes.slice(start, end);
      return verdict;
    });
    return line;
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
