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
import { GitRemote, gitCli } from '../test/helpers/gitRemote';
import { Browser } from './helpers/browser';
import { CorsProxy } from './helpers/corsProxy';
import { eventually } from './helpers/eventually';
import { LabPage } from './helpers/labPage';
import { LiteSite } from './helpers/liteSite';

let site: LiteSite;
let browser: Browser;
let ui: LabPage;
let scratch: string;
let remote: GitRemote;
let proxy: CorsProxy;
/** Failure screenshots: outside the worktree, nothing to commit by mistake. */
const RESULTS = join(tmpdir(), 'gc-lite-results');

/** A checkpoint as the page's client reports it, with its content. */
interface ICommitted {
  id: string;
  message: string;
  content: string;
}

/** The file's checkpoints read from the repository in the page, newest first. */
async function history(path: string, page = ui.page): Promise<ICommitted[]> {
  return page.evaluate(async path => {
    const registry = (window as any).jupyterapp.pluginRegistry;
    const token = [...registry._services.keys()].find(
      (t: any) => t.name === 'jupyterlab-git-checkpoints:IGitCheckpointsClient'
    );
    const client = await registry.resolveRequiredService(token);
    const { checkpoints } = await client.history(path, 100);
    const found = [];
    for (const c of checkpoints.reverse()) {
      const { content } = await client.content(path, c.id);
      found.push({ id: c.id, message: c.message, content });
    }
    return found;
  }, path);
}

/**
 * A journey step: on failure, a screenshot goes to the temporary results folder
 * and the failure is printed at once (jest prints a file's results at its end).
 */
function step(name: string, body: () => Promise<void>): void {
  it(name, async () => {
    try {
      await body();
    } catch (error) {
      const file = join(
        RESULTS,
        `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`
      );
      await ui?.page.screenshot({ path: file }).catch(() => undefined);
      process.stderr.write(
        `lite journey: '${name}' failed (${file}): ${error}\n`
      );
      await ui?.page.keyboard.press('Escape').catch(() => undefined);
      throw error;
    }
  });
}

/** What the extension logged as an error or warning (the site's own favicon 404 is not ours). */
function ours(of: Browser) {
  return of
    .problems()
    .filter(p => /git-checkpoints|gitCheckpoints/i.test(p.text + p.url));
}

/** Runs a command of the app. */
function execute(id: string, page = ui.page): Promise<unknown> {
  return page.evaluate(
    id => (window as any).jupyterapp.commands.execute(id),
    id
  );
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
  await page.page.keyboard.press('Enter');
  await page.dialog.waitFor({ state: 'detached' });
}

/**
 * Saves a text file and checkpoints it through the page's contents manager,
 * then refreshes the status bar, as Ctrl+S (docmanager:save) does.
 */
function saveAndCheckpoint(path: string, text: string, page = ui.page) {
  return page.evaluate(
    async ([path, text]) => {
      const app = (window as any).jupyterapp;
      const contents = app.serviceManager.contents;
      await contents.save(path, {
        type: 'file',
        format: 'text',
        content: text
      });
      try {
        return await contents.createCheckpoint(path);
      } finally {
        const registry = app.pluginRegistry;
        const status = await registry.resolveRequiredService(
          [...registry._services.keys()].find(
            (t: any) =>
              t.name === 'jupyterlab-git-checkpoints:ICheckpointStatus'
          )
        );
        status.kick();
      }
    },
    [path, text]
  );
}

/** Downloads the repository from the page and unpacks it for the git CLI. */
async function exportRepository(): Promise<{ zip: string; dir: string }> {
  const [download] = await Promise.all([
    ui.page.waitForEvent('download'),
    execute('git-checkpoints:export')
  ]);
  const zip = join(scratch, download.suggestedFilename());
  await download.saveAs(zip);
  const dir = await mkdtemp(join(scratch, 'export-'));
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
  return { zip, dir };
}

const NOTEBOOK = {
  cells: [
    {
      cell_type: 'code',
      execution_count: null,
      id: 'c1',
      metadata: {},
      outputs: [],
      source: 'x = 1'
    }
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
};

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
  const problems = browser ? browser.problems() : [];
  if (problems.length) {
    console.log(
      'Console errors and warnings:\n' +
        problems.map(p => `  [${p.type}] ${p.text} (${p.url})`).join('\n')
    );
  }
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
      await ui.page.evaluate(
        notebook =>
          (window as any).jupyterapp.serviceManager.contents.save(
            'analysis.ipynb',
            { type: 'notebook', format: 'json', content: notebook }
          ),
        NOTEBOOK
      );
      await ui.open(site.page('analysis.ipynb'));
      await ui.notebook.waitFor();
      // The site has no kernel: JupyterLab asks which to start.
      await ui.dialog.getByRole('button', { name: 'No Kernel' }).click();
      await ui.dialog.waitFor({ state: 'detached' });
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
    await ui.toolbarButton('git-checkpoints:create');
    const input = ui.dialog.locator('input');
    await input.waitFor();
    await input.fill('Answer computed');
    await ui.page.keyboard.press('Enter');
    await ui.dialog.waitFor({ state: 'detached' });
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
    await ui.toolbarButton('git-checkpoints:restore');
    const options = ui.dialog.locator('[role="option"]');
    await eventually(async () => expect(await options.count()).toBe(4));
    await ui.page.keyboard.press('ArrowDown');
    await expect(
      options.nth(1).locator('.jp-gitCheckpoints-hash').textContent()
    ).resolves.toBe(named.slice(0, 7));
    // The preview shows what Restore does: the current line goes, the checkpoint's comes.
    const changed = ui.dialog.locator('.jp-gitCheckpoints-cell-changed');
    await changed
      .locator('.jp-gitCheckpoints-removed')
      .getByText('answer = 0')
      .waitFor();
    await changed
      .locator('.jp-gitCheckpoints-added')
      .getByText('answer = 6 * 7')
      .waitFor();
    await ui.page.keyboard.press('Enter');
    await ui.dialog.waitFor({ state: 'detached' });
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
    await ui.fileContextMenu('analysis.ipynb', 'Rename');
    const editor = ui.page.locator('.jp-DirListing-editor');
    await editor.waitFor();
    await editor.fill('renamed.ipynb');
    await ui.page.keyboard.press('Enter');
    await ui.fileItem('renamed.ipynb').waitFor();
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
    await gitCli(['-C', dir, 'fsck', '--strict']);
    const { stdout } = await gitCli([
      '-C',
      dir,
      'log',
      '--follow',
      '--format=%s',
      '--',
      'renamed.ipynb'
    ]);
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
      const imported = execute('git-checkpoints:import', fresh.page);
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
    await eventually(async () =>
      expect(await ui.statusText.textContent()).toMatch(/pushed$/)
    );
  });

  step(
    'keeps checkpointing while the remote is down, and pushes when it is back',
    async () => {
      await remote.stop();
      await saveAndCheckpoint('notes.txt', 'written offline\n');
      expect((await history('notes.txt'))[0].content).toBe('written offline\n');
      await eventually(
        async () =>
          expect(await ui.statusText.textContent()).toMatch(/1 pending/),
        60000
      );
      await remote.restart();
      await eventually(async () => {
        expect((await remoteLog())[0]).toBe('Checkpoint notes.txt');
      }, 120000);
      await eventually(async () =>
        expect(await ui.statusText.textContent()).toMatch(/pushed$/)
      );
    }
  );

  step(
    'a fresh browser with the remote set fetches the history and the files back',
    async () => {
      const fresh = await Browser.launch();
      try {
        const page = new LabPage(fresh.page);
        await page.open(site.page());
        const read = (path: string) =>
          fresh.page.evaluate(
            async path =>
              (
                await (window as any).jupyterapp.serviceManager.contents.get(
                  path,
                  { content: true }
                )
              ).content,
            path
          );
        // A file of the same name written here first is the user's: the fetch leaves it.
        await fresh.page.evaluate(() =>
          (window as any).jupyterapp.serviceManager.contents.save('notes.txt', {
            type: 'file',
            format: 'text',
            content: 'mine\n'
          })
        );
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
      const text = await ui.page.evaluate(
        async () =>
          (
            await (window as any).jupyterapp.serviceManager.contents.get(
              'second.txt',
              { content: true }
            )
          ).content
      );
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
          full.page.evaluate(
            content =>
              (window as any).jupyterapp.serviceManager.contents.save(
                'big.txt',
                { type: 'file', format: 'text', content }
              ),
            content
          );
        await save(text);
        const free = () =>
          Number(
            execFileSync('df', ['-B1', '--output=avail', disk])
              .toString()
              .split('\n')[1]
          );
        const filler = join(disk, 'filler');
        execFileSync('fallocate', ['-l', String(free() - 1048576), filler]);
        await expect(
          full.page.evaluate(() =>
            (window as any).jupyterapp.serviceManager.contents.createCheckpoint(
              'big.txt'
            )
          )
        ).rejects.toThrow(/MB used of [\d.]+ MB\): no checkpoint was made/);
        expect(await history('big.txt', full.page)).toEqual([]);
        await rm(filler);
        await save(`${text}\n`);
        await full.page.evaluate(() =>
          (window as any).jupyterapp.serviceManager.contents.createCheckpoint(
            'big.txt'
          )
        );
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
