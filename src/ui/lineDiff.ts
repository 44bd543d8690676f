import { diffLines } from 'diff';

/**
 * A line diff reduced to what a preview shows: changed lines with a few lines
 * of context around them, long unchanged runs folded into gaps.
 */
export namespace LineDiff {
  /** One row of the preview. Line numbers are 1-based. */
  export type Row =
    | { kind: 'context'; text: string; oldLine: number; newLine: number }
    | { kind: 'removed'; text: string; oldLine: number }
    | { kind: 'added'; text: string; newLine: number }
    | { kind: 'gap'; lines: number };

  export interface IResult {
    rows: Row[];
    added: number;
    removed: number;
  }

  export interface IOptions {
    /** Unchanged lines kept before and after each change (default 3; Infinity keeps all). */
    context?: number;
    /**
     * Give up beyond this many changed lines (default 5000): the diff is
     * quadratic in the number of edits and runs on the UI thread.
     */
    maxEditLength?: number;
  }

  /** Thrown when the texts differ too much to compare within `maxEditLength`. */
  export class TooLargeError extends Error {
    constructor() {
      super('The versions differ too much to compare');
      this.name = 'LineDiffTooLargeError';
    }
  }

  /** Compares two texts line by line; `before` is the old side. */
  export function compute(
    before: string,
    after: string,
    options: IOptions = {}
  ): IResult {
    const context = options.context ?? 3;
    const changes = diffLines(before, after, {
      maxEditLength: options.maxEditLength ?? 5000
    });
    if (!changes) {
      throw new TooLargeError();
    }
    const all: Row[] = [];
    let oldLine = 1;
    let newLine = 1;
    let added = 0;
    let removed = 0;
    for (const change of changes) {
      for (const text of splitLines(change.value)) {
        if (change.added) {
          all.push({ kind: 'added', text, newLine: newLine++ });
          added++;
        } else if (change.removed) {
          all.push({ kind: 'removed', text, oldLine: oldLine++ });
          removed++;
        } else {
          all.push({
            kind: 'context',
            text,
            oldLine: oldLine++,
            newLine: newLine++
          });
        }
      }
    }
    return { rows: fold(all, context), added, removed };
  }

  /** Splits a change's value into lines, without the empty string after a final newline. */
  export function splitLines(value: string): string[] {
    if (value === '') {
      return [];
    }
    const lines = value.split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === '') {
      lines.pop();
    }
    return lines;
  }

  /** Keeps `context` unchanged lines around each change and folds the rest into gaps. */
  function fold(rows: Row[], context: number): Row[] {
    if (!Number.isFinite(context)) {
      return rows;
    }
    const keep = rows.map(() => false);
    rows.forEach((row, i) => {
      if (row.kind !== 'context') {
        const from = Math.max(0, i - context);
        const to = Math.min(rows.length - 1, i + context);
        for (let j = from; j <= to; j++) {
          keep[j] = true;
        }
      }
    });
    const folded: Row[] = [];
    let hidden = 0;
    rows.forEach((row, i) => {
      if (keep[i]) {
        if (hidden) {
          folded.push({ kind: 'gap', lines: hidden });
          hidden = 0;
        }
        folded.push(row);
      } else {
        hidden++;
      }
    });
    if (hidden) {
      folded.push({ kind: 'gap', lines: hidden });
    }
    return folded;
  }
}
