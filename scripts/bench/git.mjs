import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WorkerProcess } from './ipc.mjs';

// GNU time (Debian's `time` package) reports a child's peak RSS. It must be a
// small process: Linux counts the memory of the process that forked and exec'd
// git into git's ru_maxrss, so Node or Python as the spawner would hide git's figure.
const GNU_TIME = '/usr/bin/time';

const RUNNER = fileURLToPath(new URL('./gitWorker.mjs', import.meta.url));

/** The git runner process (gitWorker.mjs), started on first use, one for the benchmark. */
let runner = null;

/** Ends the git runner process, if one was started. */
export async function closeGitRunner() {
  const running = runner;
  runner = null;
  await (await running)?.close();
}

/** Runs git in `dir` and returns its stdout; throws with its stderr when it fails. */
export function runGit(dir, env, args) {
  const result = spawnSync('git', args, { cwd: dir, env, maxBuffer: 1 << 30 });
  if (result.error) {
    throw result.error;
  }
  if (result.status !== 0) {
    throw new Error(
      `git ${args.join(' ')}: ${result.stderr.toString().trim()}`
    );
  }
  return result.stdout;
}

/**
 * The git CLI in one repository, with no user or system configuration, so the
 * figures are git's defaults on this machine.
 */
export class Git {
  /**
   * @param {string} dir the working tree
   * @param {string} home an empty directory used as $HOME
   */
  constructor(dir, home) {
    this.dir = dir;
    this.env = {
      PATH: process.env.PATH,
      HOME: home,
      LANG: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.invalid',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.invalid'
    };
  }

  /** Runs git and returns its stdout; throws with its stderr when it fails. */
  run(args, env = {}) {
    return runGit(this.dir, { ...this.env, ...env }, args);
  }

  /**
   * Runs the commands one after another in the git runner process: the wall
   * time in ms, and the last stdout as `{text}` (up to 64 KiB) or `{sha1}`.
   */
  async time(commands) {
    runner ??= WorkerProcess.start(RUNNER);
    const { ms, result } = await (
      await runner
    ).call('time', { dir: this.dir, env: this.env, commands });
    return { ms, ...result };
  }

  /**
   * Peak resident set size in bytes of the largest of these git commands,
   * or null without GNU time.
   */
  peakRss(commands) {
    if (!existsSync(GNU_TIME)) {
      return null;
    }
    let peak = 0;
    for (const args of commands) {
      const result = spawnSync(GNU_TIME, ['-f', '%M', 'git', ...args], {
        cwd: this.dir,
        env: this.env,
        maxBuffer: 1 << 30
      });
      if (result.status !== 0) {
        throw new Error(
          `git ${args.join(' ')}: ${result.stderr.toString().trim()}`
        );
      }
      const kib = Number(result.stderr.toString().trim().split('\n').pop());
      peak = Math.max(peak, kib * 1024);
    }
    return peak;
  }

  /**
   * Runs a git command that reads a large stream on stdin (fast-import),
   * respecting back-pressure.
   *
   * @param {string[]} args
   * @param {AsyncIterable<Buffer|string>} input
   */
  async pipe(args, input) {
    const child = spawn('git', args, {
      cwd: this.dir,
      env: this.env,
      stdio: ['pipe', 'ignore', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', data => (stderr += data));
    const exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', code => resolve(code));
    });
    // If git dies early, writing fails with EPIPE; its exit code and stderr say why.
    child.stdin.on('error', () => {});
    let done = false;
    child.on('close', () => (done = true));
    for await (const chunk of input) {
      if (done) {
        break;
      }
      if (!child.stdin.write(chunk)) {
        const drained = new Promise(resolve =>
          child.stdin.once('drain', resolve)
        );
        await Promise.race([drained, exited]);
      }
    }
    child.stdin.end();
    const code = await exited;
    if (code !== 0) {
      throw new Error(`git ${args.join(' ')} exited ${code}: ${stderr.trim()}`);
    }
  }
}
