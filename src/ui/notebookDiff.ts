import { diffArrays } from 'diff';
import { LineDiff } from './lineDiff';

/**
 * A cell-level diff of two notebooks: which cells were added, removed or
 * changed, with a line diff of each changed source and a flag for outputs.
 *
 * Cells are matched by their nbformat 4.5 `id` when both notebooks have ids on
 * every cell (an edited cell keeps its id); otherwise by identical type and
 * source, pairing the leftover removed and added cells in order.
 */
export namespace NotebookDiff {
  /** The parts of an nbformat cell the diff reads. */
  export interface ICell {
    id?: string;
    cell_type: string;
    source: string | string[];
    outputs?: IOutput[];
  }

  /** The parts of an nbformat output the diff reads. */
  export interface IOutput {
    output_type: string;
    name?: string;
    text?: string | string[];
    data?: Record<string, unknown>;
    ename?: string;
    evalue?: string;
  }

  export interface INotebook {
    cells: ICell[];
  }

  export type Kind = 'unchanged' | 'added' | 'removed' | 'changed';

  /** One cell of the merged view. `before` is the old side, `after` the new one. */
  export interface IEntry {
    kind: Kind;
    cellType: string;
    before?: ICell;
    after?: ICell;
    /** Line diff of the source, for changed cells. */
    source?: LineDiff.IResult;
    /** The outputs differ (as text, ignoring execution counts). */
    outputsChanged: boolean;
  }

  export interface IOptions {
    /** Compare outputs (default true); off, a 20 MB notebook compares without reading them. */
    outputs?: boolean;
    /** Also compare cell metadata and execution counts (default false: ignored). */
    metadata?: boolean;
  }

  export interface IResult {
    entries: IEntry[];
    added: number;
    removed: number;
    changed: number;
  }

  /** Compares two notebooks; `before` is the old side. */
  export function compute(
    before: INotebook,
    after: INotebook,
    options: IOptions = {}
  ): IResult {
    const pair = (a: ICell, b: ICell) =>
      pairCells(a, b, options.outputs ?? true, options.metadata ?? false);
    const old = cellsOf(before);
    const now = cellsOf(after);
    const byId = old.every(hasId) && now.every(hasId);
    const same = byId
      ? (a: ICell, b: ICell) => a.id === b.id
      : (a: ICell, b: ICell) =>
          a.cell_type === b.cell_type && sourceOf(a) === sourceOf(b);

    const entries: IEntry[] = [];
    let removedRun: ICell[] = [];
    let addedRun: ICell[] = [];
    // Without ids, a cell whose source changed shows up as removed + added: pair those up.
    const flush = () => {
      const paired = byId ? 0 : Math.min(removedRun.length, addedRun.length);
      for (let i = 0; i < paired; i++) {
        entries.push(pair(removedRun[i], addedRun[i]));
      }
      for (const cell of removedRun.slice(paired)) {
        entries.push(single('removed', cell));
      }
      for (const cell of addedRun.slice(paired)) {
        entries.push(single('added', cell));
      }
      removedRun = [];
      addedRun = [];
    };

    let i = 0;
    let j = 0;
    for (const change of diffArrays(old, now, { comparator: same })) {
      if (change.removed) {
        removedRun.push(...old.slice(i, i + change.count));
        i += change.count;
      } else if (change.added) {
        addedRun.push(...now.slice(j, j + change.count));
        j += change.count;
      } else {
        flush();
        for (let k = 0; k < change.count; k++) {
          entries.push(pair(old[i++], now[j++]));
        }
      }
    }
    flush();

    const count = (kind: Kind) => entries.filter(e => e.kind === kind).length;
    return {
      entries,
      added: count('added'),
      removed: count('removed'),
      changed: count('changed')
    };
  }

  /** A cell's source as one string. */
  export function sourceOf(cell: ICell): string {
    return joinMultiline(cell.source);
  }

  /** A cell's outputs as plain text: what a preview shows and what "changed" compares. */
  export function outputsText(cell: ICell): string {
    return (cell.outputs ?? []).map(outputText).join('');
  }

  function outputText(output: IOutput): string {
    switch (output.output_type) {
      case 'stream':
        return joinMultiline(output.text ?? '');
      case 'error':
        return `${output.ename ?? 'Error'}: ${output.evalue ?? ''}\n`;
      case 'execute_result':
      case 'display_data': {
        const data = output.data ?? {};
        const plain = data['text/plain'];
        if (plain !== undefined) {
          return withNewline(joinMultiline(plain as string | string[]));
        }
        return `[${Object.keys(data).join(', ')}]\n`;
      }
      default:
        return `[${output.output_type}]\n`;
    }
  }

  function pairCells(
    before: ICell,
    after: ICell,
    outputs: boolean,
    metadata: boolean
  ): IEntry {
    const oldSource = sourceOf(before);
    const newSource = sourceOf(after);
    const outputsChanged =
      outputs && outputsText(before) !== outputsText(after);
    const changed =
      before.cell_type !== after.cell_type ||
      oldSource !== newSource ||
      outputsChanged ||
      (metadata && metadataOf(before) !== metadataOf(after));
    return {
      kind: changed ? 'changed' : 'unchanged',
      cellType: after.cell_type,
      before,
      after,
      source:
        oldSource !== newSource
          ? LineDiff.compute(oldSource, newSource, { context: Infinity })
          : undefined,
      outputsChanged
    };
  }

  /** Cell metadata and execution count, as one comparable string. */
  function metadataOf(cell: ICell): string {
    const { metadata, execution_count } = cell as {
      metadata?: unknown;
      execution_count?: unknown;
    };
    return JSON.stringify([metadata ?? {}, execution_count ?? null]);
  }

  function single(kind: 'added' | 'removed', cell: ICell): IEntry {
    return {
      kind,
      cellType: cell.cell_type,
      before: kind === 'removed' ? cell : undefined,
      after: kind === 'added' ? cell : undefined,
      outputsChanged: false
    };
  }

  function cellsOf(notebook: INotebook): ICell[] {
    if (!notebook || !Array.isArray(notebook.cells)) {
      throw new Error('Not a notebook: no cells');
    }
    return notebook.cells;
  }

  function hasId(cell: ICell): boolean {
    return typeof cell.id === 'string' && cell.id !== '';
  }

  function joinMultiline(value: string | string[]): string {
    return Array.isArray(value) ? value.join('') : value;
  }

  function withNewline(text: string): string {
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}
