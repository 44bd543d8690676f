import * as Y from 'yjs';
import { asOwnUndoStep } from '../../src/ui/undoStep';

/** A text with the undo history JupyterLab's shared models keep (Yjs, 500 ms capture). */
function sharedText(initial: string) {
  const doc = new Y.Doc();
  const text = doc.getText('source');
  text.insert(0, initial);
  const origin = {};
  const undoManager = new Y.UndoManager(text, {
    trackedOrigins: new Set([origin])
  });
  const edit = (f: () => void) => doc.transact(f, origin);
  return { text, undoManager, edit };
}

describe('asOwnUndoStep', () => {
  // The user types, then at once (well within 500 ms) restores a hunk.
  const typeThenRestore = (own: boolean) => {
    const shared = sharedText('alpha\nbeta\n');
    shared.edit(() => {
      shared.text.delete(0, 5);
      shared.text.insert(0, 'ALPHA');
    });
    shared.edit(() => shared.text.insert(shared.text.length, 'lambda\n'));
    const restore = () =>
      shared.edit(() => {
        shared.text.delete(0, 5);
        shared.text.insert(0, 'alpha');
      });
    if (own) {
      asOwnUndoStep([shared], restore);
    } else {
      restore();
    }
    shared.undoManager.undo();
    return shared.text.toString();
  };

  it('makes Ctrl+Z undo the restore alone, keeping what was typed just before', () => {
    expect(typeThenRestore(true)).toBe('ALPHA\nbeta\nlambda\n');
  });

  it('is needed: without it the restore merges with the typing and one undo loses both', () => {
    expect(typeThenRestore(false)).toBe('alpha\nbeta\n');
  });
});
