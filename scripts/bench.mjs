#!/usr/bin/env node
/**
 * `npm run bench [-- options]`: the checkpoint engine against the git CLI on
 * generated histories of 200, 2,000 and 20,000 commits. Not a test: it prints
 * each figure as a ratio to git's, measured in the same run, and writes them
 * all to bench-results/. See docs/benchmark.md.
 *
 * Options:
 *   --quick          200 and 2,000 commits only
 *   --sizes 200,...  history sizes (commits)
 *   --runs N         measured runs per figure (default 15)
 *   --warmup N       runs before those, not counted (default 3)
 *   --fresh-runs N   measured fresh homes per size (default 3; at most 1 warm-up)
 *   --seed S         material seed (default "gitcheckpoints")
 *   --profile        CPU-profile each phase of the engine, print its hottest functions
 *   --keep           keep the generated repositories
 *   --storage N      checkpoints of the storage figures (default 200; 0: skip them)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleEngine } from './bench/engineHost.mjs';
import { closeGitRunner } from './bench/git.mjs';
import { SizeBench } from './bench/measure.mjs';
import {
  comparisonTable,
  profileReport,
  setupTable,
  storageTable
} from './bench/report.mjs';
import { StorageBench } from './bench/storage.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    'fresh-runs': { type: 'string', default: '3' },
    seed: { type: 'string', default: 'gitcheckpoints' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    storage: { type: 'string', default: '200' }
  }
});

const sizes = (args.sizes ?? (args.quick ? '200,2000' : '200,2000,20000'))
  .split(',')
  .map(Number);
const runs = Number(args.runs);
const warmup = Number(args.warmup);
const freshRuns = Number(args['fresh-runs']);
if (
  sizes.some(n => !Number.isInteger(n) || n < 20) ||
  !(runs >= 1) ||
  !(warmup >= 0) ||
  !(freshRuns >= 1)
) {
  console.error(
    'bench: --sizes needs integers >= 20, --runs and --fresh-runs >= 1, --warmup >= 0'
  );
  process.exit(2);
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = join(ROOT, 'bench-results');
const tmp = mkdtempSync(join(os.tmpdir(), 'gitcheckpoints-bench-'));
const home = join(tmp, 'home');
mkdirSync(home);
const log = line => console.error(`[bench] ${line}`);

const run = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg(),
    node: process.version,
    git: execFileSync('git', ['--version']).toString().trim()
  },
  source: sourceRevision(),
  options: {
    sizes,
    runs,
    warmup,
    freshRuns,
    seed: args.seed,
    profile: args.profile
  },
  sizes: []
};

let failed = false;
try {
  log(`bundling the engine (${run.source})`);
  const profileDir = args.profile
    ? join(resultsDir, `profiles-${stamp}`)
    : null;
  // Profiles name lines of the bundle: keep it beside them.
  const bundleDir = await bundleEngine(join(profileDir ?? tmp, 'bundle'));
  for (const commits of sizes) {
    const bench = new SizeBench({
      commits,
      seed: args.seed,
      tmp,
      home,
      bundleDir,
      runs,
      warmup,
      freshRuns,
      profileDir,
      log
    });
    run.sizes.push(await bench.run());
  }
  const versions = Number(args.storage);
  if (versions > 0) {
    run.storage = await new StorageBench({
      tmp,
      home,
      bundleDir,
      seed: args.seed,
      versions,
      log
    }).run();
  }
  run.machine.loadAverageAtEnd = os.loadavg();
  const report = [
    `Engine vs git CLI, median of ${runs} runs (${warmup} warm-up), ${run.machine.cpus} CPUs, ` +
      `load ${run.machine.loadAverageAtStart[0].toFixed(1)}, ${run.machine.git}, node ${process.version}, ${run.source}`,
    '',
    comparisonTable(run.sizes),
    '',
    setupTable(run.sizes),
    ...(run.storage ? ['', storageTable(run.storage)] : [])
  ];
  if (args.profile) {
    report.push(
      '',
      'Profiled run: the engine figures above include the profiler overhead.',
      profileReport(run.sizes.flatMap(s => s.profiles))
    );
  }
  console.log(report.join('\n'));
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `bench-${stamp}.json`);
  writeFileSync(file, JSON.stringify(run, null, 2) + '\n');
  log(`results written to ${file}`);
} catch (error) {
  failed = true;
  console.error(`[bench] FAILED: ${error.stack ?? error}`);
} finally {
  await closeGitRunner();
  if (args.keep || failed) {
    log(`material kept in ${tmp}`);
  } else {
    rmSync(tmp, { recursive: true, force: true });
  }
}
process.exitCode = failed ? 1 : 0;

/** The project's commit, marked when the tree has changes, so figures name the code they measured. */
function sourceRevision() {
  const git = a => execFileSync('git', a, { cwd: ROOT }).toString().trim();
  const dirty =
    git(['status', '--porcelain', '--', 'src/engine', 'src/server']) !== '';
  return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '+changes' : ''}`;
}
