import { NotebookDiff } from '../../src/ui/notebookDiff';

type Cell = NotebookDiff.ICell;

function code(
  id: string | undefined,
  source: string | string[],
  outputs: NotebookDiff.IOutput[] = []
): Cell {
  return { id, cell_type: 'code', source, outputs };
}

function md(id: string | undefined, source: string): Cell {
  return { id, cell_type: 'markdown', source };
}

const stream = (text: string): NotebookDiff.IOutput => ({
  output_type: 'stream',
  name: 'stdout',
  text
});

describe('NotebookDiff', () => {
  describe('compute', () => {
    it('matches cells by id: an edited cell is changed, not removed and added', () => {
      const before = {
        cells: [md('a', '# Title'), code('b', 'x = 1'), code('c', 'print(x)')]
      };
      const after = {
        cells: [md('a', '# Title'), code('b', 'x = 2'), code('c', 'print(x)')]
      };
      const result = NotebookDiff.compute(before, after);
      expect(result.entries.map(e => e.kind)).toEqual([
        'unchanged',
        'changed',
        'unchanged'
      ]);
      expect(result).toMatchObject({ added: 0, removed: 0, changed: 1 });
      const changed = result.entries[1];
      expect(changed.source?.rows).toEqual([
        { kind: 'removed', text: 'x = 1', oldLine: 1 },
        { kind: 'added', text: 'x = 2', newLine: 1 }
      ]);
    });

    it('reports added and removed cells in order', () => {
      const before = {
        cells: [code('a', '1'), code('b', '2'), code('c', '3')]
      };
      const after = { cells: [code('a', '1'), code('c', '3'), md('d', 'new')] };
      const result = NotebookDiff.compute(before, after);
      expect(
        result.entries.map(e => [e.kind, (e.after ?? e.before)?.id])
      ).toEqual([
        ['unchanged', 'a'],
        ['removed', 'b'],
        ['unchanged', 'c'],
        ['added', 'd']
      ]);
      expect(result).toMatchObject({ added: 1, removed: 1, changed: 0 });
      expect(result.entries[3].cellType).toBe('markdown');
    });

    it('without ids, pairs a removed and an added cell at the same place as changed', () => {
      const before = {
        cells: [
          code(undefined, 'a'),
          code(undefined, 'b'),
          code(undefined, 'c')
        ]
      };
      const after = {
        cells: [
          code(undefined, 'a'),
          code(undefined, 'B'),
          code(undefined, 'c')
        ]
      };
      const result = NotebookDiff.compute(before, after);
      expect(result.entries.map(e => e.kind)).toEqual([
        'unchanged',
        'changed',
        'unchanged'
      ]);
    });

    it('without ids, leaves unpaired cells as added or removed', () => {
      const before = { cells: [code(undefined, 'a'), code(undefined, 'b')] };
      const after = {
        cells: [
          code(undefined, 'x'),
          code(undefined, 'y'),
          code(undefined, 'z')
        ]
      };
      const result = NotebookDiff.compute(before, after);
      expect(result.entries.map(e => e.kind)).toEqual([
        'changed',
        'changed',
        'added'
      ]);
    });

    it('falls back to content matching when only one side has ids', () => {
      const before = { cells: [code(undefined, 'a'), code(undefined, 'b')] };
      const after = { cells: [code('1', 'a'), code('2', 'b')] };
      const result = NotebookDiff.compute(before, after);
      expect(result.entries.map(e => e.kind)).toEqual([
        'unchanged',
        'unchanged'
      ]);
    });

    it('joins multiline sources before comparing', () => {
      const before = { cells: [code('a', ['x = 1\n', 'y = 2'])] };
      const after = { cells: [code('a', 'x = 1\ny = 2')] };
      expect(NotebookDiff.compute(before, after).entries[0].kind).toBe(
        'unchanged'
      );
    });

    it('flags changed outputs with the same source, ignoring execution counts', () => {
      const before = {
        cells: [
          code('a', 'print(1)', [stream('1\n')]),
          {
            ...code('b', '1+1', [
              { output_type: 'execute_result', data: { 'text/plain': '2' } }
            ]),
            execution_count: 1
          }
        ]
      };
      const after = {
        cells: [
          code('a', 'print(1)', [stream('one\n')]),
          {
            ...code('b', '1+1', [
              { output_type: 'execute_result', data: { 'text/plain': '2' } }
            ]),
            execution_count: 7
          }
        ]
      };
      const result = NotebookDiff.compute(before, after);
      expect(result.entries[0]).toMatchObject({
        kind: 'changed',
        outputsChanged: true
      });
      expect(result.entries[0].source).toBeUndefined();
      expect(result.entries[1]).toMatchObject({
        kind: 'unchanged',
        outputsChanged: false
      });
    });

    it('marks a cell whose type changed as changed', () => {
      const result = NotebookDiff.compute(
        { cells: [code('a', 'text')] },
        { cells: [md('a', 'text')] }
      );
      expect(result.entries[0]).toMatchObject({
        kind: 'changed',
        cellType: 'markdown'
      });
    });

    it('rejects something that is not a notebook', () => {
      expect(() =>
        NotebookDiff.compute({} as NotebookDiff.INotebook, { cells: [] })
      ).toThrow('Not a notebook');
    });
  });

  describe('outputsText', () => {
    it('renders streams, results, rich data and errors as text', () => {
      const cell = code('a', '', [
        stream('hello\n'),
        { output_type: 'execute_result', data: { 'text/plain': ['4', '2'] } },
        { output_type: 'display_data', data: { 'image/png': 'AAAA' } },
        { output_type: 'error', ename: 'ValueError', evalue: 'bad' }
      ]);
      expect(NotebookDiff.outputsText(cell)).toBe(
        'hello\n42\n[image/png]\nValueError: bad\n'
      );
    });

    it('is empty for markdown cells', () => {
      expect(NotebookDiff.outputsText(md('a', 'x'))).toBe('');
    });
  });

  describe('compute options', () => {
    const withMeta = (cell: Cell, metadata: object, count: number) =>
      ({ ...cell, metadata, execution_count: count }) as Cell;

    it('ignores metadata and execution counts unless asked', () => {
      const before = { cells: [withMeta(code('a', 'x'), {}, 1)] };
      const after = { cells: [withMeta(code('a', 'x'), { tags: ['t'] }, 2)] };
      expect(NotebookDiff.compute(before, after).changed).toBe(0);
      expect(
        NotebookDiff.compute(before, after, { metadata: true }).changed
      ).toBe(1);
    });

    it('does not read outputs when they are not compared', () => {
      const before = { cells: [code('a', 'x', [stream('1')])] };
      const after = { cells: [code('a', 'x', [stream('2')])] };
      expect(NotebookDiff.compute(before, after).changed).toBe(1);
      const quiet = NotebookDiff.compute(before, after, { outputs: false });
      expect(quiet.changed).toBe(0);
      expect(quiet.entries[0].outputsChanged).toBe(false);
    });
  });
});
