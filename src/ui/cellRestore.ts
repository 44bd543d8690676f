import type { NotebookDiff } from './notebookDiff';
import { asOwnUndoStep, type IUndoable } from './undoStep';

/**
 * Restoring some cells of a checkpoint into the open notebook.
 *
 * `plan` is pure: from a diff of the current notebook (`before`) against a
 * checkpoint (`after`) and the chosen entries, it says which current cell
 * each checkpoint cell replaces, or after which current cell it is
 * inserted. `apply` edits the notebook's shared model the way its undo
 * managers see user edits, so Ctrl+Z takes them back, and nothing is
 * written until the user saves: with document-wide undo, all of it is one
 * transaction of the notebook (one undo step); otherwise (JupyterLab's
 * default) each cell's new content is one transaction of that cell, which
 * Ctrl+Z in the cell undoes, and inserted cells one of the notebook.
 */
export namespace CellRestore {
  /** A cell of the current notebook: by id when it has one, else by position. */
  export interface ITarget {
    id: string | null;
    index: number;
  }

  export type Step =
    | {
        kind: 'replace';
        target: ITarget;
        cell: NotebookDiff.ICell;
      }
    | {
        kind: 'insert';
        /** The current cell it follows; null: at the top. */
        after: ITarget | null;
        cell: NotebookDiff.ICell;
      };

  export interface IPlan {
    steps: Step[];
    withOutputs: boolean;
  }

  /** Whether an entry has a checkpoint cell to restore (changed, or only in the checkpoint). */
  export function canRestore(entry: NotebookDiff.IEntry): boolean {
    return (
      (entry.kind === 'changed' || entry.kind === 'added') && !!entry.after
    );
  }

  /**
   * The steps restoring `chosen` (indexes into `diff.entries`); `current`
   * is the notebook the diff's `before` side was taken from.
   */
  export function plan(
    diff: NotebookDiff.IResult,
    current: NotebookDiff.INotebook,
    chosen: Iterable<number>,
    withOutputs: boolean
  ): IPlan {
    const targetOf = (cell: NotebookDiff.ICell): ITarget => ({
      id: typeof cell.id === 'string' && cell.id ? cell.id : null,
      index: current.cells.indexOf(cell)
    });
    const picked = new Set(chosen);
    const steps: Step[] = [];
    let previous: ITarget | null = null;
    diff.entries.forEach((entry, i) => {
      if (picked.has(i) && canRestore(entry)) {
        steps.push(
          entry.before
            ? {
                kind: 'replace',
                target: targetOf(entry.before),
                cell: entry.after!
              }
            : { kind: 'insert', after: previous, cell: entry.after! }
        );
      }
      if (entry.before) {
        previous = targetOf(entry.before);
      }
    });
    return { steps, withOutputs };
  }

  /** The parts of JupyterLab's shared notebook model (`ISharedNotebook`) a restore uses. */
  export interface ISharedNotebook extends IUndoable {
    readonly cells: ReadonlyArray<ISharedCell>;
    /** False when the whole notebook shares one undo history. */
    readonly disableDocumentWideUndoRedo: boolean;
    transact(f: () => void): void;
    insertCell(index: number, cell: Record<string, unknown>): unknown;
    deleteCell(index: number): void;
  }

  export interface ISharedCell extends IUndoable {
    readonly id: string;
    readonly cell_type: string;
    transact(f: () => void): void;
    setSource(source: string): void;
    setOutputs?(outputs: unknown[]): void;
    execution_count?: number | null;
  }

  /** Thrown when a target cell is no longer in the notebook. */
  export class MissingCellError extends Error {
    constructor(target: ITarget) {
      super(
        `The cell ${target.id ?? `at position ${target.index + 1}`} is no longer in the notebook`
      );
      this.name = 'CellRestoreMissingCellError';
    }
  }

  /** What `apply` did. */
  export interface IApplied {
    /** How many cells came back. */
    count: number;
    /** The position of the first restored cell, after the restore. */
    first: number;
  }

  /** Applies a plan as undoable edits (see above). */
  export function apply(model: ISharedNotebook, restore: IPlan): IApplied {
    const { steps, withOutputs } = restore;
    const indexOf = (target: ITarget): number => {
      const byId =
        target.id === null
          ? -1
          : model.cells.findIndex(cell => cell.id === target.id);
      const index = byId >= 0 ? byId : target.id === null ? target.index : -1;
      if (index < 0 || index >= model.cells.length) {
        throw new MissingCellError(target);
      }
      return index;
    };
    // Every position is resolved before the first edit moves any.
    const replaces = steps
      .filter(step => step.kind === 'replace')
      .map(step => ({ index: indexOf(step.target), cell: step.cell }));
    const inserts = steps
      .filter(step => step.kind === 'insert')
      .map((step, order) => ({
        index: step.after ? indexOf(step.after) + 1 : 0,
        order,
        cell: step.cell
      }));
    const ids = new Set(model.cells.map(cell => cell.id));
    const edit = (f: () => void) =>
      model.disableDocumentWideUndoRedo ? f() : model.transact(f);
    const touched = [model, ...replaces.map(({ index }) => model.cells[index])];
    asOwnUndoStep(touched, () =>
      edit(() => {
        for (const { index, cell } of replaces) {
          const target = model.cells[index];
          if (target.cell_type === cell.cell_type) {
            target.transact(() => {
              target.setSource(sourceOf(cell));
              if (withOutputs && target.setOutputs) {
                target.setOutputs(cell.outputs ?? []);
                target.execution_count = executionCount(cell);
              }
            });
          } else {
            model.transact(() => {
              model.deleteCell(index);
              model.insertCell(index, toShared(cell, withOutputs, target.id));
            });
          }
        }
        // Bottom up, and later cells first at one position, so that no insert shifts another.
        inserts.sort((a, b) => b.index - a.index || b.order - a.order);
        for (const { index, cell } of inserts) {
          const id =
            typeof cell.id === 'string' && !ids.has(cell.id)
              ? cell.id
              : undefined;
          model.insertCell(index, toShared(cell, withOutputs, id));
        }
      })
    );
    // A replaced cell moves down by one for each cell inserted at or above it.
    const first = Math.min(
      ...inserts.map(insert => insert.index),
      ...replaces.map(
        ({ index }) => index + inserts.filter(i => i.index <= index).length
      )
    );
    return { count: steps.length, first };
  }

  function toShared(
    cell: NotebookDiff.ICell,
    withOutputs: boolean,
    id: string | undefined
  ): Record<string, unknown> {
    const shared: Record<string, unknown> = {
      cell_type: cell.cell_type,
      source: sourceOf(cell),
      metadata: (cell as { metadata?: unknown }).metadata ?? {}
    };
    if (id) {
      shared.id = id;
    }
    if (cell.cell_type === 'code') {
      shared.outputs = withOutputs ? (cell.outputs ?? []) : [];
      shared.execution_count = withOutputs ? executionCount(cell) : null;
    }
    return shared;
  }

  function sourceOf(cell: NotebookDiff.ICell): string {
    return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
  }

  function executionCount(cell: NotebookDiff.ICell): number | null {
    const count = (cell as { execution_count?: unknown }).execution_count;
    return typeof count === 'number' ? count : null;
  }
}
