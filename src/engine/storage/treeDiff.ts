import { fromUtf8, toHex } from '../models/bytes';
import type { ObjectStore } from './objects';

/** A file that differs between two trees: its blob before and after (null = absent). */
export interface IFileChange {
  path: string;
  before: string | null;
  after: string | null;
}

const NO_ENTRIES = new Uint8Array(0);
const SPACE = 0x20;
const SLASH = 0x2f;

/**
 * The files that differ between two trees. Subtrees with equal ids are
 * skipped, so the cost follows the size of the change, not of the tree.
 *
 * It walks the trees' raw bytes side by side (both are sorted in git's
 * order) and compares entries' 20-byte ids where they lie: an entry that did
 * not change costs no object and no string. A history index build diffs
 * every commit of a branch; parsing each tree into entries made most of the
 * garbage that let the heap grow between collections.
 */
export async function diffTrees(
  objects: ObjectStore,
  a: string | null,
  b: string | null,
  prefix = ''
): Promise<IFileChange[]> {
  const changes: IFileChange[] = [];
  await diffInto(objects, a, b, prefix, changes);
  return changes;
}

async function diffInto(
  objects: ObjectStore,
  a: string | null,
  b: string | null,
  prefix: string,
  changes: IFileChange[]
): Promise<void> {
  if (a === b) {
    return;
  }
  const x = a ? await objects.readTreeBytes(a) : NO_ENTRIES;
  const y = b ? await objects.readTreeBytes(b) : NO_ENTRIES;
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    // An entry: `<mode> <name>\0<20-byte id>`.
    const xSpace = i < x.length ? x.indexOf(SPACE, i) : -1;
    const xNul = xSpace < 0 ? -1 : x.indexOf(0, xSpace);
    const ySpace = j < y.length ? y.indexOf(SPACE, j) : -1;
    const yNul = ySpace < 0 ? -1 : y.indexOf(0, ySpace);
    const xTree = xSpace >= 0 && isTreeMode(x, i, xSpace);
    const yTree = ySpace >= 0 && isTreeMode(y, j, ySpace);
    const order =
      xSpace < 0
        ? 1
        : ySpace < 0
          ? -1
          : compareNames(
              x,
              xSpace + 1,
              xNul,
              xTree,
              y,
              ySpace + 1,
              yNul,
              yTree
            );
    if (order < 0) {
      await oneSide(objects, x, xSpace, xNul, xTree, true, prefix, changes);
      i = xNul + 21;
    } else if (order > 0) {
      await oneSide(objects, y, ySpace, yNul, yTree, false, prefix, changes);
      j = yNul + 21;
    } else {
      const sameId = sameBytes(x, xNul + 1, y, yNul + 1, 20);
      const sameMode =
        xSpace - i === ySpace - j && sameBytes(x, i, y, j, xSpace - i);
      if (!sameId || !sameMode) {
        const path = `${prefix}${name(y, ySpace, yNul)}`;
        if (xTree) {
          await diffInto(
            objects,
            id(x, xNul),
            id(y, yNul),
            `${path}/`,
            changes
          );
        } else {
          changes.push({ path, before: id(x, xNul), after: id(y, yNul) });
        }
      }
      i = xNul + 21;
      j = yNul + 21;
    }
  }
}

/** An entry on one side only (`removed`: the old one): the file, or every file under the directory. */
async function oneSide(
  objects: ObjectStore,
  tree: Uint8Array,
  space: number,
  nul: number,
  isTree: boolean,
  removed: boolean,
  prefix: string,
  changes: IFileChange[]
): Promise<void> {
  const path = `${prefix}${name(tree, space, nul)}`;
  const oid = id(tree, nul);
  if (isTree) {
    await diffInto(
      objects,
      removed ? oid : null,
      removed ? null : oid,
      `${path}/`,
      changes
    );
  } else {
    changes.push({
      path,
      before: removed ? oid : null,
      after: removed ? null : oid
    });
  }
}

/** Mode `40000`: a directory. */
function isTreeMode(tree: Uint8Array, at: number, space: number): boolean {
  return space - at === 5 && tree[at] === 0x34 && tree[at + 1] === 0x30;
}

/** git's order of tree entries: by name, a directory's as if it ended in `/`. */
function compareNames(
  x: Uint8Array,
  xFrom: number,
  xTo: number,
  xTree: boolean,
  y: Uint8Array,
  yFrom: number,
  yTo: number,
  yTree: boolean
): number {
  const n = Math.min(xTo - xFrom, yTo - yFrom);
  for (let k = 0; k < n; k++) {
    if (x[xFrom + k] !== y[yFrom + k]) {
      return x[xFrom + k] - y[yFrom + k];
    }
  }
  const xNext = xFrom + n < xTo ? x[xFrom + n] : xTree ? SLASH : 0;
  const yNext = yFrom + n < yTo ? y[yFrom + n] : yTree ? SLASH : 0;
  return xNext - yNext;
}

function sameBytes(
  x: Uint8Array,
  xAt: number,
  y: Uint8Array,
  yAt: number,
  length: number
): boolean {
  for (let k = 0; k < length; k++) {
    if (x[xAt + k] !== y[yAt + k]) {
      return false;
    }
  }
  return true;
}

function name(tree: Uint8Array, space: number, nul: number): string {
  return fromUtf8(tree.subarray(space + 1, nul));
}

function id(tree: Uint8Array, nul: number): string {
  return toHex(tree.subarray(nul + 1, nul + 21));
}
