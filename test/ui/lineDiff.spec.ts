import { LineDiff } from '../../src/ui/lineDiff';

describe('LineDiff', () => {
  describe('compute', () => {
    it('reports no change for equal texts and folds them into one gap', () => {
      const text = 'a\nb\nc\n';
      const result = LineDiff.compute(text, text);
      expect(result.added).toBe(0);
      expect(result.removed).toBe(0);
      expect(result.rows).toEqual([{ kind: 'gap', lines: 3 }]);
    });

    it('numbers removed lines on the old side and added lines on the new side', () => {
      const result = LineDiff.compute('a\nb\nc\n', 'a\nB\nc\nd\n');
      expect(result.added).toBe(2);
      expect(result.removed).toBe(1);
      expect(result.rows).toEqual([
        { kind: 'context', text: 'a', oldLine: 1, newLine: 1 },
        { kind: 'removed', text: 'b', oldLine: 2 },
        { kind: 'added', text: 'B', newLine: 2 },
        { kind: 'context', text: 'c', oldLine: 3, newLine: 3 },
        { kind: 'added', text: 'd', newLine: 4 }
      ]);
    });

    it('keeps `context` lines around a change and folds the rest into gaps', () => {
      const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
      const after = [...before];
      after[9] = 'changed';
      const result = LineDiff.compute(
        before.join('\n') + '\n',
        after.join('\n') + '\n',
        { context: 2 }
      );
      const kinds = result.rows.map(r => r.kind);
      expect(kinds).toEqual([
        'gap',
        'context',
        'context',
        'removed',
        'added',
        'context',
        'context',
        'gap'
      ]);
      expect(result.rows[0]).toEqual({ kind: 'gap', lines: 7 });
      expect(result.rows[1]).toEqual({
        kind: 'context',
        text: 'line 8',
        oldLine: 8,
        newLine: 8
      });
      expect(result.rows[7]).toEqual({ kind: 'gap', lines: 8 });
    });

    it('keeps every line with an infinite context', () => {
      const result = LineDiff.compute('a\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n', {
        context: Infinity
      });
      expect(result.rows.filter(r => r.kind === 'gap')).toHaveLength(0);
      expect(result.rows).toHaveLength(6);
    });

    it('compares from and to an empty text', () => {
      expect(LineDiff.compute('', 'x\ny').rows).toEqual([
        { kind: 'added', text: 'x', newLine: 1 },
        { kind: 'added', text: 'y', newLine: 2 }
      ]);
      expect(LineDiff.compute('x\n', '').removed).toBe(1);
    });

    it('throws TooLargeError past maxEditLength instead of blocking the page', () => {
      const before = Array.from({ length: 200 }, (_, i) => `a${i}`).join('\n');
      const after = Array.from({ length: 200 }, (_, i) => `b${i}`).join('\n');
      expect(() =>
        LineDiff.compute(before, after, { maxEditLength: 10 })
      ).toThrow(LineDiff.TooLargeError);
    });
  });

  describe('splitLines', () => {
    it('splits on every line ending and drops the empty tail', () => {
      expect(LineDiff.splitLines('a\r\nb\rc\n')).toEqual(['a', 'b', 'c']);
      expect(LineDiff.splitLines('a\n\n')).toEqual(['a', '']);
      expect(LineDiff.splitLines('')).toEqual([]);
    });
  });
});
