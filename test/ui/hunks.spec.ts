import { Hunks } from '../../src/ui/hunks';
import { LineDiff } from '../../src/ui/lineDiff';

/** Applies one hunk of diff(before -> after) to `before`. */
function restoreHunk(before: string, after: string, n: number): string {
  const hunk = Hunks.of(LineDiff.compute(before, after))[n];
  const { start, end, value } = Hunks.edit(before, hunk);
  return before.slice(0, start) + value + before.slice(end);
}

describe('Hunks', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
  const after = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n';

  describe('of', () => {
    it('finds each run of changed lines with its place in the old text', () => {
      const hunks = Hunks.of(LineDiff.compute(before, after));
      expect(
        hunks.map(({ start, removed, lines }) => ({ start, removed, lines }))
      ).toEqual([
        { start: 1, removed: 1, lines: ['B'] },
        { start: 11, removed: 0, lines: ['l'] }
      ]);
    });
  });

  describe('edit', () => {
    it('restores one hunk and leaves the others as they are', () => {
      expect(restoreHunk(before, after, 0)).toBe(before.replace('b', 'B'));
      expect(restoreHunk(before, after, 1)).toBe(`${before}l\n`);
    });

    it('restores deleted lines and keeps a missing final newline missing', () => {
      expect(restoreHunk('x\ny\nz', 'x\nz', 0)).toBe('x\nz');
      expect(restoreHunk('x\nz', 'x\ny\nz', 0)).toBe('x\ny\nz');
      expect(restoreHunk('x', 'x\ny', 0)).toBe('x\ny');
    });

    it('keeps Windows line endings', () => {
      expect(restoreHunk('a\r\nb\r\n', 'a\r\nB\r\n', 0)).toBe('a\r\nB\r\n');
    });
  });
});
