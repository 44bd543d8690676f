/** Byte helpers shared by the object models. */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) {
    length += chunk.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const HEX_DIGITS = utf8('0123456789abcdef');

/** Hex of the bytes, built as one string (ids are made by the million in an index build). */
export function toHex(bytes: Uint8Array): string {
  const codes = new Array<number>(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    codes[2 * i] = HEX_DIGITS[bytes[i] >> 4];
    codes[2 * i + 1] = HEX_DIGITS[bytes[i] & 15];
  }
  return String.fromCharCode.apply(null, codes);
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] =
      (hexValue(hex.charCodeAt(2 * i)) << 4) |
      hexValue(hex.charCodeAt(2 * i + 1));
  }
  return out;
}

/** The value of one hex digit's char code (0-9, a-f, A-F). */
function hexValue(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

/** Compares two byte strings as git sorts paths (memcmp). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return a.length - b.length;
}

export const OID_PATTERN = /^[0-9a-f]{40}$/;

/** The object id git writes for "no object" (a ref created or deleted). */
export const ZERO_OID = '0'.repeat(40);
