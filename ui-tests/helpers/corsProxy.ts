/**
 * `@isomorphic-git/cors-proxy` (npm) on loopback, as a JupyterLite site's
 * users host it in front of their git server. Plain http is allowed only to
 * the given loopback remote.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './jupyterLab';

const BIN = resolve(
  __dirname,
  '../../node_modules/@isomorphic-git/cors-proxy/bin.js'
);

export class CorsProxy {
  private constructor(
    readonly url: string,
    private _child: ChildProcess
  ) {}

  /** Proxies to `remote` (a `http://127.0.0.1:PORT` base URL). */
  static async start(remote: string): Promise<CorsProxy> {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'run', '-p', String(port)], {
      env: {
        PATH: process.env.PATH!,
        INSECURE_HTTP_ORIGINS: new URL(remote).host
      },
      stdio: 'ignore'
    });
    const proxy = new CorsProxy(`http://127.0.0.1:${port}`, child);
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      try {
        await fetch(proxy.url);
        return proxy;
      } catch {
        await new Promise(done => setTimeout(done, 200));
      }
    }
    await proxy.stop();
    throw new Error('cors-proxy did not start');
  }

  async stop(): Promise<void> {
    if (this._child.exitCode === null) {
      await new Promise<void>(done => {
        this._child.once('exit', () => done());
        this._child.kill('SIGTERM');
      });
    }
  }
}
