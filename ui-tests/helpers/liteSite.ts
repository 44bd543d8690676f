/**
 * A JupyterLite site built with scripts/lite-site.sh (jupyterlite-core and
 * this package from the venv) and served on loopback.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './jupyterLab';

const SCRIPT = resolve(__dirname, '../../scripts/lite-site.sh');

export class LiteSite {
  private constructor(
    readonly url: string,
    private _dir: string,
    private _child: ChildProcess,
    readonly log: string[]
  ) {}

  /** Builds the site (the app exposed as `window.jupyterapp` for tests) and serves it. */
  static async start(): Promise<LiteSite> {
    const dir = await mkdtemp(join(tmpdir(), 'gc-lite-'));
    const port = await freePort();
    const log: string[] = [];
    const child = spawn('bash', [SCRIPT, join(dir, 'site'), String(port)], {
      env: {
        ...process.env,
        LITE_PAGE_CONFIG: JSON.stringify({ exposeAppInBrowser: true })
      },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stdout!.on('data', data => log.push(String(data)));
    child.stderr!.on('data', data => log.push(String(data)));
    const site = new LiteSite(`http://127.0.0.1:${port}`, dir, child, log);
    await site._waitUntilUp();
    return site;
  }

  /** The lab page, opening `path` when given. */
  page(path?: string): string {
    return `${this.url}/lab/index.html${path ? `?path=${encodeURIComponent(path)}` : ''}`;
  }

  async stop(): Promise<void> {
    if (this._child.exitCode === null) {
      await new Promise<void>(done => {
        this._child.once('exit', () => done());
        this._child.kill('SIGTERM');
      });
    }
    await rm(this._dir, { recursive: true, force: true });
  }

  private async _waitUntilUp(): Promise<void> {
    const deadline = Date.now() + 120000;
    while (Date.now() < deadline) {
      if (this._child.exitCode !== null) {
        throw new Error(`lite-site.sh exited:\n${this.log.join('')}`);
      }
      try {
        if ((await fetch(this.page())).ok) {
          return;
        }
      } catch {
        // Still building.
      }
      await new Promise(done => setTimeout(done, 500));
    }
    throw new Error(
      `the JupyterLite site did not start:\n${this.log.join('')}`
    );
  }
}
