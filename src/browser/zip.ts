/**
 * The zip archive format, enough to export a `.git` directory and read it
 * back: entries are stored (git's objects are compressed already); reading
 * also takes deflated entries, as `zip -r .git` writes them.
 */
export namespace Zip {
  export interface IEntry {
    /** Path inside the archive, '/'-separated. */
    path: string;
    data: Uint8Array;
  }

  export function write(entries: IEntry[]): Uint8Array {
    const chunks: Uint8Array[] = [];
    const central: Uint8Array[] = [];
    let offset = 0;
    for (const { path, data } of entries) {
      const name = encoder.encode(path);
      const crc = crc32(data);
      const local = header(LOCAL, 30, name, crc, data.length);
      central.push(header(CENTRAL, 46, name, crc, data.length, offset));
      chunks.push(local, data);
      offset += local.length + data.length;
    }
    const size = central.reduce((sum, c) => sum + c.length, 0);
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, END, true);
    end.setUint16(8, entries.length, true);
    end.setUint16(10, entries.length, true);
    end.setUint32(12, size, true);
    end.setUint32(16, offset, true);
    return concat([...chunks, ...central, new Uint8Array(end.buffer)]);
  }

  export async function read(zip: Uint8Array): Promise<IEntry[]> {
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let end = zip.length - 22;
    while (end >= 0 && view.getUint32(end, true) !== END) {
      end--;
    }
    if (end < 0) {
      throw new Error('Not a zip archive');
    }
    const count = view.getUint16(end + 10, true);
    let at = view.getUint32(end + 16, true);
    const entries: IEntry[] = [];
    for (let i = 0; i < count; i++) {
      if (view.getUint32(at, true) !== CENTRAL) {
        throw new Error('Damaged zip archive');
      }
      const method = view.getUint16(at + 10, true);
      const size = view.getUint32(at + 20, true);
      const nameLength = view.getUint16(at + 28, true);
      const skip =
        nameLength +
        view.getUint16(at + 30, true) +
        view.getUint16(at + 32, true);
      const local = view.getUint32(at + 42, true);
      const path = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
      at += 46 + skip;
      if (path.endsWith('/')) {
        continue;
      }
      const start =
        local +
        30 +
        view.getUint16(local + 26, true) +
        view.getUint16(local + 28, true);
      const raw = zip.subarray(start, start + size);
      if (method !== 0 && method !== 8) {
        throw new Error(`Unsupported zip compression in ${path}`);
      }
      entries.push({
        path,
        data: method === 0 ? raw : await inflateRaw(raw)
      });
    }
    return entries;
  }

  const LOCAL = 0x04034b50;
  const CENTRAL = 0x02014b50;
  const END = 0x06054b50;
  /** General purpose flag: names are UTF-8. */
  const UTF8 = 0x0800;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  function header(
    signature: number,
    length: number,
    name: Uint8Array,
    crc: number,
    size: number,
    offset = 0
  ): Uint8Array {
    const bytes = new Uint8Array(length + name.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, signature, true);
    const central = signature === CENTRAL;
    // The central header has "version made by" before the fields both share.
    const at = central ? 2 : 0;
    if (central) {
      view.setUint16(4, 20, true);
    }
    view.setUint16(4 + at, 20, true);
    view.setUint16(6 + at, UTF8, true);
    // Method 0 (stored); time and date 1980-01-01 00:00.
    view.setUint16(12 + at, 0x21, true);
    view.setUint32(14 + at, crc, true);
    view.setUint32(18 + at, size, true);
    view.setUint32(22 + at, size, true);
    view.setUint16(26 + at, name.length, true);
    if (central) {
      view.setUint32(42, offset, true);
    }
    bytes.set(name, length);
    return bytes;
  }

  function concat(chunks: Uint8Array[]): Uint8Array {
    const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
    const stream = new Blob([data as BlobPart])
      .stream()
      .pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  let table: Uint32Array | null = null;

  function crc32(data: Uint8Array): number {
    if (!table) {
      table = new Uint32Array(256);
      for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) {
          c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        }
        table[n] = c >>> 0;
      }
    }
    let crc = 0xffffffff;
    for (let i = 0; i < data.length; i++) {
      crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    }
    return (crc ^ 0xffffffff) >>> 0;
  }
}
