import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEngine } from './engineHost.mjs';
import { Git, runGit } from './git.mjs';
import { Material, NOTEBOOK, RARE } from './material.mjs';
import { REMOTE_PASSWORD, REMOTE_USER, startRemote } from './remote.mjs';
import { median } from './report.mjs';
import { summarizeProfile } from './profile.mjs';

/** Commits made with the git CLI behind the engine's back before timing its catch-up. */
export const CATCH_UP_COMMITS = 100;

const LIMIT = 10;

/** Targets: engine time / git time. */
const TARGET = { create: 0.6, list: 0.5, read: 1.0, freshHome: 2.0 };

/**
 * Benchmarks the engine against the git CLI on one generated history of
 * `commits` commits. Every engine answer is checked against git's; a
 * mismatch throws.
 */
export class SizeBench {
  /**
   * @param {object} o
   * @param {number} o.commits
   * @param {string} o.seed
   * @param {string} o.tmp scratch directory
   * @param {string} o.home empty $HOME for git
   * @param {string} o.bundleDir the bundled engine
   * @param {number} o.runs measured runs per figure
   * @param {number} o.warmup runs before them, not counted
   * @param {number} o.freshRuns measured fresh homes (each fetches the whole branch)
   * @param {string | null} o.profileDir where to write CPU profiles, or null
   * @param {(line: string) => void} o.log progress
   */
  constructor(o) {
    this.o = o;
    this.repo = join(o.tmp, `repo-${o.commits}`);
    this.material = new Material(
      o.seed,
      Material.notebookVersions(o.commits + CATCH_UP_COMMITS) +
        o.warmup +
        o.runs +
        1
    );
    this.result = { commits: o.commits, comparisons: [], profiles: [] };
  }

  async run() {
    const { commits } = this.o;
    this.o.log(`${commits} commits: generating`);
    const start = performance.now();
    this.git = await this.material.createRepository(
      this.repo,
      this.o.home,
      commits
    );
    this.result.generateMs = performance.now() - start;
    // The remote holds the generated branch as it is, before the catch-up and creates.
    const remoteRoot = join(this.o.tmp, `remote-${commits}`);
    mkdirSync(remoteRoot);
    this.git.run([
      'clone',
      '-q',
      '--bare',
      '--single-branch',
      '.',
      join(remoteRoot, 'bench.git')
    ]);
    this.engine = await startEngine(this.o.bundleDir, this.repo);
    try {
      await this._open();
      await this._peakSoFar('index build');
      await this._list(NOTEBOOK);
      await this._list(RARE);
      await this._read();
      await this._peakSoFar('lists and reads');
      await this._catchUp();
      await this._peakSoFar('catch-up');
      await this._create();
      await this._peakSoFar('creates');
      await this._rss();
      await this.engine.call('dispose');
      await this.engine.close();
    } catch (error) {
      this.engine.kill();
      throw error;
    }
    const remote = await startRemote(remoteRoot);
    try {
      await this._freshHome(remote);
    } finally {
      remote.child.kill('SIGTERM');
    }
    return this.result;
  }

  async _open() {
    this.o.log(
      `${this.o.commits} commits: opening the engine, building its history index`
    );
    this.result.openMs = (await this.engine.call('open')).ms;
    const first = await this._phase('index build', () =>
      this._checkedList(NOTEBOOK)
    );
    this.result.indexBuildMs = first.ms;
  }

  /** `listCheckpoints(path, 10)` against `git log -n 10 --format=%H -- path`. */
  async _list(path) {
    this.o.log(`${this.o.commits} commits: listCheckpoints ${path}`);
    const command = ['log', '-n', String(LIMIT), '--format=%H', '--', path];
    await this._compare({
      operation: `listCheckpoints(${path.split('/').pop()}, ${LIMIT})`,
      command,
      target: TARGET.list,
      engineRun: () => this._checkedList(path),
      gitRun: () => this.git.time([command])
    });
  }

  /**
   * `readCheckpoint(nb, id)` against `git show id:nb` over the notebook's last
   * ten versions: first each version once, newest first, as the restore
   * dialog previews them after the engine started (nothing cached), then
   * round and round (what the engine may now hold in memory).
   */
  async _read() {
    this.o.log(`${this.o.commits} commits: readCheckpoint ${NOTEBOOK}`);
    const ids = (await this._checkedList(NOTEBOOK)).result.reverse();
    this.readId = ids[0];
    const read = async id => {
      const answer = await this.engine.call('read', { path: NOTEBOOK, id });
      const expected = sha1(this.git.run(['show', `${id}:${NOTEBOOK}`]));
      if (answer.result !== expected) {
        throw new Error(
          `readCheckpoint(${NOTEBOOK}, ${id}) differs from git show`
        );
      }
      return answer;
    };
    const show = id => this.git.time([['show', `${id}:${NOTEBOOK}`]]);
    const common = {
      command: ['show', `<id>:${NOTEBOOK}`],
      target: TARGET.read
    };
    await this._compare({
      ...common,
      operation: `readCheckpoint(${NOTEBOOK}), first read`,
      runs: ids.length,
      warmup: 0,
      engineRun: k => read(ids[k]),
      gitRun: k => show(ids[k])
    });
    await this._compare({
      ...common,
      operation: `readCheckpoint(${NOTEBOOK}), read again`,
      engineRun: k => read(ids[k % ids.length]),
      gitRun: k => show(ids[k % ids.length])
    });
  }

  /** Commits made with the git CLI, then the engine's next list catches up on them. */
  async _catchUp() {
    const { commits } = this.o;
    this.o.log(
      `${commits} commits: ${CATCH_UP_COMMITS} commits with the git CLI, then catch-up`
    );
    for (let i = commits + 1; i <= commits + CATCH_UP_COMMITS; i++) {
      this.material.commitWithCli(this.git, i);
    }
    const caught = await this._phase('catch-up', () =>
      this._checkedList(NOTEBOOK)
    );
    this.result.catchUpMs = caught.ms;
  }

  /**
   * `createCheckpoint(nb)` against `git add nb && git commit`, each on its own
   * copy of the repository, both writing the same new notebook version per run.
   */
  async _create() {
    this.o.log(`${this.o.commits} commits: createCheckpoint ${NOTEBOOK}`);
    this.gitCopy = new Git(`${this.repo}-git`, this.o.home);
    cpSync(this.repo, this.gitCopy.dir, { recursive: true });
    const firstVersion = Material.notebookVersions(
      this.o.commits + CATCH_UP_COMMITS
    );
    await this._compare({
      operation: `createCheckpoint(${NOTEBOOK})`,
      command: ['add', NOTEBOOK, '&&', 'git', 'commit', '-m', 'x'],
      target: TARGET.create,
      engineRun: async k => {
        const bytes = this.material.notebook.bytes(firstVersion + k);
        writeFileSync(join(this.repo, NOTEBOOK), bytes);
        const created = await this.engine.call('create', { path: NOTEBOOK });
        this._checkCreated(created.result, bytes);
        return created;
      },
      gitRun: k => {
        const bytes = this.material.notebook.bytes(firstVersion + k);
        writeFileSync(join(this.gitCopy.dir, NOTEBOOK), bytes);
        return this.gitCopy.time([
          ['add', NOTEBOOK],
          ['commit', '-q', '-m', 'x']
        ]);
      }
    });
  }

  /**
   * A fresh home: an empty directory brought back from the loopback remote by
   * the engine (`syncOnOpen()`, then the first `listCheckpoints`), each run in
   * an engine process of its own, against `git clone --single-branch` of the
   * same branch. Both peak RSS are the largest over the runs.
   */
  async _freshHome(remote) {
    const { commits, tmp } = this.o;
    this.o.log(`${commits} commits: fresh home from the remote`);
    const bare = join(remote.root, 'bench.git');
    const expected = runGit(bare, this.git.env, [
      'log',
      '-n',
      String(LIMIT),
      '--format=%H',
      '--',
      NOTEBOOK
    ])
      .toString()
      .trim()
      .split('\n')
      .reverse();
    const tip = runGit(bare, this.git.env, ['rev-parse', 'bench'])
      .toString()
      .trim();
    const url = `${remote.url}/bench.git`;
    const withCredentials = url.replace(
      '://',
      `://${REMOTE_USER}:${REMOTE_PASSWORD}@`
    );
    const clone = target => [
      'clone',
      '-q',
      '--single-branch',
      '--branch',
      'bench',
      withCredentials,
      target
    ];
    const outside = new Git(tmp, this.o.home);
    const rss = { engine: 0, git: null };
    await this._compare({
      operation: 'fresh home: syncOnOpen() + listCheckpoints',
      command: ['clone', '--single-branch', '--branch', 'bench', '<url>'],
      target: TARGET.freshHome,
      runs: this.o.freshRuns,
      warmup: Math.min(this.o.warmup, 1),
      engineRun: async k => {
        const home = join(tmp, `fresh-engine-${commits}-${k}`);
        mkdirSync(home);
        const engine = await startEngine(this.o.bundleDir, home);
        try {
          const fetched = await engine.call('freshHome', {
            url,
            username: REMOTE_USER,
            password: REMOTE_PASSWORD,
            path: NOTEBOOK,
            limit: LIMIT
          });
          this._checkFreshHome(home, tip, expected, fetched.result);
          rss.engine = Math.max(rss.engine, (await engine.call('rss')).result);
          await engine.call('dispose');
          await engine.close();
          return fetched;
        } catch (error) {
          engine.kill();
          throw error;
        } finally {
          rmSync(home, { recursive: true, force: true });
        }
      },
      gitRun: async k => {
        const target = join(tmp, `fresh-git-${commits}-${k}`);
        const cloned = await outside.time([clone(target)]);
        rmSync(target, { recursive: true, force: true });
        return cloned;
      }
    });
    const target = join(tmp, `fresh-git-${commits}-rss`);
    rss.git = outside.peakRss([clone(target)]);
    rmSync(target, { recursive: true, force: true });
    this.result.rss.freshHome = rss;
  }

  /** A fresh home must be the remote's branch, checked out clean, its history as git lists it. */
  _checkFreshHome(home, tip, expected, answer) {
    const git = new Git(home, this.o.home);
    const head = git.run(['rev-parse', 'HEAD']).toString().trim();
    const changed = git.run(['status', '--porcelain']).toString();
    if (
      answer.state !== 'pushed' ||
      head !== tip ||
      changed !== '' ||
      answer.ids.join() !== expected.join()
    ) {
      throw new Error(
        `fresh home: ${JSON.stringify(answer)}, HEAD ${head} (remote ${tip}), ` +
          `git status: ${changed.slice(0, 500)}, git log lists ${expected.join(' ')}`
      );
    }
  }

  /** The engine's peak RSS so far, after a phase: where the peak of the run was reached. */
  async _peakSoFar(phase) {
    const mb = (await this.engine.call('rss')).result / 1048576;
    (this.result.peakAfter ??= {})[phase] = mb;
    this.o.log(
      `${this.o.commits} commits: engine peak RSS after ${phase}: ${mb.toFixed(1)} MB`
    );
  }

  async _rss() {
    this.result.rss = {
      engine: (await this.engine.call('rss')).result,
      gitLog: this.git.peakRss([
        ['log', '-n', String(LIMIT), '--format=%H', '--', NOTEBOOK],
        ['log', '-n', String(LIMIT), '--format=%H', '--', RARE]
      ]),
      gitShow: this.git.peakRss([['show', `${this.readId}:${NOTEBOOK}`]])
    };
    const last = this.material.notebook.versions - 1;
    writeFileSync(
      join(this.gitCopy.dir, NOTEBOOK),
      this.material.notebook.bytes(last)
    );
    this.result.rss.gitCommit = this.gitCopy.peakRss([
      ['add', NOTEBOOK],
      ['commit', '-q', '-m', 'x']
    ]);
  }

  /** The engine's list, checked against git log's (newest first, so reversed). */
  async _checkedList(path) {
    const listed = await this.engine.call('list', { path, limit: LIMIT });
    const log = this.git.run([
      'log',
      '-n',
      String(LIMIT),
      '--format=%H',
      '--',
      path
    ]);
    const expected = log.toString().trim().split('\n').reverse();
    if (listed.result.join() !== expected.join()) {
      throw new Error(
        `listCheckpoints(${path}) at ${this.o.commits} commits returned\n  ` +
          `${listed.result.join('\n  ')}\nbut git log lists (oldest first)\n  ${expected.join('\n  ')}`
      );
    }
    return listed;
  }

  /** A created checkpoint must be the branch's new head and hold the bytes written. */
  _checkCreated(id, bytes) {
    const head = this.git.run(['rev-parse', 'HEAD']).toString().trim();
    const blob = this.git
      .run(['rev-parse', `${id}:${NOTEBOOK}`])
      .toString()
      .trim();
    const expected = sha1(
      Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes])
    );
    if (head !== id || blob !== expected) {
      throw new Error(
        `createCheckpoint returned ${id}; HEAD is ${head}, its blob ${blob}`
      );
    }
  }

  /**
   * Runs the engine and git alternately (which goes first alternates too, so
   * neither gains from the other warming the page cache), drops the warm-up
   * runs and records both medians.
   */
  async _compare({
    operation,
    command,
    target,
    engineRun,
    gitRun,
    runs = this.o.runs,
    warmup = this.o.warmup
  }) {
    const engine = [];
    const git = [];
    await this._phase(operation, async () => {
      for (let k = 0; k < warmup + runs; k++) {
        let e;
        let g;
        if (k % 2) {
          g = await gitRun(k);
          e = await engineRun(k);
        } else {
          e = await engineRun(k);
          g = await gitRun(k);
        }
        if (k >= warmup) {
          engine.push(e.ms);
          git.push(g.ms);
        }
      }
    });
    this.result.comparisons.push({
      operation,
      target,
      engine: { median: median(engine), samples: engine },
      git: {
        command: `git ${command.join(' ')}`,
        median: median(git),
        samples: git
      }
    });
  }

  /**
   * Runs `fn`, under the CPU profiler when profiling. The report sets the
   * engine's time in the phase against the CPU time the profile saw on its
   * main thread: the rest is waiting (zlib and fs in libuv's thread pool, the disk).
   */
  async _phase(label, fn) {
    if (!this.o.profileDir) {
      return fn();
    }
    await this.engine.call('profileStart');
    const before = { ...this.engine.spent };
    const value = await fn();
    const engineMs = this.engine.spent.ms - before.ms;
    const calls = this.engine.spent.calls - before.calls;
    mkdirSync(this.o.profileDir, { recursive: true });
    const file = join(
      this.o.profileDir,
      `${this.o.commits}-${label.replace(/\W+/g, '_')}.cpuprofile`
    );
    await this.engine.call('profileStop', { file });
    this.result.profiles.push({
      label: `${this.o.commits} ${label}`,
      file,
      engineMs,
      calls,
      summary: summarizeProfile(file)
    });
    return value;
  }
}

function sha1(bytes) {
  return createHash('sha1').update(bytes).digest('hex');
}
