#!/usr/bin/env node
/**
 * `npm run bench:remote [-- options]`: what one user's pushes and fresh-home
 * fetch cost on a shared remote that holds 1 or 20,000 other users' branches.
 * Not a test: it prints each figure for both remotes and their ratio, beside
 * `git push` against the same remote, and checks the repositories after each
 * run. See docs/benchmark.md ("A shared remote").
 *
 * Options:
 *   --branches N   other branches on the big remote (default 20000)
 *   --pushes N     checkpoints pushed, one push each (default 10)
 *   --rounds R     repeat, alternating between the two remotes (default 1)
 *   --keep         keep the generated repositories
 *
 * The engine runs in a worker process of its own per run (its CPU and peak
 * memory are its own); the remote is scripts/git-remote.mjs (`git
 * http-backend` on loopback). "Remote time" is the time from sending each
 * request to the last byte of its answer, read whole before the engine sees
 * it, so that the engine's own time is what is left. Each measured checkpoint
 * is followed by one more, pushed without that timing client, whose CPU time
 * is the one reported.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { bundleEngine } from './bench/engineHost.mjs';
import {
  REMOTE_PASSWORD as PASSWORD,
  REMOTE_USER as USER,
  startRemote
} from './bench/remote.mjs';

const BRANCH = 'alice-dev';

const { values: args } = parseArgs({
  options: {
    branches: { type: 'string', default: '20000' },
    pushes: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    // Internal: run one phase in this process (see `worker`).
    worker: { type: 'string' },
    bundle: { type: 'string' },
    url: { type: 'string' },
    home: { type: 'string' }
  }
});

const git = (args, cwd, env = {}) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'bench@example.invalid',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'bench@example.invalid',
      ...env
    }
  });

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A notebook-sized file that changes a little each time. */
const content = n =>
  JSON.stringify({
    cells: Array.from({ length: 40 }, (_, i) => ({
      cell_type: 'code',
      source: `x_${i} = ${i === n % 40 ? `${i} + ${n}` : i} * 2\n`.repeat(5),
      outputs: []
    }))
  });

if (args.worker) {
  await worker(args.worker);
} else {
  await main();
}

// ---------------------------------------------------------------- worker

/** One phase in a process of its own: `push` (checkpoints, each pushed) or `fresh` (a fresh home fetched). */
async function worker(phase) {
  const load = path => import(pathToFileURL(join(args.bundle, path)).href);
  const { CheckpointEngine } = await load('engine/index.js');
  const { nodeCodec } = await load('server/nodeCodec.js');
  const fs = await import('node:fs');
  const { default: http } = await import('isomorphic-git/http/node');
  const meter = { remoteMs: 0, sent: 0, received: 0, requests: 0 };
  const timed = {
    async request(request) {
      const start = performance.now();
      const chunks = [];
      for await (const chunk of request.body ?? []) {
        chunks.push(chunk);
      }
      const body = Buffer.concat(chunks);
      const response = await http.request({
        ...request,
        body: request.body ? [body] : undefined
      });
      const answer = [];
      for await (const chunk of response.body ?? []) {
        answer.push(chunk);
      }
      meter.remoteMs += performance.now() - start;
      meter.sent += body.length;
      meter.received += answer.reduce((sum, c) => sum + c.length, 0);
      meter.requests += 1;
      async function* replay() {
        yield* answer;
      }
      return { ...response, body: replay() };
    }
  };
  const engine = await CheckpointEngine.open({
    fs,
    dir: args.home,
    codec: nodeCodec,
    author: { name: 'bench', email: 'bench@example.invalid' },
    branch: BRANCH
  });
  // CPU is measured on pushes without the timing client, which costs some itself.
  let timing = true;
  const sync = engine.remoteSync({
    http: { request: request => (timing ? timed : http).request(request) },
    remote: { url: args.url, username: USER, password: PASSWORD },
    // Pushes are started by hand, one per checkpoint.
    debounceMs: 3600 * 1000
  });
  const result = {};
  const snapshot = () => ({
    ms: performance.now(),
    cpu: process.cpuUsage(),
    ...meter
  });
  const since = before => {
    const now = snapshot();
    const cpu =
      (now.cpu.user - before.cpu.user + now.cpu.system - before.cpu.system) /
      1000;
    return {
      ms: now.ms - before.ms,
      cpuMs: cpu,
      remoteMs: now.remoteMs - before.remoteMs,
      sent: now.sent - before.sent,
      received: now.received - before.received,
      requests: now.requests - before.requests
    };
  };
  const checkpointAndPush = async n => {
    fs.writeFileSync(join(args.home, 'analysis.ipynb'), content(n));
    await engine.createCheckpoint('analysis.ipynb');
    const status = await sync.pushNow();
    if (status.state !== 'pushed') {
      throw new Error(`push ${n}: ${JSON.stringify(status)}`);
    }
  };
  if (phase === 'push') {
    // Numbered on from the commits of earlier rounds, so each changes the file.
    const first = Number(
      (await engine.status()).head
        ? git(['rev-list', '--count', 'HEAD'], args.home)
        : 0
    );
    // One push not measured (in the first round it creates the branch).
    await checkpointAndPush(first);
    result.pushes = [];
    for (let n = first + 1; n <= first + 2 * Number(args.pushes); n += 2) {
      timing = true;
      const before = snapshot();
      await checkpointAndPush(n);
      const push = since(before);
      timing = false;
      const untimed = snapshot();
      await checkpointAndPush(n + 1);
      result.pushes.push({ ...push, cpuMs: since(untimed).cpuMs });
    }
  } else {
    const before = snapshot();
    await sync.syncOnOpen();
    result.fresh = since(before);
    result.status = sync.status();
  }
  await sync.dispose();
  await engine.dispose();
  result.maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(result) + '\n');
}

// ------------------------------------------------------------------ main

async function main() {
  const others = Number(args.branches);
  const pushes = Number(args.pushes);
  const rounds = Number(args.rounds);
  if (
    !Number.isInteger(others) ||
    others < 1 ||
    !(pushes >= 1) ||
    !(rounds >= 1)
  ) {
    console.error(
      'bench:remote: --branches, --pushes and --rounds need integers >= 1'
    );
    process.exit(2);
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'gitcheckpoints-bench-remote-'));
  const bundle = await bundleEngine(join(tmp, 'bundle'));
  const remoteRoot = join(tmp, 'remote');
  const server = await startRemote(remoteRoot, ['small.git', 'big.git']);
  try {
    const repos = [
      ['small.git', 1],
      ['big.git', others]
    ];
    for (const [repo, count] of repos) {
      addBranches(join(remoteRoot, repo), count);
    }
    // Rounds alternate between the remotes, so a change in the machine's load hits both.
    const runs = repos.map(([repo, count]) => ({ repo, count, rounds: [] }));
    for (let round = 0; round < rounds; round++) {
      for (const run of runs) {
        run.rounds.push(await measure(tmp, bundle, server, run, round, pushes));
      }
    }
    report(runs, pushes, rounds);
  } finally {
    server.child.kill('SIGTERM');
    if (!args.keep) {
      rmSync(tmp, { recursive: true, force: true });
    } else {
      console.log(`kept ${tmp}`);
    }
  }
}

/** Other users' branches, all on one commit, as a packed-refs file. */
function addBranches(bare, count) {
  const tree = git(['--git-dir', bare, 'write-tree']).trim();
  const commit = git([
    '--git-dir',
    bare,
    'commit-tree',
    tree,
    '-m',
    'another user'
  ]).trim();
  const lines = Array.from(
    { length: count },
    (_, i) => `${commit} refs/heads/user-${String(i).padStart(6, '0')}\n`
  );
  writeFileSync(
    join(bare, 'packed-refs'),
    `# pack-refs with: peeled fully-peeled sorted \n${lines.join('')}`
  );
}

async function measure(tmp, bundle, server, run, round, pushes) {
  const url = `${server.url}/${run.repo}`;
  const home = join(tmp, `home-${run.count}`);
  const fresh = join(tmp, `fresh-${run.count}-${round}`);
  mkdirSync(home, { recursive: true });
  mkdirSync(fresh);
  const bare = join(server.root, run.repo);
  const push = await runWorker(
    ['--worker', 'push', '--home', home],
    bundle,
    url
  );
  const tip = git(['rev-parse', BRANCH], home).trim();
  checkPushed(home, bare, tip, (round + 1) * (2 * pushes + 1));
  const fetched = await runWorker(
    ['--worker', 'fresh', '--home', fresh],
    bundle,
    url
  );
  if (fetched.status.state !== 'pushed') {
    throw new Error(`fresh home: ${JSON.stringify(fetched.status)}`);
  }
  checkFresh(fresh, bare, tip);
  const gitPushes = await measureGitPush(
    tmp,
    home,
    url,
    server,
    run,
    round,
    pushes
  );
  return { push, fetched, gitPushes };
}

function runWorker(extra, bundle, url) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(import.meta.url),
        ...extra,
        '--bundle',
        bundle,
        '--url',
        url,
        '--pushes',
        args.pushes
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    );
    let out = '';
    child.stdout.on('data', data => (out += data));
    child.on('exit', code =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()))
        : reject(new Error(`worker ${extra[1]} exited with ${code}`))
    );
  });
}

/** The remote's branch is the local one, both repositories are sound, the tracking ref and its reflog say so. */
function checkPushed(home, bare, tip, pushes) {
  const remoteTip = git(['--git-dir', bare, 'rev-parse', BRANCH]).trim();
  assert(remoteTip === tip, `remote branch ${remoteTip}, local ${tip}`);
  fsckClean(home);
  fsckClean(bare, true);
  const tracking = `refs/remotes/checkpoints/${BRANCH}`;
  assert(git(['rev-parse', tracking], home).trim() === tip, 'tracking ref');
  const reflog = git(['reflog', 'show', '--format=%H %gs', tracking], home)
    .trim()
    .split('\n');
  assert(
    reflog.length === pushes && reflog[0] === `${tip} update by push`,
    `tracking reflog: ${reflog.slice(0, 2).join(' | ')} (${reflog.length})`
  );
}

function checkFresh(fresh, bare, tip) {
  assert(git(['rev-parse', BRANCH], fresh).trim() === tip, 'fresh home tip');
  fsckClean(fresh);
  const tracking = `refs/remotes/checkpoints/${BRANCH}`;
  const reflog = git(['reflog', 'show', '--format=%H %gs', tracking], fresh);
  assert(reflog.trim() === `${tip} update by fetch`, `fresh reflog: ${reflog}`);
  fsckClean(bare, true);
}

function fsckClean(dir, bare = false) {
  const out = git([
    ...(bare ? ['--git-dir', dir] : ['-C', dir]),
    'fsck',
    '--strict',
    '--no-dangling'
  ]);
  assert(out === '', `git fsck in ${dir}: ${out}`);
}

/** `git push` of as many commits against the same remote, another branch; bytes from the remote's log. */
async function measureGitPush(tmp, home, url, server, run, round, pushes) {
  const clone = join(tmp, `git-${run.count}`);
  if (round === 0) {
    git(['clone', '--quiet', '--no-local', home, clone]);
  }
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  const env = {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${auth}`
  };
  const pushOnce = async n => {
    writeFileSync(join(clone, 'analysis.ipynb'), content(n));
    git(['commit', '--quiet', '-am', `n ${n}`], clone);
    const from = server.log.length;
    const start = performance.now();
    await promisify(execFile)(
      'git',
      ['push', '--quiet', url, `HEAD:refs/heads/gitcli-${BRANCH}`],
      { cwd: clone, env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env } }
    );
    const ms = performance.now() - start;
    // The remote logs a request once git http-backend has exited.
    while (!server.log.slice(from).some(line => line.pack)) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    const lines = server.log.slice(from);
    return {
      ms,
      received: lines.reduce((sum, line) => sum + line.out, 0),
      sent: lines.reduce((sum, line) => sum + line.in, 0)
    };
  };
  const first = (round * (pushes + 1) + 1) * 1000;
  await pushOnce(first);
  const measured = [];
  for (let n = first + 1; n <= first + pushes; n++) {
    measured.push(await pushOnce(n));
  }
  return measured;
}

function assert(ok, what) {
  if (!ok) {
    throw new Error(`check failed: ${what}`);
  }
}

// ---------------------------------------------------------------- report

function report(runs, pushes, rounds) {
  const [small, big] = runs;
  const figures = run => {
    const all = key => run.rounds.flatMap(r => r[key]);
    const p = all('push').flatMap(x => x.pushes);
    const fetched = all('fetched').map(x => x.fresh);
    const gitPushes = all('gitPushes');
    return {
      engineMs: median(p.map(x => x.ms - x.remoteMs)),
      totalMs: median(p.map(x => x.ms)),
      remoteMs: median(p.map(x => x.remoteMs)),
      cpuMs: median(p.map(x => x.cpuMs)),
      pushReceived: median(p.map(x => x.received)),
      pushSent: median(p.map(x => x.sent)),
      requests: median(p.map(x => x.requests)),
      gitReceived: median(gitPushes.map(x => x.received)),
      gitSent: median(gitPushes.map(x => x.sent)),
      gitMs: median(gitPushes.map(x => x.ms)),
      freshMs: median(fetched.map(x => x.ms)),
      freshBytes: median(fetched.map(x => x.sent + x.received)),
      freshRequests: median(fetched.map(x => x.requests)),
      pushRss: Math.max(...all('push').map(x => x.maxRss))
    };
  };
  const a = figures(small);
  const b = figures(big);
  const rows = [
    [
      'checkpoint -> pushed, minus remote time (ms)',
      a.engineMs,
      b.engineMs,
      1.5
    ],
    ['checkpoint -> pushed, total (ms)', a.totalMs, b.totalMs],
    ['  of which the remote (ms)', a.remoteMs, b.remoteMs],
    ['engine CPU per checkpoint + push (ms)', a.cpuMs, b.cpuMs, 2],
    [
      'engine peak RSS, push worker (MB)',
      a.pushRss / 2 ** 20,
      b.pushRss / 2 ** 20
    ],
    ['requests per push', a.requests, b.requests],
    [
      'bytes the remote sends per push (KiB)',
      a.pushReceived / 1024,
      b.pushReceived / 1024
    ],
    [
      'git push: bytes the remote sends (KiB)',
      a.gitReceived / 1024,
      b.gitReceived / 1024
    ],
    [
      'bytes sent to the remote per push (KiB)',
      a.pushSent / 1024,
      b.pushSent / 1024
    ],
    [
      'git push: bytes sent to the remote (KiB)',
      a.gitSent / 1024,
      b.gitSent / 1024
    ],
    ['git push: time (ms)', a.gitMs, b.gitMs],
    ['fresh-home fetch (ms)', a.freshMs, b.freshMs, 1.5],
    ['fresh-home fetch (KiB)', a.freshBytes / 1024, b.freshBytes / 1024, 10],
    ['fresh-home fetch requests', a.freshRequests, b.freshRequests]
  ];
  const fmt = x => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  console.log(
    `\nA shared remote: ${rounds} x ${pushes} checkpoints pushed, 1 vs ${big.count} other branches (medians)\n`
  );
  console.log(`| figure | N = 1 | N = ${big.count} | ratio | target |`);
  console.log('|---|---|---|---|---|');
  const verdicts = [];
  for (const [name, x, y, limit] of rows) {
    const ratio = y / x;
    const target = limit
      ? `<= ${limit}x ${ratio <= limit ? 'ok' : 'MISSED'}`
      : '';
    if (limit) {
      verdicts.push(ratio <= limit);
    }
    console.log(
      `| ${name} | ${fmt(x)} | ${fmt(y)} | ${ratio.toFixed(2)}x | ${target} |`
    );
  }
  for (const [label, f] of [
    ['N = 1', a],
    [`N = ${big.count}`, b]
  ]) {
    const ratio = f.pushReceived / f.gitReceived;
    verdicts.push(ratio <= 1.2);
    console.log(
      `bytes the remote sends per push against git push's, ${label}: ${ratio.toFixed(2)}x (target <= 1.2x ${ratio <= 1.2 ? 'ok' : 'MISSED'}); sent to it: ${(f.pushSent / f.gitSent).toFixed(2)}x (our packs have no deltas yet)`
    );
  }
  console.log(
    '\nchecked after each run: remote branch == local, git fsck --strict clean on every repository, tracking ref and its reflog right'
  );
  console.log(
    verdicts.every(Boolean) ? 'all targets met' : 'some targets MISSED'
  );
}
