import { summarizeChange } from '../../../src/engine/models/changeSummary';

const bytes = (s: string) => new TextEncoder().encode(s);
const notebook = (cells: object[]) => bytes(JSON.stringify({ cells }));
const code = (id: string, source: string, outputs: object[] = []) => ({
  id,
  cell_type: 'code',
  source,
  outputs
});

describe('summarizeChange', () => {
  it('says nothing for a first version or a binary file', () => {
    expect(summarizeChange('a.txt', null, bytes('x\n'))).toBeNull();
    expect(summarizeChange('a.bin', bytes('a\0b'), bytes('a\0c'))).toBeNull();
  });

  it('counts changed, added and removed cells of a notebook by id', () => {
    const before = notebook([
      code('a', 'x = 1'),
      code('b', 'y'),
      code('c', 'z')
    ]);
    const after = notebook([
      code('a', 'x = 2'),
      code('b', 'y', [{ output_type: 'stream', name: 'stdout', text: '1' }]),
      code('d', 'new')
    ]);
    expect(summarizeChange('n.ipynb', before, after)).toBe(
      '2 cells changed, 1 added, 1 removed'
    );
  });

  it('ignores execution counts and says when only metadata changed', () => {
    const result = (n: number) => ({
      output_type: 'execute_result',
      execution_count: n,
      data: { 'text/plain': '2' },
      metadata: {}
    });
    expect(
      summarizeChange(
        'n.ipynb',
        notebook([code('a', '1+1', [result(1)])]),
        notebook([code('a', '1+1', [result(7)])])
      )
    ).toBe('metadata changed');
  });

  it('matches cells by position when they have no id', () => {
    const before = bytes(
      JSON.stringify({ cells: [{ cell_type: 'code', source: 'a' }] })
    );
    const after = bytes(
      JSON.stringify({
        cells: [
          { cell_type: 'code', source: 'a' },
          { cell_type: 'markdown', source: '# b' }
        ]
      })
    );
    expect(summarizeChange('n.ipynb', before, after)).toBe('1 cell added');
  });

  it('counts added and removed lines of a text file', () => {
    expect(
      summarizeChange('a.py', bytes('a\nb\nc\n'), bytes('a\nB\nc\nd\n'))
    ).toBe('2 lines added, 1 removed');
    expect(summarizeChange('a.py', bytes('a\nb\n'), bytes('a\n'))).toBe(
      '1 line removed'
    );
    expect(summarizeChange('a.py', bytes('a\nb\n'), bytes('b\na\n'))).toBe(
      'lines moved'
    );
  });

  it('counts lines of a notebook that is not valid JSON', () => {
    expect(summarizeChange('n.ipynb', bytes('{'), bytes('{\n}'))).toBe(
      '1 line added'
    );
  });
});
