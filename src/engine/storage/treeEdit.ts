import { AlreadyExistsError } from '../errors';
import { type ITreeEntry, isTree, TREE_MODE } from '../models/tree';
import type { ObjectStore } from './objects';

/** What a path becomes in the new tree: an entry (blob or subtree) or nothing. */
export interface ITreeChange {
  path: string;
  entry: Pick<ITreeEntry, 'mode' | 'oid'> | null;
}

/** The entry at `path` in a tree (a blob or a subtree), or null. */
export async function entryAt(
  objects: ObjectStore,
  tree: string | null,
  path: string
): Promise<ITreeEntry | null> {
  let entry: ITreeEntry | null = null;
  let current = tree;
  for (const name of path.split('/')) {
    if (current === null) {
      return null;
    }
    entry =
      (await objects.readTree(current)).find(e => e.name === name) ?? null;
    if (!entry) {
      return null;
    }
    current = isTree(entry) ? entry.oid : null;
  }
  return entry;
}

/**
 * Writes the trees for `changes` applied to `tree` and returns the new root.
 * Only the trees on the changed paths are written; an emptied directory
 * disappears, as git has no empty trees below the root.
 */
export async function editTree(
  objects: ObjectStore,
  tree: string | null,
  changes: ITreeChange[]
): Promise<string> {
  const root = await editLevel(
    objects,
    tree,
    changes.map(change => ({
      parts: change.path.split('/'),
      entry: change.entry
    })),
    ''
  );
  return root ?? objects.writeTree([]);
}

interface IPartsChange {
  parts: string[];
  entry: ITreeChange['entry'];
}

async function editLevel(
  objects: ObjectStore,
  tree: string | null,
  changes: IPartsChange[],
  prefix: string
): Promise<string | null> {
  const entries = new Map<string, ITreeEntry>();
  for (const entry of tree ? await objects.readTree(tree) : []) {
    entries.set(entry.name, entry);
  }
  const nested = new Map<string, IPartsChange[]>();
  for (const change of changes) {
    const [name, ...rest] = change.parts;
    if (rest.length === 0) {
      if (change.entry) {
        entries.set(name, { name, ...change.entry });
      } else {
        entries.delete(name);
      }
    } else {
      nested.set(name, [
        ...(nested.get(name) ?? []),
        { parts: rest, entry: change.entry }
      ]);
    }
  }
  for (const [name, inner] of nested) {
    const existing = entries.get(name);
    if (existing && !isTree(existing)) {
      throw new AlreadyExistsError(`${prefix}${name}`);
    }
    const oid = await editLevel(
      objects,
      existing?.oid ?? null,
      inner,
      `${prefix}${name}/`
    );
    if (oid) {
      entries.set(name, { name, mode: TREE_MODE, oid });
    } else {
      entries.delete(name);
    }
  }
  if (entries.size === 0) {
    return null;
  }
  return objects.writeTree([...entries.values()]);
}

/** Every blob below a tree entry, as [path, entry] pairs. */
export async function listFiles(
  objects: ObjectStore,
  entry: ITreeEntry,
  path: string
): Promise<Array<[string, ITreeEntry]>> {
  if (!isTree(entry)) {
    return [[path, entry]];
  }
  const files: Array<[string, ITreeEntry]> = [];
  for (const child of await objects.readTree(entry.oid)) {
    files.push(...(await listFiles(objects, child, `${path}/${child.name}`)));
  }
  return files;
}
