/**
 * The commits reachable from `starts`, ordered so that each comes after its
 * parents (a depth-first walk with an explicit stack: histories are deep).
 * `parentsOf` says which parents to follow.
 */
export async function parentsFirst(
  starts: Iterable<string>,
  parentsOf: (oid: string) => Promise<readonly string[]> | readonly string[]
): Promise<string[]> {
  const order: string[] = [];
  const done = new Set<string>();
  for (const start of starts) {
    const stack: Array<[string, boolean]> = [[start, false]];
    while (stack.length > 0) {
      const [oid, expanded] = stack.pop()!;
      if (done.has(oid)) {
        continue;
      }
      if (expanded) {
        done.add(oid);
        order.push(oid);
        continue;
      }
      stack.push([oid, true]);
      for (const parent of await parentsOf(oid)) {
        if (!done.has(parent)) {
          stack.push([parent, false]);
        }
      }
    }
  }
  return order;
}
