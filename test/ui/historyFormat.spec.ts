import { HistoryFormat } from '../../src/ui/historyFormat';
import { ListNavigation } from '../../src/ui/listNavigation';

describe('HistoryFormat.isNamed', () => {
  it("tells the engine's own messages from a user's", () => {
    for (const automatic of [
      'Checkpoint a.ipynb',
      'Checkpoint a.ipynb: 2 cells changed, 1 added',
      'Before restoring 1234abc',
      'Restore a.ipynb to 1234abc',
      'Rename a.ipynb to b.ipynb',
      'Delete old',
      'Recover old/a.ipynb from 1234abc'
    ]) {
      expect(HistoryFormat.isNamed(automatic)).toBe(false);
    }
    for (const named of [
      'Answer computed twice',
      'Checkpoint',
      'Before the talk'
    ]) {
      expect(HistoryFormat.isNamed(named)).toBe(true);
    }
  });
});

describe('ListNavigation.move', () => {
  it('moves by one with the arrows, to the ends with Home and End, within bounds', () => {
    expect(ListNavigation.move('ArrowDown', 0, 3)).toBe(1);
    expect(ListNavigation.move('ArrowDown', 2, 3)).toBe(2);
    expect(ListNavigation.move('ArrowUp', 0, 3)).toBe(0);
    expect(ListNavigation.move('Home', 2, 3)).toBe(0);
    expect(ListNavigation.move('End', 0, 3)).toBe(2);
    expect(ListNavigation.move('Enter', 0, 3)).toBeNull();
    expect(ListNavigation.move('ArrowDown', 0, 0)).toBeNull();
  });
});
