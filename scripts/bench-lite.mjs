#!/usr/bin/env node
/**
 * `npm run bench:lite`: browser mode in Debian's Chromium, on a JupyterLite
 * site built by scripts/lite-site.sh. Not a test: it prints
 *   - the commit of the ~2 MB benchmark notebook (Ctrl+S's checkpoint: read
 *     from the drive, serialise, commit in the worker), and the longest task
 *     the page's main thread ran meanwhile (Long Tasks API: > 50 ms);
 *   - JupyterLite's own BrowserStorageDrive checkpoint of the same file;
 *   - listing the notebook's last 10 checkpoints at 200 and 2,000 commits.
 *
 *   npm run bench:lite [-- --runs N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { NotebookHistory } from './bench/notebook.mjs';
import { median } from './bench/report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Debian's Chromium's launch options, the end-to-end tests' own. */
const CHROMIUM = JSON.parse(
  readFileSync(join(ROOT, 'ui-tests/helpers/chromiumOptions.json'), 'utf8')
);
const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '10' } }
});
const RUNS = Number(args.runs);
const WARMUP = 2;

const port = await freePort();
const scratch = mkdtempSync(join(tmpdir(), 'gc-bench-lite-'));
const site = spawn(
  'bash',
  [join(ROOT, 'scripts/lite-site.sh'), join(scratch, 'site'), String(port)],
  {
    env: { ...process.env, LITE_PAGE_CONFIG: '{"exposeAppInBrowser": true}' },
    stdio: 'ignore'
  }
);
const url = `http://127.0.0.1:${port}/lab/index.html`;
const context = await chromium.launchPersistentContext(
  join(scratch, 'profile'),
  CHROMIUM
);
try {
  await waitFor(url);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator('#jp-main-statusbar').waitFor({ timeout: 120000 });
  await page.evaluate(INSTALL_HELPERS);

  const history = new NotebookHistory('gitcheckpoints', WARMUP + RUNS);
  const ours = [];
  const lite = [];
  let longest = 0;
  for (let v = 0; v < WARMUP + RUNS; v++) {
    const text = history.bytes(v).toString('utf8');
    const result = await page.evaluate(
      text => window.gcBench.commit(text),
      text
    );
    if (v >= WARMUP) {
      ours.push(result.ours);
      lite.push(result.theirs);
      longest = Math.max(longest, result.longTask);
    }
  }
  const size = (history.bytes(0).length / 1048576).toFixed(2);
  console.log(`notebook ${size} MB, ${RUNS} runs after ${WARMUP} warm-up`);
  console.log(
    `commit (git checkpoint, in page):   median ${median(ours).toFixed(0)} ms, max ${Math.max(...ours).toFixed(0)} ms`
  );
  console.log(
    `BrowserStorageDrive checkpoint:      median ${median(lite).toFixed(0)} ms, max ${Math.max(...lite).toFixed(0)} ms`
  );
  console.log(
    `longest main-thread task during commits: ${longest ? `${longest.toFixed(0)} ms` : 'none over 50 ms'}`
  );
  for (const commits of [200, 2000]) {
    await page.evaluate(n => window.gcBench.fillTo(n), commits);
    const times = await page.evaluate(
      runs => window.gcBench.list(runs),
      WARMUP + RUNS
    );
    const counted = times.slice(WARMUP);
    console.log(
      `list last 10 checkpoints at ${commits} commits: median ${median(counted).toFixed(1)} ms, max ${Math.max(...counted).toFixed(1)} ms`
    );
  }
} finally {
  await context.close();
  site.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}

/** Runs in the page: the measured operations, through the app's own services. */
function INSTALL_HELPERS() {
  const app = window.jupyterapp;
  const contents = app.serviceManager.contents;
  const registry = app.pluginRegistry;
  const service = name =>
    registry.resolveRequiredService(
      [...registry._services.keys()].find(t => t.name === name)
    );
  const longTasks = [];
  new PerformanceObserver(list => longTasks.push(...list.getEntries())).observe(
    { type: 'longtask' }
  );
  const PATH = 'bench.ipynb';
  let fillers = 0;
  window.gcBench = {
    async commit(text) {
      await contents.save(PATH, {
        type: 'notebook',
        format: 'json',
        content: JSON.parse(text)
      });
      longTasks.length = 0;
      let start = performance.now();
      await contents.createCheckpoint(PATH);
      const ours = performance.now() - start;
      // Long tasks are reported after they end: let the observer catch up.
      await new Promise(done => setTimeout(done, 100));
      const longTask = Math.max(0, ...longTasks.map(t => t.duration));
      // JupyterLite's own drive, wrapped by ours: the same file, its checkpoint.
      start = performance.now();
      await contents._defaultDrive._drive.createCheckpoint(PATH);
      const theirs = performance.now() - start;
      return { ours, theirs, longTask };
    },
    async fillTo(total) {
      const repository = await service(
        'jupyterlab-git-checkpoints:IBrowserRepository'
      );
      const encoder = new TextEncoder();
      let { head } = await repository.call('status');
      let count = 0;
      // Count the branch's commits once, then add small commits of other files.
      if (head) {
        count = (await repository.call('listCheckpoints', PATH, 100)).length;
      }
      count += fillers;
      while (count < total) {
        fillers++;
        count++;
        await repository.call(
          'createCheckpoint',
          `filler/${fillers % 50}.txt`,
          encoder.encode(`filler ${fillers}\n`)
        );
      }
    },
    async list(runs) {
      const client = await service(
        'jupyterlab-git-checkpoints:IGitCheckpointsClient'
      );
      const times = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await client.history(PATH, 10);
        times.push(performance.now() - start);
      }
      return times;
    }
  };
}

async function waitFor(target) {
  const deadline = Date.now() + 180000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(target)).ok) {
        return;
      }
    } catch {
      // Still building.
    }
    await new Promise(done => setTimeout(done, 500));
  }
  throw new Error('the JupyterLite site did not start');
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}
