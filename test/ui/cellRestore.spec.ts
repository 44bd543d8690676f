import { CellRestore } from '../../src/ui/cellRestore';
import { NotebookDiff } from '../../src/ui/notebookDiff';

type Cell = NotebookDiff.ICell & { execution_count?: number | null };

/** An in-memory stand-in for JupyterLab's shared notebook, counting transactions. */
class Notebook implements CellRestore.ISharedNotebook {
  cells: Array<
    CellRestore.ISharedCell & { source: string; outputs: unknown[] }
  > = [];
  /** Transactions of the notebook, and of its cells. */
  transactions = 0;
  cellTransactions = 0;

  constructor(
    cells: Cell[],
    readonly disableDocumentWideUndoRedo = false
  ) {
    cells.forEach((cell, i) => this.insertCell(i, cell as any));
  }

  transact(f: () => void): void {
    this.transactions++;
    f();
  }

  insertCell(index: number, cell: Record<string, any>): void {
    const shared = {
      id: cell.id ?? `new-${index}`,
      cell_type: cell.cell_type,
      source: [cell.source].flat().join(''),
      outputs: cell.outputs ?? [],
      execution_count: cell.execution_count ?? null,
      transact: (f: () => void) => {
        this.cellTransactions++;
        f();
      },
      setSource(source: string) {
        this.source = source;
      },
      setOutputs(outputs: unknown[]) {
        this.outputs = outputs;
      }
    };
    this.cells.splice(index, 0, shared);
  }

  deleteCell(index: number): void {
    this.cells.splice(index, 1);
  }

  get sources(): string[] {
    return this.cells.map(cell => cell.source);
  }
}

const code = (id: string | undefined, source: string, out?: string): Cell => ({
  ...(id ? { id } : {}),
  cell_type: 'code',
  source,
  execution_count: out ? 1 : null,
  outputs: out ? [{ output_type: 'stream', name: 'stdout', text: out }] : []
});

function restore(
  current: Cell[],
  checkpoint: Cell[],
  pick: (entry: NotebookDiff.IEntry) => boolean,
  withOutputs = false,
  perCellUndo = false
) {
  const now = { cells: current };
  const diff = NotebookDiff.compute(now, { cells: checkpoint });
  const chosen = diff.entries.flatMap((e, i) => (pick(e) ? [i] : []));
  const plan = CellRestore.plan(diff, now, chosen, withOutputs);
  const model = new Notebook(current, perCellUndo);
  const { count, first } = CellRestore.apply(model, plan);
  return { model, count, first, plan };
}

describe('CellRestore', () => {
  const current = [code('a', 'a = 0'), code('b', 'b = 1'), code('x', 'extra')];
  const checkpoint = [
    code('a', 'a = 1', '1\n'),
    code('c', 'c = 2'),
    code('b', 'b = 2'),
    code('d', 'd = 3')
  ];

  describe('canRestore', () => {
    it('offers changed cells and cells only in the checkpoint', () => {
      const diff = NotebookDiff.compute(
        { cells: current },
        { cells: checkpoint }
      );
      expect(
        diff.entries.map(e => [e.kind, CellRestore.canRestore(e)])
      ).toEqual([
        ['changed', true],
        ['added', true],
        ['changed', true],
        ['removed', false],
        ['added', true]
      ]);
    });
  });

  describe('plan and apply', () => {
    it('replaces a changed cell by id, in one transaction, source only by default', () => {
      const { model, count } = restore(
        current,
        checkpoint,
        e => e.after?.id === 'a'
      );
      expect(count).toBe(1);
      expect(model.transactions).toBe(1);
      expect(model.sources).toEqual(['a = 1', 'b = 1', 'extra']);
      expect(model.cells[0].outputs).toEqual([]);
    });

    it('restores outputs too when they are shown', () => {
      const { model } = restore(
        current,
        checkpoint,
        e => e.after?.id === 'a',
        true
      );
      expect(model.cells[0].outputs).toEqual(checkpoint[0].outputs);
      expect(model.cells[0].execution_count).toBe(1);
    });

    it('inserts cells only in the checkpoint where they stood, keeping their order', () => {
      const { model, count } = restore(
        current,
        checkpoint,
        e => e.kind === 'added'
      );
      expect(count).toBe(2);
      expect(model.sources).toEqual([
        'a = 0',
        'c = 2',
        'b = 1',
        'extra',
        'd = 3'
      ]);
      expect(model.cells.map(c => c.id)).toEqual(['a', 'c', 'b', 'x', 'd']);
    });

    it('restores several cells at once as one edit', () => {
      const { model, count } = restore(
        current,
        checkpoint,
        CellRestore.canRestore
      );
      expect(count).toBe(4);
      expect(model.transactions).toBe(1);
      expect(model.sources).toEqual([
        'a = 1',
        'c = 2',
        'b = 2',
        'extra',
        'd = 3'
      ]);
    });

    it('edits each cell in a transaction of its own when each cell has its own undo', () => {
      const { model, first } = restore(
        current,
        checkpoint,
        e => e.kind === 'changed',
        false,
        true
      );
      expect(model.sources).toEqual(['a = 1', 'b = 2', 'extra']);
      expect(model.transactions).toBe(0);
      expect(model.cellTransactions).toBe(2);
      expect(first).toBe(0);
    });

    it('says where the first restored cell is after the restore', () => {
      const pick = (ids: string[]) => (e: NotebookDiff.IEntry) =>
        ids.includes(String(e.after?.id));
      expect(restore(current, checkpoint, pick(['b', 'c'])).first).toBe(1);
      expect(restore(current, checkpoint, pick(['b', 'd'])).first).toBe(1);
      expect(restore(current, checkpoint, pick(['d'])).first).toBe(3);
    });

    it('matches by position when cells have no ids', () => {
      const { model } = restore(
        [code(undefined, 'one'), code(undefined, 'two')],
        [code(undefined, 'one'), code(undefined, 'TWO')],
        e => e.kind === 'changed'
      );
      expect(model.sources).toEqual(['one', 'TWO']);
    });

    it('replaces a cell whose type changed by the checkpoint cell', () => {
      const md: Cell = { id: 'a', cell_type: 'markdown', source: '# a' };
      const { model } = restore(
        [code('a', 'a')],
        [md],
        e => e.kind === 'changed'
      );
      expect(model.cells.map(c => [c.id, c.cell_type, c.source])).toEqual([
        ['a', 'markdown', '# a']
      ]);
    });

    it('refuses, changing nothing, when a target cell was deleted meanwhile', () => {
      const now = { cells: current };
      const diff = NotebookDiff.compute(now, { cells: checkpoint });
      const plan = CellRestore.plan(diff, now, [0, 2], false);
      const model = new Notebook(current.filter(c => c.id !== 'b'));
      expect(() => CellRestore.apply(model, plan)).toThrow(
        CellRestore.MissingCellError
      );
      expect(model.sources).toEqual(['a = 0', 'extra']);
    });
  });
});
