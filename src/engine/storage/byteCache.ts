/**
 * A least-recently-used map bounded by the total size of its values in
 * bytes, not by their number: a cache of notebooks and one of small trees
 * then cost what they say. A value over a quarter of the bound is not kept.
 */
export class ByteCache<T> {
  private readonly _map = new Map<string, { value: T; bytes: number }>();
  private _bytes = 0;

  constructor(
    private readonly _maxBytes: number,
    private readonly _sizeOf: (value: T) => number
  ) {}

  get(key: string): T | undefined {
    const entry = this._map.get(key);
    if (entry) {
      this._map.delete(key);
      this._map.set(key, entry);
    }
    return entry?.value;
  }

  set(key: string, value: T): void {
    const bytes = this._sizeOf(value);
    if (bytes > this._maxBytes / 4) {
      return;
    }
    const old = this._map.get(key);
    if (old) {
      this._bytes -= old.bytes;
      this._map.delete(key);
    }
    this._map.set(key, { value, bytes });
    this._bytes += bytes;
    for (const [oldKey, entry] of this._map) {
      if (this._bytes <= this._maxBytes) {
        break;
      }
      this._map.delete(oldKey);
      this._bytes -= entry.bytes;
    }
  }

  /** The total size of the values held. */
  get bytes(): number {
    return this._bytes;
  }
}
