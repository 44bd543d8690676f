/** The extension's dialogs opened from a document's toolbar. */
import { Locator } from 'playwright-core';
import { LabPage } from './labPage';

/** Opens the restore dialog of the current document; gives its checkpoint entries. */
export async function openRestoreDialog(ui: LabPage): Promise<Locator> {
  await ui.toolbarButton('git-checkpoints:restore');
  return ui.dialog.locator('[role="option"]');
}

/** Opens the dialog that creates a checkpoint of the current document; gives its message input, once shown. */
export async function openCreateDialog(ui: LabPage): Promise<Locator> {
  await ui.toolbarButton('git-checkpoints:create');
  const input = ui.dialog.locator('input');
  await input.waitFor();
  return input;
}

/** The restore dialog's preview of a changed cell. */
export function changedCells(ui: LabPage): Locator {
  return ui.dialog.locator('.jp-gitCheckpoints-cell-changed');
}

/** Waits until the restore dialog's preview shows a changed cell. */
export async function changedCellShown(ui: LabPage): Promise<void> {
  await changedCells(ui).first().waitFor();
}

/** Waits until the preview's changed cell shows the current `line` going and the checkpoint's `replacement` coming. */
export async function previewReplaces(
  ui: LabPage,
  line: string,
  replacement: string
): Promise<void> {
  const changed = changedCells(ui);
  await changed.locator('.jp-gitCheckpoints-removed').getByText(line).waitFor();
  await changed
    .locator('.jp-gitCheckpoints-added')
    .getByText(replacement)
    .waitFor();
}
