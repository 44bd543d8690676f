/**
 * Browser mode in a real JupyterLite site: the engine runs in the page (a Web
 * Worker on lightning-fs). Each step is checked by reading the repository from
 * the page, and the exported `.git` by the git CLI.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRemote } from '../test/helpers/gitRemote';
import { Browser } from './helpers/browser';
import { printConsoleProblems } from './helpers/consoleProblems';
import { CorsProxy } from './helpers/corsProxy';
import { closeDialog } from './helpers/dialog';
import { eventually } from './helpers/eventually';
import { gitIn } from './helpers/gitIn';
import { LabPage } from './helpers/labPage';
import { LiteSite } from './helpers/liteSite';
import { codeCell, notebookJson } from './helpers/notebookJson';
import { openNotebook } from './helpers/openNotebook';
import {
  callService,
  checkpointsInPage,
  createCheckpoint,
  execute,
  ICommitted,
  readFile,
  saveFile,
  STATUS_TOKEN
} from './helpers/pageServices';
import { statusMatches } from './helpers/statusText';
import { stepper } from './helpers/step';
import {
  openCreateDialog,
  openRestoreDialog,
  previewReplaces
} from './helpers/toolbarDialogs';

let site: LiteSite;
let browser: Browser;
let ui: LabPage;
let scratch: string;
let remote: GitRemote;
let proxy: CorsProxy;
/** Failure screenshots: outside the worktree, nothing to commit by mistake. */
const RESULTS = join(tmpdir(), 'gc-lite-results');

/** The file's checkpoints read from the repository in the page, newest first. */
function history(path: string, page = ui.page): Promise<ICommitted[]> {
  return checkpointsInPage(page, path);
}

/** A journey step: on failure, a screenshot goes to the temporary results folder. */
const step = stepper({
  results: RESULTS,
  label: 'lite journey',
  page: () => ui?.page
});

/** What the extension logged as an error or warning (the site's own favicon 404 is not ours). */
function ours(of: Browser) {
  return of
    .problems()
    .filter(p => /git-checkpoints|gitCheckpoints/i.test(p.text + p.url));
}

/** Subjects of the remote's checkpoints branch, newest first. */
async function remoteLog(): Promise<string[]> {
  const { stdout } = await remote.bare('team.git', [
    'log',
    '--format=%s',
    'refs/heads/checkpoints'
  ]);
  return stdout.trim().split('\n');
}

/** Points the page at the remote through the CORS proxy, then sends the password. */
async function configureRemote(page: LabPage): Promise<void> {
  const field = (name: string) =>
    `jp-SettingsEditor-jupyterlab-git-checkpoints:plugin_${name}`;
  await page.setSetting('Git Checkpoints', field('corsProxy'), proxy.url);
  await page.setSetting('Git Checkpoints', field('userName'), remote.user);
  await page.setSetting(
    'Git Checkpoints',
    field('remoteUrl'),
    `${remote.url}/team.git`
  );
  await page.palette('Set Git Checkpoints Remote Password or Token');
  await page.dialog.locator('input[type="password"]').fill(remote.password);
  await closeDialog(page, 'Enter');
}

/**
 * Saves a text file and checkpoints it through the page's contents manager,
 * then refreshes the status bar, as Ctrl+S (docmanager:save) does.
 */
async function saveAndCheckpoint(
  path: string,
  text: string,
  page = ui.page
): Promise<unknown> {
  await saveFile(page, path, { type: 'file', format: 'text', content: text });
  try {
    return await createCheckpoint(page, path);
  } finally {
    await callService(page, STATUS_TOKEN, 'kick');
  }
}

/** Downloads the repository from the page and unpacks it for the git CLI. */
async function exportRepository(): Promise<{ zip: string; dir: string }> {
  const [download] = await Promise.all([
    ui.page.waitForEvent('download'),
    execute(ui.page, 'git-checkpoints:export')
  ]);
  const zip = join(scratch, download.suggestedFilename());
  await download.saveAs(zip);
  const dir = await mkdtemp(join(scratch, 'export-'));
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
  return { zip, dir };
}

const NOTEBOOK = notebookJson([codeCell('c1', 'x = 1')], {});

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gc-lite-test-'));
  await mkdir(RESULTS, { recursive: true });
  site = await LiteSite.start();
  remote = await GitRemote.start({ init: ['team.git'] });
  proxy = await CorsProxy.start(remote.url);
  browser = await Browser.launch();
  ui = new LabPage(browser.page);
  // Fail a step in seconds, not minutes: the machine is shared.
  browser.page.setDefaultTimeout(20000);
}, 240000);

afterAll(async () => {
  printConsoleProblems(browser);
  await browser?.close();
  await site?.stop();
  await proxy?.stop();
  await remote?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

describe('Git checkpoints in JupyterLite', () => {
  let named: string;

  step(
    'opens a notebook, edits it, and Ctrl+S makes a commit in the browser',
    async () => {
      await ui.open(site.page());
      await saveFile(ui.page, 'analysis.ipynb', {
        type: 'notebook',
        format: 'json',
        content: NOTEBOOK
      });
      // The site has no kernel: JupyterLab asks which to start.
      await openNotebook(ui, site.page('analysis.ipynb'), 'none');
      // Opening a file with no checkpoint creates the first one.
      await eventually(async () =>
        expect((await history('analysis.ipynb')).length).toBe(1)
      );
      await ui.setCellSource(0, 'x = 42');
      await ui.save();
      const commits = await eventually(async () => {
        const found = await history('analysis.ipynb');
        expect(found.length).toBe(2);
        return found;
      });
      // An automatic checkpoint's message says what changed since the last one.
      expect(commits[0].message).toBe(
        'Checkpoint analysis.ipynb: 1 cell changed'
      );
      expect(JSON.parse(commits[0].content).cells[0].source).toBe('x = 42');
      await ui.statusText.getByText(/checkpoints/).waitFor();
    }
  );

  step('creates a named checkpoint from the toolbar', async () => {
    await ui.setCellSource(0, 'answer = 6 * 7');
    const input = await openCreateDialog(ui);
    await input.fill('Answer computed');
    await closeDialog(ui, 'Enter');
    const commits = await eventually(async () => {
      const found = await history('analysis.ipynb');
      expect(found[0].message).toBe('Answer computed');
      return found;
    });
    named = commits[0].id;
    expect(commits[0].content).toContain('answer = 6 * 7');
  });

  step('previews and restores the named checkpoint', async () => {
    await ui.setCellSource(0, 'answer = 0');
    await ui.save();
    await eventually(async () =>
      expect((await history('analysis.ipynb')).length).toBe(4)
    );
    const options = await openRestoreDialog(ui);
    await eventually(async () => expect(await options.count()).toBe(4));
    await ui.page.keyboard.press('ArrowDown');
    await expect(
      options.nth(1).locator('.jp-gitCheckpoints-hash').textContent()
    ).resolves.toBe(named.slice(0, 7));
    // The preview shows what Restore does: the current line goes, the checkpoint's comes.
    await previewReplaces(ui, 'answer = 0', 'answer = 6 * 7');
    await closeDialog(ui, 'Enter');
    await eventually(async () =>
      expect(await ui.cellSources()).toEqual(['answer = 6 * 7'])
    );
    const commits = await eventually(async () => {
      const found = await history('analysis.ipynb');
      expect(found[0].message).toBe(
        `Restore analysis.ipynb to ${named.slice(0, 7)}`
      );
      return found;
    });
    expect(commits[0].content).toContain('answer = 6 * 7');
  });

  step('renames the file, and the history follows', async () => {
    await ui.renameFile('analysis.ipynb', 'renamed.ipynb');
    await eventually(async () => {
      const found = await history('renamed.ipynb');
      expect(found[0].message).toBe('Rename analysis.ipynb to renamed.ipynb');
      expect(found.map(c => c.message)).toContain('Answer computed');
    });
  });

  step('keeps the history across a page reload', async () => {
    await ui.page.reload();
    await ui.page.locator('#jp-main-statusbar').waitFor({ timeout: 60000 });
    const found = await history('renamed.ipynb');
    expect(found.length).toBe(6);
    expect(found[0].message).toBe('Rename analysis.ipynb to renamed.ipynb');
  });

  step('exports a repository that the git CLI finds healthy', async () => {
    const { dir } = await exportRepository();
    await gitIn(dir, 'fsck', '--strict');
    const stdout = await gitIn(
      dir,
      'log',
      '--follow',
      '--format=%s',
      '--',
      'renamed.ipynb'
    );
    expect(stdout.trim().split('\n')).toEqual([
      'Rename analysis.ipynb to renamed.ipynb',
      `Restore analysis.ipynb to ${named.slice(0, 7)}`,
      'Checkpoint analysis.ipynb: 1 cell changed',
      'Answer computed',
      'Checkpoint analysis.ipynb: 1 cell changed',
      'Checkpoint analysis.ipynb'
    ]);
  });

  step('imports an exported repository into a fresh browser', async () => {
    const { zip } = await exportRepository();
    const fresh = await Browser.launch();
    try {
      const page = new LabPage(fresh.page);
      await page.open(site.page());
      // The command settles once the import is done: start it, then answer its questions.
      const chooser = fresh.page.waitForEvent('filechooser');
      const imported = execute(fresh.page, 'git-checkpoints:import');
      await (await chooser).setFiles(zip);
      await page.dialog.getByRole('button', { name: 'Import' }).click();
      await imported;
      await page.fileItem('renamed.ipynb').waitFor();
      const found = await history('renamed.ipynb', fresh.page);
      expect(found.map(c => c.message)).toContain('Answer computed');
      expect(ours(fresh)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  step('pushes through the CORS proxy to the remote', async () => {
    await configureRemote(ui);
    await eventually(async () => {
      expect((await remoteLog())[0]).toBe(
        'Rename analysis.ipynb to renamed.ipynb'
      );
    }, 60000);
    await statusMatches(ui, /pushed$/);
  });

  step(
    'keeps checkpointing while the remote is down, and pushes when it is back',
    async () => {
      await remote.stop();
      await saveAndCheckpoint('notes.txt', 'written offline\n');
      expect((await history('notes.txt'))[0].content).toBe('written offline\n');
      await statusMatches(ui, /1 pending/, 60000);
      await remote.restart();
      await eventually(async () => {
        expect((await remoteLog())[0]).toBe('Checkpoint notes.txt');
      }, 120000);
      await statusMatches(ui, /pushed$/);
    }
  );

  step(
    'a fresh browser with the remote set fetches the history and the files back',
    async () => {
      const fresh = await Browser.launch();
      try {
        const page = new LabPage(fresh.page);
        await page.open(site.page());
        const read = (path: string) => readFile(fresh.page, path);
        // A file of the same name written here first is the user's: the fetch leaves it.
        await saveFile(fresh.page, 'notes.txt', {
          type: 'file',
          format: 'text',
          content: 'mine\n'
        });
        await configureRemote(page);
        await eventually(async () => {
          const found = await history('notes.txt', fresh.page);
          expect(found.map(c => c.content)).toEqual(['written offline\n']);
        }, 60000);
        // The branch's other files are back in the drive, as the file browser shows.
        await page.fileItem('renamed.ipynb').waitFor();
        const notebook = await read('renamed.ipynb');
        expect(notebook.cells[0].source).toBe('answer = 6 * 7');
        expect(await read('notes.txt')).toBe('mine\n');
        expect(ours(fresh)).toEqual([]);
      } finally {
        await fresh.close();
      }
    }
  );

  step(
    'a second tab is refused checkpoints until the first closes, and loses no file',
    async () => {
      const second = new LabPage(await browser.context.newPage());
      await second.open(site.page());
      await expect(
        saveAndCheckpoint('second.txt', 'from the second tab\n', second.page)
      ).rejects.toThrow(
        /Another tab of this site holds the checkpoints repository/
      );
      // The file itself is saved, and the first tab sees it.
      const text = await readFile(ui.page, 'second.txt');
      expect(text).toBe('from the second tab\n');
      await ui.page.close();
      ui = second;
      await eventually(async () => {
        await saveAndCheckpoint(
          'second.txt',
          'from the second tab\n',
          second.page
        );
        expect((await history('second.txt'))[0].content).toBe(
          'from the second tab\n'
        );
      });
    }
  );

  step(
    'a checkpoint the browser cannot store (a full disk) fails clearly, commits nothing, and the next works',
    async () => {
      // A real full disk: a browser whose profile (its IndexedDB) is on a small tmpfs.
      const disk = join(scratch, 'small-disk');
      await mkdir(disk);
      try {
        execFileSync('mount', [
          '-t',
          'tmpfs',
          '-o',
          'size=200M',
          'tmpfs',
          disk
        ]);
      } catch (error) {
        // CI runs as root; elsewhere say why this step checked nothing.
        process.stderr.write(
          `lite journey: no tmpfs, full disk not tried: ${error}\n`
        );
        return;
      }
      const full = await Browser.launch(disk);
      try {
        const page = new LabPage(full.page);
        await page.open(site.page());
        // 1.5 MB that does not compress, saved while there is room.
        const text = randomBytes(1100000).toString('base64');
        const save = (content: string) =>
          saveFile(full.page, 'big.txt', {
            type: 'file',
            format: 'text',
            content
          });
        await save(text);
        const free = () =>
          Number(
            execFileSync('df', ['-B1', '--output=avail', disk])
              .toString()
              .split('\n')[1]
          );
        const filler = join(disk, 'filler');
        execFileSync('fallocate', ['-l', String(free() - 1048576), filler]);
        await expect(createCheckpoint(full.page, 'big.txt')).rejects.toThrow(
          /MB used of [\d.]+ MB\): no checkpoint was made/
        );
        expect(await history('big.txt', full.page)).toEqual([]);
        await rm(filler);
        await save(`${text}\n`);
        await createCheckpoint(full.page, 'big.txt');
        expect(
          (await history('big.txt', full.page)).map(c => c.content)
        ).toEqual([`${text}\n`]);
      } finally {
        await full.close();
        execFileSync('umount', ['-l', disk]);
      }
    }
  );

  step(
    'logs no errors or warnings from the extension, and asks no server route',
    async () => {
      expect(ours(browser)).toEqual([]);
      expect(
        browser.requests.filter(url => url.includes('/git-checkpoints/'))
      ).toEqual([]);
    }
  );
});
