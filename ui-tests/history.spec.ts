/**
 * History features end to end, on the real stack (JupyterLab from the venv
 * with this project pip-installed, Debian's Chromium, a local repository):
 * restoring some cells or lines, the restore dialog's keyboard order,
 * contrast in both themes, and opening a copy. Checked in the UI and with
 * the git CLI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser } from './helpers/browser';
import { lowContrast } from './helpers/contrast';
import { closeDialog, closedDialog } from './helpers/dialog';
import { eventually } from './helpers/eventually';
import { gitIn } from './helpers/gitIn';
import { JupyterLab } from './helpers/jupyterLab';
import { LabPage } from './helpers/labPage';
import { tearDownLab } from './helpers/labTeardown';
import { codeCell, notebookJson } from './helpers/notebookJson';
import { openNotebook } from './helpers/openNotebook';
import { stepper } from './helpers/step';
import { switchTheme } from './helpers/theme';
import { changedCellShown, openRestoreDialog } from './helpers/toolbarDialogs';

const RESULTS = resolve(__dirname, 'results');

let lab: JupyterLab;
let browser: Browser;
let ui: LabPage;
let home: string;

const cell = (id: string, source: string) => codeCell(id, [source]);

/** Commit subjects touching `path`, newest first. */
async function subjects(path: string): Promise<string[]> {
  const stdout = await gitIn(home, 'log', '--format=%s', '--', path);
  return stdout.trim().split('\n').filter(Boolean);
}

/** The cells of a notebook at a revision, as `{id: source}`. */
async function cellsAt(revision: string, path: string) {
  const stdout = await gitIn(home, 'show', `${revision}:${path}`);
  const notebook = JSON.parse(stdout);
  return Object.fromEntries(
    notebook.cells.map((c: { id: string; source: string | string[] }) => [
      c.id,
      [c.source].flat().join('')
    ])
  );
}

const step = stepper({
  results: RESULTS,
  prefix: 'failed-history-',
  label: 'history',
  page: () => ui?.page
});

/** Opens the restore dialog of the current document and selects the checkpoint with this message. */
async function openRestore(message: string): Promise<void> {
  await ui.toolbarButton('git-checkpoints:restore');
  const option = ui.dialog.locator('[role="option"]').filter({
    has: ui.page.locator('.jp-gitCheckpoints-message', { hasText: message })
  });
  await option.first().click();
  await ui.dialog
    .locator('.jp-gitCheckpoints-cells, .jp-gitCheckpoints-lineDiff')
    .first()
    .waitFor();
}

/** What has the focus, in a few words. */
function focused(): Promise<string> {
  return ui.page.evaluate(() => {
    const node = document.activeElement as HTMLElement | null;
    if (!node) {
      return 'nothing';
    }
    if (node.getAttribute('role') === 'listbox') {
      return 'list';
    }
    const label = node.closest('label')?.textContent ?? '';
    return `${node.tagName.toLowerCase()}:${(node.textContent || label || node.getAttribute('aria-label') || '').trim()}`;
  });
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  home = await mkdtemp(join(tmpdir(), 'gc-e2e-history-'));
  writeFileSync(
    join(home, 'cells.ipynb'),
    JSON.stringify(
      notebookJson([
        cell('one', 'a = 1'),
        cell('two', 'b = 2'),
        cell('three', 'c = 3')
      ])
    )
  );
  writeFileSync(
    join(home, 'lines.txt'),
    'alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\neta\ntheta\niota\nkappa\n'
  );
  lab = await JupyterLab.start({
    home,
    env: { USER: 'bob', GIT_EMAIL: 'bob@example.org' }
  });
  browser = await Browser.launch();
  ui = new LabPage(browser.page);
}, 180000);

afterAll(async () => {
  await tearDownLab(browser, lab, join(RESULTS, 'jupyterlab-history.log'));
  if (home && !process.env.E2E_KEEP_HOME) {
    await rm(home, { recursive: true, force: true });
  }
});

describe('History features', () => {
  step(
    'a second version of the notebook, with a message that says what changed',
    async () => {
      await openNotebook(ui, lab.page('lab/tree/cells.ipynb'));
      await eventually(async () =>
        expect(await subjects('cells.ipynb')).toHaveLength(1)
      );
      await ui.setCellSource(0, 'a = 10');
      await ui.setCellSource(1, 'b = 20');
      await ui.setCellSource(2, 'c = 30');
      await ui.save();
      await eventually(async () =>
        expect((await subjects('cells.ipynb'))[0]).toBe(
          'Checkpoint cells.ipynb: 3 cells changed'
        )
      );
    }
  );

  step(
    'restores one cell into the open notebook; Ctrl+Z takes it back; nothing is committed',
    async () => {
      const before = await subjects('cells.ipynb');
      await openRestore('Checkpoint cells.ipynb');
      // The oldest entry is the plain first message; pick it precisely.
      const first = ui.dialog.locator('[role="option"]').last();
      await first.click();
      await changedCellShown(ui);
      await ui.dialog
        .getByRole('button', { name: 'Restore cell 1 from the checkpoint' })
        .click();
      await closedDialog(ui);
      await eventually(async () =>
        expect(await ui.cellSources()).toEqual(['a = 1', 'b = 20', 'c = 30'])
      );
      await ui.page
        .getByText(
          /Restored 1 cell from checkpoint [0-9a-f]{7} into cells\.ipynb/
        )
        .first()
        .waitFor();
      expect(
        await ui.page
          .locator('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')
          .count()
      ).toBe(1);

      // Ctrl+Z in the restored cell (command mode) undoes the restore there.
      await ui.cell(0).locator('.jp-InputPrompt').click();
      await ui.page.keyboard.press('Control+z');
      await eventually(async () =>
        expect(await ui.cellSources()).toEqual(['a = 10', 'b = 20', 'c = 30'])
      );
      expect(await subjects('cells.ipynb')).toEqual(before);
    }
  );

  step(
    'restores two selected cells; saving makes one commit changing exactly those cells',
    async () => {
      await openRestore('Checkpoint cells.ipynb');
      await ui.dialog.locator('[role="option"]').last().click();
      await changedCellShown(ui);
      await ui.dialog
        .getByRole('checkbox', { name: 'Select cell 1 to restore' })
        .check();
      await ui.dialog
        .getByRole('checkbox', { name: 'Select cell 3 to restore' })
        .check();
      await ui.dialog
        .getByRole('button', { name: 'Restore 2 selected cells' })
        .click();
      await closedDialog(ui);
      await eventually(async () =>
        expect(await ui.cellSources()).toEqual(['a = 1', 'b = 20', 'c = 3'])
      );
      await ui.page
        .getByText(/Restored 2 cells from checkpoint/)
        .first()
        .waitFor();

      const count = (await subjects('cells.ipynb')).length;
      await ui.save();
      await eventually(async () =>
        expect((await subjects('cells.ipynb')).length).toBe(count + 1)
      );
      expect((await subjects('cells.ipynb'))[0]).toBe(
        'Checkpoint cells.ipynb: 2 cells changed'
      );
      const [previous, now] = await Promise.all([
        cellsAt('HEAD~1', 'cells.ipynb'),
        cellsAt('HEAD', 'cells.ipynb')
      ]);
      expect(previous).toEqual({
        one: 'a = 10',
        two: 'b = 20',
        three: 'c = 30'
      });
      expect(now).toEqual({ one: 'a = 1', two: 'b = 20', three: 'c = 3' });
    }
  );

  step(
    'is operable from the keyboard: list, Show outputs, the cells, the buttons, and round again',
    async () => {
      await ui.toolbarButton('git-checkpoints:restore');
      const list = ui.dialog.locator('[role="listbox"]');
      await eventually(async () => expect(await focused()).toBe('list'));
      await list.locator('[role="option"]').nth(1).waitFor();
      await ui.page.keyboard.press('ArrowDown');
      await changedCellShown(ui);
      expect(await list.locator('[aria-selected="true"]').count()).toBe(1);
      const order: string[] = [];
      for (
        let i = 0;
        i < 12 && (order.length === 0 || order[order.length - 1] !== 'list');
        i++
      ) {
        await ui.page.keyboard.press('Tab');
        order.push(await focused());
      }
      expect(order[0]).toBe('input:Show outputs');
      expect(order.slice(-4)).toEqual([
        'button:Cancel',
        'button:Open as a copy',
        'button:Restore',
        'list'
      ]);
      // Backwards from the list, the last button.
      await ui.page.keyboard.press('Shift+Tab');
      expect(await focused()).toBe('button:Restore');
      // Enter on a control of the preview is that control's, not the dialog's Restore.
      const commits = await subjects('cells.ipynb');
      await ui.page.keyboard.press('Tab');
      await ui.page.keyboard.press('Tab');
      expect(await focused()).toBe('input:Show outputs');
      await ui.page.keyboard.press('Enter');
      expect(await ui.dialog.count()).toBe(1);
      expect(await subjects('cells.ipynb')).toEqual(commits);
      await closeDialog(ui, 'Escape');
    }
  );

  for (const theme of ['light', 'dark'] as const) {
    step(
      `every text of the dialog reaches WCAG AA in the ${theme} theme`,
      async () => {
        if (theme === 'dark') {
          await switchTheme(ui, 'dark');
        }
        await ui.setCellSource(1, 'b = 200');
        const options = await openRestoreDialog(ui);
        await options.nth(1).click();
        await changedCellShown(ui);
        await ui.dialog.getByText('Show outputs').click();
        await ui.dialog
          .getByRole('checkbox', { name: /Select cell/ })
          .first()
          .check();
        // Hovered, selected, focused and plain entries all count.
        await options.nth(2).hover();
        expect(
          await lowContrast(ui.page, '.jp-gitCheckpoints-restore')
        ).toEqual([]);
        const height = await ui.dialog
          .locator('.jp-Dialog-content')
          .evaluate(n => n.getBoundingClientRect().height);
        expect(height).toBeLessThanOrEqual(0.85 * 900 + 1);
        await closeDialog(ui, 'Escape');
      }
    );
  }

  step(
    'restores one hunk of a text file into the open editor, undoable',
    async () => {
      const editor = await ui.openTextFile('lines.txt');
      await eventually(async () =>
        expect(await subjects('lines.txt')).toHaveLength(1)
      );
      await editor.click();
      await ui.page.keyboard.press('Control+Home');
      await ui.page.keyboard.press('Shift+End');
      await ui.page.keyboard.insertText('ALPHA');
      await ui.page.keyboard.press('Control+End');
      await ui.page.keyboard.insertText('lambda\n');
      await ui.page.keyboard.press('Control+s');
      await eventually(async () =>
        expect(await subjects('lines.txt')).toHaveLength(2)
      );
      expect((await subjects('lines.txt'))[0]).toBe(
        'Checkpoint lines.txt: 2 lines added, 1 removed'
      );

      await (await openRestoreDialog(ui)).last().click();
      const hunks = ui.dialog.getByRole('button', {
        name: 'Restore these lines'
      });
      await eventually(async () => expect(await hunks.count()).toBe(2));
      await hunks.first().click();
      await closedDialog(ui);
      const text = () =>
        editor.evaluate(node =>
          Array.from(node.querySelectorAll('.cm-line'))
            .map(line => line.textContent)
            .join('\n')
        );
      await eventually(async () =>
        expect(await text()).toMatch(/^alpha\nbeta\n[\s\S]*kappa\nlambda\n?$/)
      );
      await editor.click();
      await ui.page.keyboard.press('Control+z');
      await eventually(async () => expect(await text()).toMatch(/^ALPHA\n/));
    }
  );

  step(
    'opens a copy without starting a kernel, and says what it did',
    async () => {
      await ui.tab('cells.ipynb').click();
      await ui.notebook.waitFor();
      const sessions = async () =>
        (await (await lab.api('api/sessions')).json()).length;
      const before = await sessions();
      await (await openRestoreDialog(ui)).last().click();
      await ui.dialog.getByRole('button', { name: 'Open as a copy' }).click();
      await closedDialog(ui);
      await ui.page
        .getByText(
          /Opened checkpoint [0-9a-f]{7} of cells\.ipynb as a new file, cells-[0-9a-f]{7}\.ipynb \(no kernel started\)/
        )
        .first()
        .waitFor();
      await ui.page
        .locator('.lm-TabBar-tab.jp-mod-current', {
          hasText: /cells-[0-9a-f]{7}\.ipynb/
        })
        .waitFor();
      await new Promise(done => setTimeout(done, 2000));
      expect(await sessions()).toBe(before);
    }
  );

  step('compares two older checkpoints with the cell-level view', async () => {
    await ui.tab(/^cells\.ipynb$/).click();
    await ui.notebook.waitFor();
    const [v1, , v3] = (
      await gitIn(home, 'log', '--reverse', '--format=%H', '--', 'cells.ipynb')
    ).split('\n');
    await ui.palette('Compare Checkpoints');
    const view = ui.page.locator('.jp-gitCheckpoints-compare:visible');
    await view.waitFor();
    await view.getByRole('combobox', { name: 'Older side' }).selectOption(v1);
    await view.getByRole('combobox', { name: 'Newer side' }).selectOption(v3);
    // v1 -> v3 changed one cell: b = 2 became b = 20; unchanged cells are hidden.
    const cells = view.locator('.jp-gitCheckpoints-cell');
    await eventually(async () => expect(await cells.count()).toBe(1));
    await cells
      .locator('.jp-gitCheckpoints-removed')
      .getByText('b = 2', { exact: true })
      .waitFor();
    await cells
      .locator('.jp-gitCheckpoints-added')
      .getByText('b = 20', { exact: true })
      .waitFor();
    await view.getByText('1 cell changed, 0 added, 0 removed').waitFor();
    await view.getByText('Hide unchanged cells').click();
    await eventually(async () => expect(await cells.count()).toBe(3));
    expect(await lowContrast(ui.page, '.jp-gitCheckpoints-compare')).toEqual(
      []
    );
    await ui.page
      .locator('.lm-TabBar-tab.jp-mod-current .lm-TabBar-tabCloseIcon')
      .click();
  });

  step(
    'the timeline shows the current document and follows saves and document switches',
    async () => {
      await ui.tab(/^cells\.ipynb$/).click();
      await ui.notebook.waitFor();
      await ui.page
        .locator('.lm-TabBar-tab[data-id="jp-gitCheckpoints-timeline"]')
        .click();
      const panel = ui.page.locator('#jp-gitCheckpoints-timeline');
      const messages = panel.locator(
        '.jp-gitCheckpoints-timelineEntry .jp-gitCheckpoints-message'
      );
      await eventually(async () =>
        expect(await messages.count()).toBe(
          (await subjects('cells.ipynb')).length
        )
      );
      const count = (await subjects('cells.ipynb')).length;
      await ui.setCellSource(2, 'c = 300');
      await ui.save();
      await eventually(async () =>
        expect(await messages.count()).toBe(count + 1)
      );
      expect(await messages.allTextContents()).toEqual(
        await subjects('cells.ipynb')
      );

      // The newest, unpushed checkpoint can be renamed; then it shows as named.
      const entries = panel.locator('.jp-gitCheckpoints-timelineEntry');
      expect(await panel.getByRole('button', { name: 'Rename' }).count()).toBe(
        1
      );
      await entries.first().getByRole('button', { name: 'Rename' }).click();
      await ui.dialog.locator('input').fill('Tuned c');
      await closeDialog(ui, 'Enter');
      await eventually(async () =>
        expect((await subjects('cells.ipynb'))[0]).toBe('Tuned c')
      );
      await entries
        .first()
        .and(panel.locator('.jp-mod-named'))
        .getByText('Tuned c')
        .waitFor();
      expect(await panel.locator('.jp-mod-named').count()).toBe(1);

      await ui.tab(/^lines\.txt$/).click();
      await eventually(async () =>
        expect(await messages.allTextContents()).toEqual(
          await subjects('lines.txt')
        )
      );
      expect(await lowContrast(ui.page, '#jp-gitCheckpoints-timeline')).toEqual(
        []
      );
    }
  );

  step(
    'recovers a deleted notebook from the folder context menu, with its history',
    async () => {
      const nb = (source: string) =>
        JSON.stringify({
          type: 'notebook',
          // With a kernelspec, so that opening the recovered notebook asks for no kernel.
          content: notebookJson([cell('only', source)])
        });
      const put = (path: string, body: string) =>
        lab.api(`api/contents/${path}`, { method: 'PUT', body });
      expect((await put('old', JSON.stringify({ type: 'directory' }))).ok).toBe(
        true
      );
      for (const source of ['first = 1', 'second = 2']) {
        expect((await put('old/doomed.ipynb', nb(source))).ok).toBe(true);
        const created = await lab.api(
          'git-checkpoints/checkpoints/old/doomed.ipynb',
          {
            method: 'POST',
            body: '{}'
          }
        );
        expect(created.status).toBe(201);
      }
      expect(
        (await lab.api('api/contents/old/doomed.ipynb', { method: 'DELETE' }))
          .status
      ).toBe(204);
      const before = await subjects('old/doomed.ipynb');
      expect(before[0]).toBe('Delete old/doomed.ipynb');

      await ui.page.locator('.jp-BreadCrumbs-home').click();
      await ui.fileContextMenu('old', 'Recover Deleted File…');
      const option = ui.dialog.locator('[role="option"]');
      await option.filter({ hasText: 'old/doomed.ipynb' }).waitFor();
      await ui.dialog
        .locator('.jp-gitCheckpoints-recoverPreview')
        .getByText(/second = 2/)
        .waitFor();
      expect(await lowContrast(ui.page, '.jp-gitCheckpoints-recover')).toEqual(
        []
      );
      await closeDialog(ui, 'Enter');
      await ui.page
        .locator('.lm-TabBar-tab.jp-mod-current', { hasText: 'doomed.ipynb' })
        .waitFor();
      const stdout = await gitIn(
        home,
        'log',
        '--follow',
        '--format=%s',
        '--',
        'old/doomed.ipynb'
      );
      expect(stdout.trim().split('\n')).toEqual([
        expect.stringMatching(/^Recover old\/doomed\.ipynb from [0-9a-f]{7}$/),
        ...before
      ]);
      // The timeline lists the versions from before the delete.
      const messages = ui.page.locator(
        '#jp-gitCheckpoints-timeline .jp-gitCheckpoints-timelineEntry .jp-gitCheckpoints-message'
      );
      await eventually(async () => expect(await messages.count()).toBe(3));
      expect((await messages.allTextContents()).slice(1)).toEqual(
        before.slice(1)
      );
    }
  );

  step(
    'the timeline and the compare view reach WCAG AA in the light theme too',
    async () => {
      // The steps above measured them in the dark theme.
      await switchTheme(ui, 'light');
      const panel = ui.page.locator('#jp-gitCheckpoints-timeline');
      await panel.locator('.jp-gitCheckpoints-timelineEntry').first().waitFor();
      await panel.locator('.jp-gitCheckpoints-entryMain').first().hover();
      expect(await lowContrast(ui.page, '#jp-gitCheckpoints-timeline')).toEqual(
        []
      );
      // Clicking an entry compares it with the one before it.
      await panel.locator('.jp-gitCheckpoints-entryMain').first().click();
      const view = ui.page.locator('.jp-gitCheckpoints-compare:visible');
      // The recovered version equals the one before it: nothing changed, one cell hidden.
      await view.getByText(/0 cells changed, 0 added, 0 removed/).waitFor();
      await view.getByText('Hide unchanged cells').click();
      await view.locator('.jp-gitCheckpoints-cell').first().waitFor();
      expect(await lowContrast(ui.page, '.jp-gitCheckpoints-compare')).toEqual(
        []
      );
    }
  );

  step('the timeline pages past the first 10 checkpoints', async () => {
    for (let i = 0; i < 12; i++) {
      const put = await lab.api('api/contents/many.txt', {
        method: 'PUT',
        body: JSON.stringify({
          type: 'file',
          format: 'text',
          content: `v${i}\n`
        })
      });
      expect(put.ok).toBe(true);
      const created = await lab.api('git-checkpoints/checkpoints/many.txt', {
        method: 'POST',
        body: '{}'
      });
      expect(created.status).toBe(201);
    }
    await ui.fileItem('many.txt').dblclick();
    await ui.page
      .locator('.lm-TabBar-tab.jp-mod-current', { hasText: 'many.txt' })
      .waitFor();
    const panel = ui.page.locator('#jp-gitCheckpoints-timeline');
    const entries = panel.locator('.jp-gitCheckpoints-timelineEntry');
    await eventually(async () => expect(await entries.count()).toBe(10));
    await panel.getByRole('button', { name: 'Show older checkpoints' }).click();
    await eventually(async () => expect(await entries.count()).toBe(12));
    expect(
      await panel
        .getByRole('button', { name: 'Show older checkpoints' })
        .count()
    ).toBe(0);
    const ids = await entries
      .locator('.jp-gitCheckpoints-hash')
      .allTextContents();
    const stdout = await gitIn(
      home,
      'log',
      '--format=%h',
      '--abbrev=7',
      '--',
      'many.txt'
    );
    expect(ids).toEqual(stdout.trim().split('\n'));
  });

  step('logs no error or warning in the browser console', async () => {
    // JupyterLab's own note that a plugin activated slowly says the machine is loaded, nothing else.
    const slow = /(took [\d.]+ms|is taking too long) to activate/;
    expect(browser.problems().filter(p => !slow.test(p.text))).toEqual([]);
  });
});
