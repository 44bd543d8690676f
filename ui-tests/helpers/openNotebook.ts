/** Opening a notebook in JupyterLab and waiting until it can be used. */
import { closedDialog } from './dialog';
import { LabPage } from './labPage';

/**
 * Opens the notebook at `url` and waits for its panel, then for its kernel to be
 * idle, or (`kernel: 'none'`, a site with no kernel) answers JupyterLab's
 * kernel question with No Kernel.
 */
export async function openNotebook(
  ui: LabPage,
  url: string,
  kernel: 'idle' | 'none' = 'idle'
): Promise<void> {
  await ui.open(url);
  await ui.notebook.waitFor();
  if (kernel === 'none') {
    await ui.dialog.getByRole('button', { name: 'No Kernel' }).click();
    await closedDialog(ui);
  } else {
    await ui.waitForKernelIdle();
  }
}
