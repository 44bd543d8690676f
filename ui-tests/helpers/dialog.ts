/** Waiting for JupyterLab's dialog to close. */
import { LabPage } from './labPage';

/** Waits until the dialog is gone. */
export function closedDialog(ui: LabPage): Promise<void> {
  return ui.dialog.waitFor({ state: 'detached' });
}

/** Presses Enter (accept) or Escape (cancel) in the dialog and waits until it is gone. */
export async function closeDialog(
  ui: LabPage,
  key: 'Enter' | 'Escape'
): Promise<void> {
  await ui.page.keyboard.press(key);
  await closedDialog(ui);
}
