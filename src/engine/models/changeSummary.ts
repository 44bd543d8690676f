/**
 * What changed between two versions of a file, in a few words, for the
 * message of an automatic checkpoint: "2 cells changed, 1 added" for a
 * notebook, "3 lines added, 1 removed" for a text file.
 *
 * It runs on every save, so it stays linear: notebook cells are matched by
 * id (else by position), lines are counted as multisets (a moved line counts
 * as unchanged, a modified one as removed + added, like `git diff --numstat`
 * for most edits). Null when there is nothing cheap and useful to say.
 */

/** Versions larger than this (either side) get no summary: parsing them costs more than it tells. */
export const MAX_SUMMARY_BYTES = 8 * 1024 * 1024;

export function summarizeChange(
  path: string,
  before: Uint8Array | null,
  after: Uint8Array
): string | null {
  if (
    before === null ||
    before.length > MAX_SUMMARY_BYTES ||
    after.length > MAX_SUMMARY_BYTES ||
    isBinary(before) ||
    isBinary(after)
  ) {
    return null;
  }
  const decoder = new TextDecoder();
  const old = decoder.decode(before);
  const now = decoder.decode(after);
  if (path.toLowerCase().endsWith('.ipynb')) {
    const cells = notebookSummary(old, now);
    if (cells !== undefined) {
      return cells;
    }
  }
  return lineSummary(old, now);
}

interface ICell {
  id?: unknown;
  cell_type?: unknown;
  source?: unknown;
  outputs?: unknown;
}

/** Undefined when either side is not a notebook (then lines are counted). */
function notebookSummary(old: string, now: string): string | null | undefined {
  const before = cellsOf(old);
  const after = cellsOf(now);
  if (!before || !after) {
    return undefined;
  }
  const key = (cell: ICell, i: number) =>
    typeof cell.id === 'string' && cell.id ? `id:${cell.id}` : `at:${i}`;
  const oldCells = new Map(before.map((cell, i) => [key(cell, i), cell]));
  let changed = 0;
  let added = 0;
  after.forEach((cell, i) => {
    const match = oldCells.get(key(cell, i));
    if (!match) {
      added++;
      return;
    }
    oldCells.delete(key(cell, i));
    if (cellText(match) !== cellText(cell)) {
      changed++;
    }
  });
  const removed = oldCells.size;
  const parts = [
    changed && plural(changed, 'cell changed', 'cells changed'),
    added && plural(added, 'cell added', 'cells added'),
    removed && plural(removed, 'cell removed', 'cells removed')
  ].filter((part): part is string => !!part);
  if (parts.length === 0) {
    return old === now ? null : 'metadata changed';
  }
  // "2 cells changed, 1 added": the noun once, after the first count.
  return parts
    .map((part, i) => (i ? part.replace(/cells? /, '') : part))
    .join(', ');
}

function cellsOf(text: string): ICell[] | null {
  try {
    const value = JSON.parse(text);
    return Array.isArray(value?.cells) ? value.cells : null;
  } catch {
    return null;
  }
}

function cellText(cell: ICell): string {
  const source = Array.isArray(cell.source)
    ? cell.source.join('')
    : cell.source;
  return JSON.stringify([cell.cell_type, source, outputsWithoutCounts(cell)]);
}

// A re-run that prints the same thing is no change worth naming.
function outputsWithoutCounts(cell: ICell): unknown {
  if (!Array.isArray(cell.outputs)) {
    return null;
  }
  return cell.outputs.map(output =>
    output && typeof output === 'object'
      ? { ...output, execution_count: null }
      : output
  );
}

function lineSummary(old: string, now: string): string | null {
  const counts = new Map<string, number>();
  for (const line of lines(old)) {
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  let added = 0;
  for (const line of lines(now)) {
    const left = counts.get(line) ?? 0;
    if (left > 0) {
      counts.set(line, left - 1);
    } else {
      added++;
    }
  }
  let removed = 0;
  for (const left of counts.values()) {
    removed += left;
  }
  if (added === 0 && removed === 0) {
    return old === now ? null : 'lines moved';
  }
  const parts = [
    added && plural(added, 'line added', 'lines added'),
    removed && plural(removed, 'line removed', 'lines removed')
  ].filter((part): part is string => !!part);
  return parts
    .map((part, i) => (i ? part.replace(/lines? /, '') : part))
    .join(', ');
}

function lines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const all = text.split(/\r\n|\n|\r/);
  if (all[all.length - 1] === '') {
    all.pop();
  }
  return all;
}

// Git's own test: a NUL in the first 8000 bytes makes a file binary.
function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
