/** Switching JupyterLab's theme from its menu. */
import { LabPage } from './labPage';

/** Picks JupyterLab Light or Dark in Settings > Theme and waits until the page wears it. */
export async function switchTheme(
  ui: LabPage,
  theme: 'light' | 'dark'
): Promise<void> {
  await ui.menu([
    'Settings',
    'Theme',
    theme === 'dark' ? 'JupyterLab Dark' : 'JupyterLab Light'
  ]);
  await ui.page
    .locator(`body[data-jp-theme-light="${theme === 'light'}"]`)
    .waitFor({ state: 'attached' });
}
