/** The part of pako 1.x (isomorphic-git's inflater) that inflatePrefix uses. */
declare module 'pako' {
  class Inflate {
    push(data: Uint8Array, last: boolean): boolean;
    err: number;
    msg: string;
    result: Uint8Array | string;
    strm: { avail_in: number };
  }
  const pako: { Inflate: typeof Inflate };
  export default pako;
}
