import type { ObjectStore } from '../storage/objects';

/** Commits popped past the point where only excluded ones are queued, for clock skew (git uses 5 too). */
const SLOP = 5;

interface INode {
  oid: string;
  time: number;
  excluded: boolean;
  parents: string[] | null;
}

/**
 * The commits reachable from `include` and not from `exclude`: git's
 * `rev-list include --not exclude`.
 *
 * Walks newest first by committer time and stops once only excluded commits
 * are left to walk, so the cost follows the distance between the two sides,
 * not the length of history.
 */
export async function commitsBetween(
  objects: ObjectStore,
  include: string[],
  exclude: string[]
): Promise<Set<string>> {
  const nodes = new Map<string, INode>();
  const queue: INode[] = [];
  const visit = async (oid: string, excluded: boolean) => {
    const known = nodes.get(oid);
    if (known) {
      if (excluded) {
        markExcluded(nodes, known);
      }
      return;
    }
    const commit = await objects.readCommit(oid);
    const node: INode = {
      oid,
      time: commit.committer.timestamp,
      excluded,
      parents: null
    };
    nodes.set(oid, node);
    enqueue(queue, node);
  };
  for (const oid of exclude) {
    await visit(oid, true);
  }
  for (const oid of include) {
    await visit(oid, false);
  }
  let slop = SLOP;
  while (queue.length > 0) {
    if (queue.every(node => node.excluded) && slop-- <= 0) {
      break;
    }
    const node = queue.shift()!;
    node.parents = (await objects.readCommit(node.oid)).parents;
    for (const parent of node.parents) {
      await visit(parent, node.excluded);
    }
  }
  const result = new Set<string>();
  for (const node of nodes.values()) {
    if (!node.excluded && node.parents !== null) {
      result.add(node.oid);
    }
  }
  return result;
}

/** Whether `ancestor` is `oid` or one of its ancestors. */
export async function isAncestor(
  objects: ObjectStore,
  ancestor: string,
  oid: string
): Promise<boolean> {
  return (await commitsBetween(objects, [ancestor], [oid])).size === 0;
}

/**
 * The commits just below a set, outside it: for `commitsBetween(include,
 * exclude)`, the excluded side's commits its walk ran into.
 */
export async function boundaryOf(
  objects: ObjectStore,
  commits: Set<string>
): Promise<Set<string>> {
  const boundary = new Set<string>();
  for (const oid of commits) {
    for (const parent of (await objects.readCommit(oid)).parents) {
      if (!commits.has(parent)) {
        boundary.add(parent);
      }
    }
  }
  return boundary;
}

/**
 * A best common ancestor of two commits (git's merge base), null for
 * unrelated histories. The cost follows how far the two have diverged, not
 * the length of history. Of several best ones (criss-cross merges) any one
 * is returned.
 */
export async function mergeBase(
  objects: ObjectStore,
  a: string,
  b: string
): Promise<string | null> {
  // Each merge base is the parent of a commit only `a` has, and is no ancestor of another.
  const candidates = [
    ...(await boundaryOf(objects, await commitsBetween(objects, [a], [b])))
  ];
  for (const candidate of candidates) {
    let best = true;
    for (const other of candidates) {
      if (
        other !== candidate &&
        (await isAncestor(objects, candidate, other))
      ) {
        best = false;
        break;
      }
    }
    if (best) {
      return candidate;
    }
  }
  return (await isAncestor(objects, a, b)) ? a : null;
}

/** Newest first; at equal times excluded first, so exclusion spreads before inclusion is counted. */
function enqueue(queue: INode[], node: INode): void {
  let at = queue.findIndex(
    other =>
      other.time < node.time ||
      (other.time === node.time && !other.excluded && node.excluded)
  );
  if (at < 0) {
    at = queue.length;
  }
  queue.splice(at, 0, node);
}

/** Marks a commit and its already walked ancestors excluded. */
function markExcluded(nodes: Map<string, INode>, start: INode): void {
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.excluded) {
      continue;
    }
    node.excluded = true;
    for (const parent of node.parents ?? []) {
      const known = nodes.get(parent);
      if (known) {
        stack.push(known);
      }
    }
  }
}
