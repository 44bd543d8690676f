/**
 * Test fixture: runs scripts/git-remote.mjs (a real `git http-backend` behind Basic auth on
 * loopback) and drives the real git CLI against it.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const SCRIPT = resolve(__dirname, '../../scripts/git-remote.mjs');
const execFileAsync = promisify(execFile);

export interface IGitRemoteOptions {
  user?: string;
  password?: string;
  /** Bare repositories to create, e.g. `['team.git']`. */
  init?: string[];
  /** Accept connections and never answer. */
  hang?: boolean;
  /** Ignore the Git-Protocol header: a server without protocol v2. */
  protocolV0?: boolean;
  /** Reuse a root (and so the repositories) of an earlier remote. */
  root?: string;
  port?: number;
}

export class GitRemote {
  private constructor(
    readonly root: string,
    readonly user: string,
    readonly password: string,
    private _child: ChildProcess | null,
    private _url: string,
    readonly stderr: string[]
  ) {}

  /** Base URL, e.g. `http://127.0.0.1:40123`; a repository is at `${url}/team.git`. */
  get url(): string {
    return this._url;
  }

  get port(): number {
    return Number(new URL(this._url).port);
  }

  get running(): boolean {
    return this._child !== null;
  }

  static async start(options: IGitRemoteOptions = {}): Promise<GitRemote> {
    const root = options.root ?? (await mkdtemp(join(tmpdir(), 'git-remote-')));
    const user = options.user ?? 'alice';
    const password = options.password ?? 'correct horse battery';
    const stderr: string[] = [];
    const { child, url } = await GitRemote._spawn(
      root,
      user,
      password,
      stderr,
      options
    );
    return new GitRemote(root, user, password, child, url, stderr);
  }

  private static _spawn(
    root: string,
    user: string,
    password: string,
    stderr: string[],
    options: IGitRemoteOptions
  ): Promise<{ child: ChildProcess; url: string }> {
    const args = [SCRIPT, '--root', root, '--port', String(options.port ?? 0)];
    for (const name of options.init ?? []) {
      args.push('--init', name);
    }
    if (options.hang) {
      args.push('--hang');
    }
    if (options.protocolV0) {
      args.push('--protocol-v0');
    }
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        GIT_REMOTE_USER: user,
        GIT_REMOTE_PASSWORD: password
      },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stderr!.on('data', data => stderr.push(String(data)));
    return new Promise((resolvePromise, reject) => {
      child.once('exit', code =>
        reject(new Error(`git-remote exited with ${code}: ${stderr.join('')}`))
      );
      createInterface({ input: child.stdout! }).once('line', line => {
        child.removeAllListeners('exit');
        resolvePromise({ child, url: JSON.parse(line).url });
      });
    });
  }

  /** Stops the server (the repositories stay). */
  async stop(): Promise<void> {
    const child = this._child;
    if (!child) {
      return;
    }
    this._child = null;
    await new Promise(done => {
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  }

  /** Starts it again on the same port, serving the same repositories. */
  async restart(): Promise<void> {
    await this.stop();
    const { child, url } = await GitRemote._spawn(
      this.root,
      this.user,
      this.password,
      this.stderr,
      {
        port: this.port
      }
    );
    this._child = child;
    this._url = url;
  }

  /** Stops the server and removes its repositories. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.root, { recursive: true, force: true });
  }

  /** The real git CLI with this remote's credentials in a header, never in a URL or config file. */
  git(
    args: string[],
    cwd?: string,
    password = this.password
  ): Promise<{ stdout: string; stderr: string }> {
    const auth = Buffer.from(`${this.user}:${password}`).toString('base64');
    return gitCli(args, cwd, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${auth}`
    });
  }

  /**
   * Gives the bare repository `count` other users' branches (`<prefix>00000`...),
   * all on one commit of an empty tree, written as a packed-refs file so that
   * 20,000 take a moment. Returns that commit.
   */
  async addBranches(
    repo: string,
    count: number,
    prefix = 'user-'
  ): Promise<string> {
    const tree = (await this.bare(repo, ['write-tree'])).stdout.trim();
    const commit = (
      await this.bare(repo, ['commit-tree', tree, '-m', 'another user'])
    ).stdout.trim();
    const width = String(count).length;
    const lines = Array.from(
      { length: count },
      (_, i) =>
        `${commit} refs/heads/${prefix}${String(i).padStart(width, '0')}\n`
    );
    await writeFile(
      join(this.root, repo, 'packed-refs'),
      `# pack-refs with: peeled fully-peeled sorted \n${lines.join('')}`
    );
    return commit;
  }

  /** The real git CLI on a bare repository of this remote (no network). */
  bare(
    repo: string,
    args: string[]
  ): Promise<{ stdout: string; stderr: string }> {
    return gitCli(['--git-dir', join(this.root, repo), ...args]);
  }
}

/** The git CLI, isolated from the caller's global config and never prompting. */
export async function gitCli(
  args: string[],
  cwd?: string,
  env: Record<string, string> = {}
): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync('git', args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH!,
      // A home without a .gitconfig: only what a test sets applies.
      HOME: join(tmpdir(), 'git-remote-no-home'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'Other Server',
      GIT_AUTHOR_EMAIL: 'other@example.org',
      GIT_COMMITTER_NAME: 'Other Server',
      GIT_COMMITTER_EMAIL: 'other@example.org',
      ...env
    }
  });
}
