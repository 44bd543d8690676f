/** A shared model or cell of JupyterLab, as far as its Yjs undo history goes. */
export interface IUndoable {
  readonly undoManager?: { stopCapturing(): void } | null;
}

/**
 * Runs `edit` as an undo step of its own. Yjs merges changes made less than
 * 500 ms apart into one step, so a restore just after typing would otherwise
 * be undone together with the typing (Ctrl+Z would lose the user's edit too).
 */
export function asOwnUndoStep(models: IUndoable[], edit: () => void): void {
  models.forEach(model => model.undoManager?.stopCapturing());
  try {
    edit();
  } finally {
    models.forEach(model => model.undoManager?.stopCapturing());
  }
}
