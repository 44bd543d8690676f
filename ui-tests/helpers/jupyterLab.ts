/**
 * Runs the real JupyterLab from the project's venv on loopback, in a fresh
 * temporary home that is also the checkpoint repository.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const VENV = resolve(__dirname, '../../.venv');

export interface IJupyterLabOptions {
  /** The home directory: root_dir, HOME and DEBUG_HOME. */
  home: string;
  /** Extra environment (USER, DEPLOY_ENV, GIT_URL...). */
  env?: Record<string, string>;
  /** Which app to run: JupyterLab (default) or Jupyter Notebook 7. */
  app?: 'lab' | 'notebook';
}

export class JupyterLab {
  private constructor(
    readonly url: string,
    readonly token: string,
    readonly home: string,
    private _child: ChildProcess,
    readonly log: string[]
  ) {}

  static async start(options: IJupyterLabOptions): Promise<JupyterLab> {
    const port = await freePort();
    const token = randomBytes(16).toString('hex');
    const home = options.home;
    const config = join(home, '.jupyter');
    // No announcement toast over the UI.
    mkdirSync(join(config, 'labconfig'), { recursive: true });
    writeFileSync(
      join(config, 'labconfig', 'page_config.json'),
      JSON.stringify({
        disabledExtensions: {
          '@jupyterlab/apputils-extension:announcements': true
        }
      })
    );
    const log: string[] = [];
    const child = spawn(
      join(VENV, 'bin', 'jupyter'),
      [
        options.app ?? 'lab',
        '--no-browser',
        '--ServerApp.ip=127.0.0.1',
        `--ServerApp.port=${port}`,
        '--ServerApp.port_retries=0',
        `--IdentityProvider.token=${token}`,
        `--ServerApp.root_dir=${home}`,
        // No news, update checks or PyPI: no network but loopback.
        ...(options.app === 'notebook'
          ? []
          : [
              '--LabApp.news_url=None',
              '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
              '--LabApp.extension_manager=readonly'
            ]),
        // CI machines run as root; Jupyter refuses that unless told.
        ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : [])
      ],
      {
        cwd: home,
        env: {
          PATH: `${join(VENV, 'bin')}:${process.env.PATH}`,
          LANG: 'C.UTF-8',
          HOME: home,
          DEBUG_HOME: home,
          JUPYTER_CONFIG_DIR: config,
          JUPYTER_DATA_DIR: join(home, '.local', 'share', 'jupyter'),
          JUPYTER_RUNTIME_DIR: join(
            home,
            '.local',
            'share',
            'jupyter',
            'runtime'
          ),
          ...options.env
        },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    child.stdout!.on('data', data => log.push(String(data)));
    child.stderr!.on('data', data => log.push(String(data)));
    const lab = new JupyterLab(
      `http://127.0.0.1:${port}`,
      token,
      home,
      child,
      log
    );
    await lab._waitUntilUp();
    return lab;
  }

  /** The URL of a page of the app, with the token. */
  page(path = 'lab'): string {
    return `${this.url}/${path}?token=${this.token}`;
  }

  /** A REST call as the logged-in user. */
  async api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}/${path}`, {
      ...init,
      headers: { Authorization: `token ${this.token}`, ...(init.headers ?? {}) }
    });
  }

  async stop(): Promise<void> {
    const child = this._child;
    if (child.exitCode !== null) {
      return;
    }
    await new Promise<void>(done => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  }

  private async _waitUntilUp(): Promise<void> {
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      if (this._child.exitCode !== null) {
        throw new Error(`jupyter lab exited:\n${this.log.join('')}`);
      }
      try {
        const response = await this.api('api/status');
        if (response.ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(done => setTimeout(done, 250));
    }
    throw new Error(`jupyter lab did not start:\n${this.log.join('')}`);
  }
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
