import { type ITreeEntry, isTree } from '../models/tree';
import type { ObjectStore } from './objects';

/** A file that differs between two trees: its blob before and after (null = absent). */
export interface IFileChange {
  path: string;
  before: string | null;
  after: string | null;
}

/**
 * The files that differ between two trees. Subtrees with equal ids are
 * skipped, so the cost follows the size of the change, not of the tree.
 */
export async function diffTrees(
  objects: ObjectStore,
  a: string | null,
  b: string | null,
  prefix = ''
): Promise<IFileChange[]> {
  if (a === b) {
    return [];
  }
  const before = new Map<string, ITreeEntry>();
  for (const entry of a ? await objects.readTree(a) : []) {
    before.set(entry.name, entry);
  }
  const changes: IFileChange[] = [];
  const after = b ? await objects.readTree(b) : [];
  for (const entry of after) {
    const old = before.get(entry.name);
    before.delete(entry.name);
    if (old && old.oid === entry.oid && old.mode === entry.mode) {
      continue;
    }
    changes.push(...(await diffEntries(objects, old ?? null, entry, prefix)));
  }
  for (const old of before.values()) {
    changes.push(...(await diffEntries(objects, old, null, prefix)));
  }
  return changes;
}

async function diffEntries(
  objects: ObjectStore,
  old: ITreeEntry | null,
  now: ITreeEntry | null,
  prefix: string
): Promise<IFileChange[]> {
  const path = `${prefix}${(old ?? now)!.name}`;
  const oldTree = old && isTree(old) ? old.oid : null;
  const newTree = now && isTree(now) ? now.oid : null;
  const changes =
    oldTree || newTree
      ? await diffTrees(objects, oldTree, newTree, `${path}/`)
      : [];
  const oldBlob = old && !isTree(old) ? old.oid : null;
  const newBlob = now && !isTree(now) ? now.oid : null;
  if (
    oldBlob !== newBlob ||
    (old && now && old.mode !== now.mode && !oldTree && !newTree)
  ) {
    changes.push({ path, before: oldBlob, after: newBlob });
  }
  return changes;
}
