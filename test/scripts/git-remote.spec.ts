import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRemote, gitCli } from '../helpers/gitRemote';

/** One raw HTTP GET, so the test sees the status and headers git hides. */
function get(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 5000
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: timeoutMs }, res => {
      let body = '';
      res.on('data', chunk => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body })
      );
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('scripts/git-remote.mjs', () => {
  let remote: GitRemote;
  let work: string;

  beforeEach(async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    work = await mkdtemp(join(tmpdir(), 'git-remote-work-'));
  });

  afterEach(async () => {
    await remote.dispose();
    await rm(work, { recursive: true, force: true });
  });

  async function commitAndPush(name: string, password?: string): Promise<void> {
    const repo = join(work, 'clone');
    await gitCli(['init', '--quiet', '-b', 'alice-dev', repo]);
    await writeFile(join(repo, name), `${name}\n`);
    await gitCli(['add', name], repo);
    await gitCli(['commit', '--quiet', '-m', `add ${name}`], repo);
    await remote.git(
      ['push', `${remote.url}/team.git`, 'alice-dev'],
      repo,
      password
    );
  }

  it('prints its URL and pid as JSON and serves only loopback', () => {
    expect(remote.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(remote.port).toBeGreaterThan(0);
  });

  it('accepts a push and serves a clone through git http-backend', async () => {
    await commitAndPush('a.txt');
    const { stdout: log } = await remote.bare('team.git', [
      'log',
      '--format=%s',
      'alice-dev'
    ]);
    expect(log.trim()).toBe('add a.txt');

    const clone = join(work, 'clone2');
    await remote.git([
      'clone',
      '--quiet',
      '-b',
      'alice-dev',
      `${remote.url}/team.git`,
      clone
    ]);
    const { stdout } = await gitCli(['log', '--format=%s'], clone);
    expect(stdout.trim()).toBe('add a.txt');
    await gitCli(['fsck', '--strict'], clone);
  });

  it('answers 401 with WWW-Authenticate to a missing or wrong password', async () => {
    const refs = `${remote.url}/team.git/info/refs?service=git-upload-pack`;
    const anonymous = await get(refs);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);

    const wrong = Buffer.from(`${remote.user}:nope`).toString('base64');
    expect((await get(refs, { Authorization: `Basic ${wrong}` })).status).toBe(
      401
    );

    const right = Buffer.from(`${remote.user}:${remote.password}`).toString(
      'base64'
    );
    expect((await get(refs, { Authorization: `Basic ${right}` })).status).toBe(
      200
    );

    await expect(commitAndPush('b.txt', 'wrong password')).rejects.toThrow(
      /Authentication failed|could not read Username/
    );
    await expect(
      remote.bare('team.git', ['rev-parse', '--verify', 'alice-dev'])
    ).rejects.toThrow(/Needed a single revision/);
  });

  it('answers 404 for a repository that does not exist', async () => {
    const right = Buffer.from(`${remote.user}:${remote.password}`).toString(
      'base64'
    );
    const res = await get(
      `${remote.url}/nope.git/info/refs?service=git-upload-pack`,
      {
        Authorization: `Basic ${right}`
      }
    );
    expect(res.status).toBe(404);
  });

  it('stops and starts again on the same port with the same repositories', async () => {
    await commitAndPush('a.txt');
    const url = remote.url;
    await remote.stop();
    await expect(get(`${url}/team.git/info/refs`)).rejects.toThrow(
      /ECONNREFUSED/
    );

    await remote.restart();
    expect(remote.url).toBe(url);
    const { stdout } = await remote.git([
      'ls-remote',
      `${url}/team.git`,
      'alice-dev'
    ]);
    expect(stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/alice-dev$/m);
  });

  it('logs requests without any credential', async () => {
    await commitAndPush('a.txt');
    await commitAndPush('b.txt', 'wrong password').catch(() => undefined);
    const log = remote.stderr.join('');
    expect(log).toMatch(
      /POST \/team\.git\/git-receive-pack out=[1-9]\d* in=[1-9]\d* 200\n/
    );
    expect(log).toMatch(/ 401/);
    for (const secret of [
      remote.password,
      'wrong password',
      Buffer.from(`${remote.user}:${remote.password}`).toString('base64')
    ]) {
      expect(log).not.toContain(secret);
    }
  });

  it('refuses to start without credentials', async () => {
    await expect(gitRemoteWithoutPassword()).rejects.toThrow(
      /password are required/
    );
  });

  it('--hang accepts and never answers', async () => {
    const hanging = await GitRemote.start({ hang: true });
    try {
      await expect(
        get(`${hanging.url}/team.git/info/refs`, {}, 300)
      ).rejects.toThrow(/timed out/);
    } finally {
      await hanging.dispose();
    }
  });
});

async function gitRemoteWithoutPassword(): Promise<void> {
  const { execFile } = await import('node:child_process');
  const script = join(__dirname, '../../scripts/git-remote.mjs');
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [script, '--root', tmpdir()],
      { env: { PATH: process.env.PATH } },
      (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve())
    )
  );
}
