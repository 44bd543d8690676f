import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Measurements run in small child processes of their own (the engine, the git
 * runner), driven over IPC: each call is timed in the child, around the work
 * only, so IPC costs nothing in the figures, and the parent's memory (the
 * generated material) weighs on neither side.
 */
export class WorkerProcess {
  /**
   * @param {string} script a module that calls `serve`
   * @param {string[]} args its arguments
   * @param {string[]} execArgv extra Node flags
   */
  static async start(script, args = [], execArgv = []) {
    const worker = new WorkerProcess(
      fork(script, args, { execArgv, stdio: 'inherit' })
    );
    await worker._ready;
    return worker;
  }

  constructor(child) {
    this._child = child;
    this._seq = 0;
    this._pending = new Map();
    /** Time spent in calls so far, as the child measured it. */
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
          pending.reject(new Error(message.error));
        } else {
          this.spent.ms += message.ms;
          this.spent.calls += 1;
          pending.resolve({ ms: message.ms, result: message.result });
        }
      });
    });
    this._exited = new Promise(resolve => {
      child.on('exit', (code, signal) => {
        const error = new Error(`worker process exited (${signal ?? code})`);
        this._fail(error);
        for (const pending of this._pending.values()) {
          pending.reject(error);
        }
        this._pending.clear();
        resolve();
      });
    });
  }

  /** Runs one operation in the child: `{ms, result}`. */
  call(op, args) {
    const seq = ++this._seq;
    return new Promise((resolve, reject) => {
      this._pending.set(seq, { resolve, reject });
      this._child.send({ seq, op, args });
    });
  }

  /** Lets the child end (after it has written a CPU profile, if any). */
  async close() {
    if (this._child.connected) {
      this._child.disconnect();
    }
    await this._exited;
  }

  /** Ends the child at once, after a failure. */
  kill() {
    this._child.kill();
  }
}

/**
 * The child's side: answers `call`s with `operations[op]`, each
 * `{run(args), report(value)}`: `run` is timed, `report` (untimed) turns its
 * value into what is sent back.
 */
export function serve(operations) {
  process.on('message', async ({ seq, op, args }) => {
    try {
      const start = performance.now();
      const value = await operations[op].run(args ?? {});
      const ms = performance.now() - start;
      process.send({ seq, ms, result: operations[op].report(value) });
    } catch (error) {
      process.send({
        seq,
        error: `${op}: ${error.code ?? ''} ${error.stack ?? error}`
      });
    }
  });
  // The parent disconnects when done; leave even if a timer is still pending.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}
