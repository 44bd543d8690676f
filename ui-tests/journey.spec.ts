/**
 * One user journey through the real stack: JupyterLab 4.6 from the venv with
 * this project pip-installed, a loopback git remote (git http-backend), and
 * Debian's Chromium. Each step is checked in the UI and with the git CLI.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GitRemote } from '../test/helpers/gitRemote';
import { Browser } from './helpers/browser';
import { closeDialog, closedDialog } from './helpers/dialog';
import { eventually } from './helpers/eventually';
import { gitIn } from './helpers/gitIn';
import { JupyterLab } from './helpers/jupyterLab';
import { LabPage } from './helpers/labPage';
import { tearDownLab } from './helpers/labTeardown';
import { codeCell, notebookJson } from './helpers/notebookJson';
import { openNotebook } from './helpers/openNotebook';
import { statusMatches } from './helpers/statusText';
import { stepper } from './helpers/step';
import { switchTheme } from './helpers/theme';
import {
  changedCellShown,
  changedCells,
  openCreateDialog,
  openRestoreDialog,
  previewReplaces
} from './helpers/toolbarDialogs';

/**
 * Each run's screenshots (the journey's and those of failed steps) and the
 * server log go to a temporary folder, so a run leaves the working tree as it
 * was; `npm run screenshots` also writes the journey's to docs/screenshots/.
 */
const RESULTS =
  process.env.E2E_RESULTS ?? mkdtempSync(join(tmpdir(), 'gc-e2e-results-'));
const SCREENSHOTS = process.env.E2E_SCREENSHOTS
  ? resolve(process.env.E2E_SCREENSHOTS)
  : null;
const BRANCH = 'alice-e2e';
const WRONG_PASSWORD = 'not the right one';

let remote: GitRemote;
let lab: JupyterLab;
let browser: Browser;
let ui: LabPage;
let home: string;

/** Commits of the home repository, newest first: `[hash, subject]`. */
async function log(...paths: string[]): Promise<[string, string][]> {
  const args = ['log', '--format=%H%x09%s'];
  if (paths.length) {
    args.push('--follow', '--', ...paths);
  }
  const stdout = await gitIn(home, ...args);
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(line => line.split('\t') as [string, string]);
}

async function show(revision: string): Promise<string> {
  return gitIn(home, 'show', revision);
}

async function screenshot(name: string): Promise<void> {
  const shot = await ui.page.screenshot({ path: join(RESULTS, name) });
  if (SCREENSHOTS) {
    writeFileSync(join(SCREENSHOTS, name), shot);
  }
}

/** A journey step: on failure, a screenshot of the page goes to RESULTS. */
const step = stepper({
  results: RESULTS,
  label: 'journey',
  page: () => ui?.page
});

async function remoteHead(): Promise<string | null> {
  try {
    const { stdout } = await remote.bare('team.git', [
      'rev-parse',
      `refs/heads/${BRANCH}`
    ]);
    return stdout.trim();
  } catch {
    return null;
  }
}

beforeAll(async () => {
  if (SCREENSHOTS) {
    mkdirSync(SCREENSHOTS, { recursive: true });
  }
  mkdirSync(RESULTS, { recursive: true });
  home = await mkdtemp(join(tmpdir(), 'gc-e2e-home-'));
  writeFileSync(
    join(home, 'analysis.ipynb'),
    JSON.stringify(notebookJson([codeCell('c1', ['x = 1'])]))
  );
  writeFileSync(join(home, 'notes.py'), 'a = 1\nb = 2\n');
  writeFileSync(join(home, 'untouched.txt'), 'never opened\n');
  remote = await GitRemote.start({ init: ['team.git'] });
  lab = await JupyterLab.start({
    home,
    env: {
      USER: 'alice',
      DEPLOY_ENV: 'e2e',
      GIT_URL: `${remote.url}/team.git`,
      GIT_USER: remote.user,
      GIT_PASS: remote.password,
      GIT_EMAIL: 'alice@example.org'
    }
  });
  browser = await Browser.launch();
  ui = new LabPage(browser.page);
}, 180000);

afterAll(async () => {
  await tearDownLab(browser, lab, join(RESULTS, 'jupyterlab.log'));
  if (lab) {
    console.log(`Screenshots and the server log: ${RESULTS}`);
  }
  await remote?.dispose();
  // E2E_KEEP_HOME=1 keeps the home repository for a look after a failure.
  if (home && !process.env.E2E_KEEP_HOME) {
    await rm(home, { recursive: true, force: true });
  } else if (home) {
    console.log(`Home kept at ${home}`);
  }
});

describe('Git checkpoints in JupyterLab', () => {
  let named: string;

  step('opens a notebook, runs a cell, and Ctrl+S makes a commit', async () => {
    await openNotebook(ui, lab.page('lab/tree/analysis.ipynb'));
    // Opening a file with no checkpoint creates the first one.
    const first = await eventually(async () => {
      const commits = await log('analysis.ipynb');
      expect(commits.length).toBe(1);
      return commits;
    });

    await ui.setCellSource(0, 'print(21 * 2)');
    await ui.runCell(0);
    await ui.cell(0).locator('.jp-OutputArea-output').getByText('42').waitFor();
    await ui.save();

    const commits = await eventually(async () => {
      const found = await log('analysis.ipynb');
      expect(found.length).toBe(first.length + 1);
      return found;
    });
    const saved = await show(`${commits[0][0]}:analysis.ipynb`);
    expect(saved).toContain('print(21 * 2)');
    expect(saved).toContain('42');
  });

  step('creates a named checkpoint from the toolbar', async () => {
    await ui.setCellSource(0, 'total = 6 * 7\nprint(total)');
    const input = await openCreateDialog(ui);
    await input.fill('Answer computed twice');
    await screenshot('create-checkpoint.png');
    await closeDialog(ui, 'Enter');

    const commits = await eventually(async () => {
      const found = await log('analysis.ipynb');
      expect(found[0][1]).toBe('Answer computed twice');
      return found;
    });
    named = commits[0][0];
    expect(await show(`${named}:analysis.ipynb`)).toContain('total = 6 * 7');
    await ui.page
      .getByText(`Checkpoint ${named.slice(0, 7)} created`)
      .waitFor();
  });

  step(
    'lists the checkpoints with messages and previews the changed cells',
    async () => {
      await ui.setCellSource(0, 'total = 0');
      await ui.appendCell('print("extra")');
      await ui.save();
      await eventually(async () =>
        expect((await log('analysis.ipynb')).length).toBe(4)
      );

      const options = await openRestoreDialog(ui);
      await eventually(async () => expect(await options.count()).toBe(4));
      const messages = await options
        .locator('.jp-gitCheckpoints-message')
        .allTextContents();
      // Automatic messages say what changed since the version before.
      expect(messages).toEqual([
        'Checkpoint analysis.ipynb: 1 cell changed, 1 added',
        'Answer computed twice',
        'Checkpoint analysis.ipynb: 1 cell changed',
        'Checkpoint analysis.ipynb'
      ]);
      // The list has the focus: the arrow keys move the selection.
      const list = ui.dialog.locator('[role="listbox"]');
      await eventually(async () =>
        expect(
          await list.evaluate(node => node === document.activeElement)
        ).toBe(true)
      );
      await browser.page.keyboard.press('ArrowDown');
      await expect(options.nth(1).getAttribute('aria-selected')).resolves.toBe(
        'true'
      );
      await expect(
        options.nth(1).locator('.jp-gitCheckpoints-hash').textContent()
      ).resolves.toBe(named.slice(0, 7));

      // The preview shows what Restore does: the current lines go, the checkpoint's come.
      await changedCells(ui).waitFor();
      await previewReplaces(ui, 'total = 0', 'total = 6 * 7');
      await ui.dialog
        .locator('.jp-gitCheckpoints-cell-removed')
        .getByText('print("extra")')
        .waitFor();
      // Outputs are hidden until asked for.
      expect(
        await ui.dialog.locator('.jp-gitCheckpoints-outputs').count()
      ).toBe(0);
      await screenshot('restore-dialog.png');
    }
  );

  step(
    'restores the named checkpoint: the notebook reloads and a restore commit is made',
    async () => {
      await closeDialog(ui, 'Enter');
      await eventually(async () =>
        expect(await ui.cellSources()).toEqual(['total = 6 * 7\nprint(total)'])
      );
      const commits = await eventually(async () => {
        const found = await log('analysis.ipynb');
        expect(found[0][1]).toBe(
          `Restore analysis.ipynb to ${named.slice(0, 7)}`
        );
        return found;
      });
      const restored = JSON.parse(
        await show(`${commits[0][0]}:analysis.ipynb`)
      );
      expect(
        restored.cells.map((c: { source: string | string[] }) =>
          [c.source].flat().join('')
        )
      ).toEqual(['total = 6 * 7\nprint(total)']);
    }
  );

  step(
    'renames the file in the file browser, and the history follows',
    async () => {
      await ui.renameFile('analysis.ipynb', 'renamed.ipynb');

      await eventually(async () => {
        const stdout = await gitIn(
          home,
          'show',
          '--name-status',
          '--format=%s',
          'HEAD'
        );
        expect(stdout).toMatch(/R\d*\s+analysis\.ipynb\s+renamed\.ipynb/);
      });
      const history = await log('renamed.ipynb');
      expect(history.map(([, subject]) => subject)).toContain(
        'Answer computed twice'
      );

      // The file browser's context menu opens the same dialog on the renamed file.
      await ui.fileContextMenu('renamed.ipynb', 'Restore Checkpoint…');
      const messages = ui.dialog.locator('.jp-gitCheckpoints-message');
      await messages.first().waitFor();
      expect(await messages.allTextContents()).toContain(
        'Answer computed twice'
      );
      await closeDialog(ui, 'Escape');
    }
  );

  step(
    'sends settings changes to the server and lists as many checkpoints as set',
    async () => {
      const field = (name: string) =>
        `jp-SettingsEditor-jupyterlab-git-checkpoints:plugin_${name}`;
      await ui.setSetting(
        'Git Checkpoints',
        field('email'),
        'alice.e2e@example.org'
      );
      await eventually(async () => {
        const settings = await (await lab.api('git-checkpoints/remote')).json();
        expect(settings.email).toBe('alice.e2e@example.org');
      });
      await ui.setSetting('Git Checkpoints', field('historyLength'), '3');
      await eventually(async () => {
        const stored = await (
          await lab.api('lab/api/settings/jupyterlab-git-checkpoints:plugin')
        ).json();
        expect(stored.settings.historyLength).toBe(3);
      });
      // Back to the notebook: the settings editor's tab closes.
      await ui.page
        .locator('.lm-TabBar-tab', { hasText: 'Settings' })
        .locator('.lm-TabBar-tabCloseIcon')
        .click();
      await ui.notebook.waitFor();

      const options = await openRestoreDialog(ui);
      await options.first().waitFor();
      expect(await options.count()).toBe(3);
      // The list has the keyboard focus as soon as the dialog shows.
      expect(
        await ui.dialog
          .locator('.jp-gitCheckpoints-list')
          .evaluate(list => list === list.ownerDocument.activeElement)
      ).toBe(true);
      await closeDialog(ui, 'Escape');

      // The next checkpoint is authored with the new email.
      await ui.setCellSource(0, 'total = 6 * 7\nprint(total)  # by email');
      await ui.save();
      await eventually(async () => {
        const stdout = await gitIn(home, 'log', '-1', '--format=%ae');
        expect(stdout.trim()).toBe('alice.e2e@example.org');
      });
    }
  );

  step('shows "pushed" once the remote has every checkpoint', async () => {
    await statusMatches(ui, /pushed$/, 60000);
    const local = (await log())[0][0];
    await eventually(async () => expect(await remoteHead()).toBe(local), 30000);
    // Settled: the status bar stops asking until something happens. (A save's own
    // refresh may still land first: wait for a quiet moment, then watch.)
    const isStatus = (url: string) => url.includes('/git-checkpoints/status');
    const count = () => browser.requests.filter(isStatus).length;
    let asked = -1;
    for (let quiet = 0; quiet < 5 && asked !== count(); quiet++) {
      asked = count();
      await new Promise(done => setTimeout(done, 3000));
    }
    await new Promise(done => setTimeout(done, 8000));
    expect(count()).toBe(asked);
    expect(await ui.statusText.textContent()).toMatch(/pushed$/);
    await ui.statusText.click();
    const popup = ui.page.locator('.jp-gitCheckpoints-statusPopup');
    await popup.getByText(BRANCH).waitFor();
    await screenshot('status-popup.png');
    await ui.statusText.click();
    await popup.waitFor({ state: 'detached' });
  });

  step(
    'keeps saving while the remote is down, shows pending, and pushes when it is back',
    async () => {
      const pushed = await remoteHead();
      await remote.stop();
      await ui.setCellSource(0, 'total = 6 * 7\nprint(total, "offline")');
      await ui.save();
      const commits = await eventually(async () => {
        const found = await log();
        expect(found[0][0]).not.toBe(pushed);
        return found;
      });
      expect(await show(`${commits[0][0]}:renamed.ipynb`)).toContain('offline');
      expect(await ui.dialog.count()).toBe(0);
      await statusMatches(ui, /1 pending/, 60000);
      expect(await remoteHead()).toBe(pushed);

      await remote.restart();
      await statusMatches(ui, /pushed$/, 120000);
      expect(await remoteHead()).toBe(commits[0][0]);
    }
  );

  step(
    'sets the remote password from the palette: a wrong one shows why pushes fail, Push now recovers',
    async () => {
      const setPassword = async (password: string) => {
        await ui.palette('Set Git Checkpoints Remote Password or Token');
        const input = ui.dialog.locator('input[type="password"]');
        await input.fill(password);
        await closeDialog(ui, 'Enter');
        await ui.page.getByText('Remote password set').first().waitFor();
      };
      const popup = ui.page.locator('.jp-gitCheckpoints-statusPopup');

      await setPassword(WRONG_PASSWORD);
      await ui.setCellSource(
        0,
        'total = 6 * 7\nprint(total, "wrong password")'
      );
      await ui.save();
      await statusMatches(ui, /1 pending, push failing$/, 60000);
      await ui.statusText.click();
      await popup
        .locator('.jp-gitCheckpoints-error')
        .getByText(/auth/i)
        .waitFor();
      await screenshot('status-failing.png');
      await ui.statusText.click();
      await popup.waitFor({ state: 'detached' });

      await setPassword(remote.password);
      await ui.statusText.click();
      await popup.getByRole('button', { name: 'Push now' }).click();
      await statusMatches(ui, /pushed$/, 30000);
      expect(await remoteHead()).toBe((await log())[0][0]);
      await ui.statusText.click();
      await popup.waitFor({ state: 'detached' });
    }
  );

  step('never exposes the remote password', async () => {
    expect(readFileSync(join(home, '.git', 'config'), 'utf8')).not.toContain(
      remote.password
    );
    expect(await ui.page.content()).not.toContain(remote.password);
    for (const secret of [remote.password, WRONG_PASSWORD]) {
      expect(lab.log.join('')).not.toContain(secret);
      expect(await ui.page.content()).not.toContain(secret);
    }
    const status = await (await lab.api('git-checkpoints/status')).text();
    expect(status).not.toContain(remote.password);
    const settings = await (await lab.api('git-checkpoints/remote')).json();
    expect(JSON.stringify(settings)).not.toContain(remote.password);
    expect(settings.has_password).toBe(true);
  });

  step(
    'checkpoints a text file from the editor toolbar, previews a line diff, opens a copy',
    async () => {
      const editor = await ui.openTextFile('notes.py');
      await editor.click();
      await browser.page.keyboard.press('Control+End');
      await browser.page.keyboard.insertText('c = 3\n');
      await ui.toolbarButton('git-checkpoints:create');
      await ui.dialog.locator('input').fill('Add c');
      await browser.page.keyboard.press('Enter');
      const [withC] = await eventually(async () => {
        const found = await log('notes.py');
        expect(found[0][1]).toBe('Add c');
        return found;
      });
      expect(await show(`${withC[0]}:notes.py`)).toBe('a = 1\nb = 2\nc = 3\n');

      await editor.click();
      await browser.page.keyboard.press('Control+End');
      await browser.page.keyboard.insertText('d = 4\n');
      await browser.page.keyboard.press('Control+s');
      await eventually(async () =>
        expect((await log('notes.py'))[0][0]).not.toBe(withC[0])
      );

      const options = await openRestoreDialog(ui);
      await options.first().waitFor();
      await options.filter({ hasText: 'Add c' }).click();
      const removed = ui.dialog.locator(
        '.jp-gitCheckpoints-lineDiff .jp-gitCheckpoints-removed'
      );
      await removed.getByText('d = 4').waitFor();
      expect(await removed.count()).toBe(1);
      await ui.dialog.getByRole('button', { name: 'Open as a copy' }).click();
      await closedDialog(ui);

      const copy = `notes-${withC[0].slice(0, 7)}.py`;
      await ui.page
        .locator('.lm-TabBar-tab.jp-mod-current', { hasText: copy })
        .waitFor();
      expect(readFileSync(join(home, copy), 'utf8')).toBe(
        'a = 1\nb = 2\nc = 3\n'
      );
    }
  );

  step('says so when a file has no checkpoint yet', async () => {
    await ui.fileContextMenu('untouched.txt', 'Restore Checkpoint…');
    await ui.dialog.getByText(/No checkpoints yet/).waitFor();
    expect(await ui.dialog.locator('[role="option"]').count()).toBe(0);
    // Enter has nothing to restore: the dialog closes and nothing is committed.
    const before = await log();
    await closeDialog(ui, 'Enter');
    expect(await log()).toEqual(before);
  });

  step(
    'keeps the built-in "Revert Notebook to Checkpoint" working',
    async () => {
      await ui.tab('renamed.ipynb').click();
      await ui.notebook.waitFor();
      const before = await log('renamed.ipynb');
      await ui.menu(['File', 'Revert Notebook to Checkpoint…']);
      const select = ui.dialog.locator('select');
      await select.waitFor();
      // The standard API lists up to history_length (10) checkpoints, newest first here.
      expect(await select.locator('option').count()).toBeGreaterThan(3);
      await select.selectOption({ index: 1 });
      await ui.dialog.locator('.jp-mod-accept').click();
      // Then JupyterLab asks for confirmation in a second dialog.
      await ui.dialog
        .getByRole('button', { name: 'Revert to Checkpoint' })
        .click();
      await closedDialog(ui);
      await eventually(async () => {
        const after = await log('renamed.ipynb');
        expect(after[0][1]).toMatch(/^Restore renamed\.ipynb to [0-9a-f]{7}$/);
        expect(after.length).toBeGreaterThan(before.length);
      });
    }
  );

  step('shows the restore dialog in the dark theme', async () => {
    await switchTheme(ui, 'dark');
    // An unsaved edit: the preview compares with what the editor holds.
    await ui.setCellSource(0, 'total = 6 * 7\nprint(total, "in the dark")');
    const options = await openRestoreDialog(ui);
    await options.nth(1).waitFor();
    await options.nth(1).click();
    await changedCellShown(ui);
    await ui.dialog.getByText('Show outputs').click();
    await ui.dialog.locator('.jp-gitCheckpoints-outputs').first().waitFor();
    await screenshot('restore-dialog-dark.png');
    await closeDialog(ui, 'Escape');
  });

  step('logs no error or warning in the browser console', async () => {
    expect(browser.problems()).toEqual([]);
  });
});
