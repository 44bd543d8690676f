import { compareBytes, concat, fromHex, fromUtf8, toHex, utf8 } from './bytes';

/** One entry of a git tree object. */
export interface ITreeEntry {
  /** '100644', '100755', '120000', '160000' or '40000'. */
  mode: string;
  name: string;
  oid: string;
}

export const TREE_MODE = '40000';

export function isTree(entry: ITreeEntry): boolean {
  return entry.mode === TREE_MODE;
}

export function parseTree(content: Uint8Array): ITreeEntry[] {
  const entries: ITreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space);
    entries.push({
      mode: fromUtf8(content.subarray(at, space)),
      name: fromUtf8(content.subarray(space + 1, nul)),
      oid: toHex(content.subarray(nul + 1, nul + 21))
    });
    at = nul + 21;
  }
  return entries;
}

/** Serialises entries in git's order: by name, with trees compared as `name/`. */
export function serializeTree(entries: ITreeEntry[]): Uint8Array {
  const keyed = entries.map(entry => ({
    entry,
    key: utf8(isTree(entry) ? `${entry.name}/` : entry.name)
  }));
  keyed.sort((a, b) => compareBytes(a.key, b.key));
  return concat(
    keyed.flatMap(({ entry }) => [
      utf8(`${entry.mode} ${entry.name}\0`),
      fromHex(entry.oid)
    ])
  );
}
