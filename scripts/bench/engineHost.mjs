import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./engineWorker.mjs', import.meta.url));

/**
 * Bundles the engine and the native codec from the TypeScript sources into
 * `outdir` (`engine/index.js`, `server/nodeCodec.js`), as the build would,
 * so the benchmark always runs the code in the tree.
 */
export async function bundleEngine(outdir) {
  await esbuild.build({
    entryPoints: [
      join(ROOT, 'src/engine/index.ts'),
      join(ROOT, 'src/server/nodeCodec.ts')
    ],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outdir,
    // Module comments in the bundle then name src/... paths (see profile.mjs).
    absWorkingDir: ROOT,
    logLevel: 'warning',
    // CommonJS dependencies that require() Node built-ins need a require in ESM.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
    }
  });
  return outdir;
}

/**
 * A long-lived engine process on one repository (engineWorker.mjs), driven
 * over IPC. Every answer carries the time the engine call took in the worker.
 */
export class EngineProcess {
  /**
   * @param {string} bundleDir from `bundleEngine`
   * @param {string} repoDir the repository's working tree
   * @param {string[]} execArgv extra Node flags, e.g. `--cpu-prof`
   */
  static async start(bundleDir, repoDir, execArgv = []) {
    const child = fork(WORKER, [bundleDir, repoDir], {
      execArgv,
      stdio: 'inherit'
    });
    const host = new EngineProcess(child);
    await host._ready;
    return host;
  }

  constructor(child) {
    this._child = child;
    this._seq = 0;
    this._pending = new Map();
    /** Time spent in engine calls so far, as the worker measured it. */
    this.spent = { ms: 0, calls: 0 };
    this._ready = new Promise((resolve, reject) => {
      this._fail = reject;
      child.on('message', message => {
        if (message.ready) {
          resolve();
          return;
        }
        const pending = this._pending.get(message.seq);
        this._pending.delete(message.seq);
        if (message.error) {
          pending.reject(new Error(`engine ${message.error}`));
        } else {
          this.spent.ms += message.ms;
          this.spent.calls += 1;
          pending.resolve({ ms: message.ms, result: message.result });
        }
      });
    });
    this._exited = new Promise(resolve => {
      child.on('exit', (code, signal) => {
        const error = new Error(`engine process exited (${signal ?? code})`);
        this._fail(error);
        for (const pending of this._pending.values()) {
          pending.reject(error);
        }
        this._pending.clear();
        resolve();
      });
    });
  }

  /** Runs one engine operation: `{ms, result}`. */
  call(op, args) {
    const seq = ++this._seq;
    return new Promise((resolve, reject) => {
      this._pending.set(seq, { resolve, reject });
      this._child.send({ seq, op, args });
    });
  }

  /** Disposes the engine and lets the process end (writing its CPU profile, if any). */
  async close() {
    if (this._child.exitCode === null && this._child.signalCode === null) {
      await this.call('dispose');
      this._child.disconnect();
    }
    await this._exited;
  }

  /** Ends the process at once, after a failure. */
  kill() {
    this._child.kill();
  }
}
