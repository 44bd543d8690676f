/**
 * Jupyter Notebook 7 (the venv's `notebook`, same extension system as JupyterLab 4.6):
 * the checkpoint button, the status item (in the top area: Notebook has no status
 * bar) and the restore dialog, each checked with the git CLI.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { gitIn } from './helpers/gitIn';
import { JupyterLab } from './helpers/jupyterLab';
import { markdownCell, notebookJson } from './helpers/notebookJson';

let notebook: JupyterLab;
let browser: Browser;
let home: string;

async function commits(path: string): Promise<string[]> {
  const stdout = await gitIn(home, 'log', '--format=%H', '--', path);
  return stdout.split('\n').filter(Boolean);
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'gc-nb7-home-'));
  writeFileSync(
    join(home, 'study.ipynb'),
    JSON.stringify(notebookJson([markdownCell('m1', ['first version'])]))
  );
  notebook = await JupyterLab.start({
    home,
    app: 'notebook',
    env: {
      JUPYTERHUB_USER: 'grace',
      DEPLOY_ENV: 'nb7',
      GIT_EMAIL: '{username}@example.org'
    }
  });
  browser = await Browser.launch();
}, 180000);

afterAll(async () => {
  await browser?.close();
  await notebook?.stop();
  if (home) {
    await rm(home, { recursive: true, force: true });
  }
});

describe('Git checkpoints in Jupyter Notebook 7', () => {
  it('checkpoint button, status item and restore dialog', async () => {
    const page = browser.page;
    await page.goto(notebook.page('notebooks/study.ipynb'));
    const panel = page.locator('.jp-NotebookPanel');
    await panel.waitFor({ timeout: 60000 });
    // Opening a notebook with no checkpoint creates the first one.
    const [first] = await eventually(async () => {
      const found = await commits('study.ipynb');
      expect(found).toHaveLength(1);
      return found;
    });

    // The status item sits in Notebook's top area and shows the branch.
    const status = page.locator('#jp-gitCheckpoints-topStatus');
    await status.getByText(/grace-nb7/).waitFor();
    // Its details (in a dialog: Notebook has no status bar to open a popup over) say the branch.
    await status.locator('[role="button"], div').first().click();
    const details = page.locator('.jp-gitCheckpoints-statusDetails');
    await details.getByText('grace-nb7', { exact: true }).waitFor();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Close' })
      .click();
    await details.waitFor({ state: 'detached' });

    // Edit the cell, then the toolbar's checkpoint button (it saves first).
    await panel.locator('.jp-MarkdownOutput').first().dblclick();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('second version');
    await panel
      .locator('jp-button[data-command="git-checkpoints:create"]')
      .click();
    // It asks for an optional message.
    await page.locator('.jp-Dialog input').waitFor();
    await page.keyboard.insertText('from Notebook 7');
    await page.keyboard.press('Enter');
    const [second] = await eventually(async () => {
      const found = await commits('study.ipynb');
      expect(found).toHaveLength(2);
      return found;
    });
    const author = await gitIn(home, 'log', '-1', '--format=%an <%ae> %s');
    expect(author.trim()).toBe('grace <grace@example.org> from Notebook 7');
    expect(second).not.toBe(first);

    // The restore dialog, from the notebook's toolbar, lists both checkpoints.
    await panel
      .locator('jp-button[data-command="git-checkpoints:restore"]')
      .click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.waitFor();
    await expect(
      eventually(async () => {
        expect(await dialog.locator('[role="option"]').count()).toBe(2);
      })
    ).resolves.toBeUndefined();
    await page.keyboard.press('Escape');
  });
});
