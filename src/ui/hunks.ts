import type { LineDiff } from './lineDiff';

/**
 * The hunks of a line diff (runs of removed and added lines) and the text
 * edit that applies one of them to the `before` side: what "Restore this
 * part" does to an open text file.
 */
export namespace Hunks {
  export interface IHunk {
    /** The row of the diff where the hunk starts. */
    row: number;
    /** First replaced line of `before`, 0-based. */
    start: number;
    /** How many lines of `before` it replaces (0: an insertion). */
    removed: number;
    /** The lines of `after` that take their place. */
    lines: string[];
  }

  /** A replacement of the characters `[start, end)` by `value`. */
  export interface IEdit {
    start: number;
    end: number;
    value: string;
  }

  /** The hunks of a diff, in order. Gaps count their lines; the rows carry line numbers. */
  export function of(diff: LineDiff.IResult): IHunk[] {
    const hunks: IHunk[] = [];
    let next = 0; // The 0-based line of `before` the next row starts at.
    let open: IHunk | null = null;
    diff.rows.forEach((row, i) => {
      if (row.kind === 'removed' || row.kind === 'added') {
        if (!open) {
          open = { row: i, start: next, removed: 0, lines: [] };
          hunks.push(open);
        }
        if (row.kind === 'removed') {
          open.removed++;
          next = row.oldLine;
        } else {
          open.lines.push(row.text);
        }
        return;
      }
      open = null;
      next = row.kind === 'gap' ? next + row.lines : row.oldLine;
    });
    return hunks;
  }

  /** The edit of `before` (the text the diff was computed from) that applies `hunk`. */
  export function edit(before: string, hunk: IHunk): IEdit {
    const starts = lineStarts(before);
    const offset = (line: number) =>
      line < starts.length ? starts[line] : before.length;
    const start = offset(hunk.start);
    const end = offset(hunk.start + hunk.removed);
    const eol = /\r\n/.test(before) ? '\r\n' : '\n';
    let value = hunk.lines.map(line => line + eol).join('');
    // At the end of a text without a final newline, keep it without one.
    if (end === before.length && !/[\r\n]$/.test(before) && hunk.removed) {
      value = value.slice(0, value.length - eol.length);
    } else if (start === before.length && before && !/[\r\n]$/.test(before)) {
      value = eol + value.slice(0, value.length - eol.length);
    }
    return { start, end, value };
  }

  function lineStarts(text: string): number[] {
    const starts = [0];
    const pattern = /\r\n|\n|\r/g;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      starts.push(match.index + match[0].length);
    }
    if (starts[starts.length - 1] === text.length && text.length > 0) {
      starts.pop(); // No line after a final newline.
    }
    return starts;
  }
}
