import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerConnection } from '@jupyterlab/services';
import { UNSET_REMOTE_SETTINGS } from '../../src/contract';
import { GitCheckpointsClient } from '../../src/ui/client';
import { freePort, JupyterLab } from '../../ui-tests/helpers/jupyterLab';

/**
 * The REST client against the real server: JupyterLab from the project's venv
 * (scripts/setup.sh installs it), the server extension and its engine process,
 * in a fresh home. Each call is checked for what it answers and, for the
 * failures, the status and the contract's code it carries.
 */
describe('GitCheckpointsClient', () => {
  let home: string;
  let lab: JupyterLab;
  let client: GitCheckpointsClient;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'client-spec-'));
    lab = await JupyterLab.start({
      home,
      env: { USER: 'alice', DEPLOY_ENV: 'test', GIT_EMAIL: 'a@example.org' }
    });
    client = new GitCheckpointsClient({ serverSettings: settings(lab.url) });
  }, 120000);

  afterAll(async () => {
    await lab?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  function settings(url: string): ServerConnection.ISettings {
    return ServerConnection.makeSettings({
      baseUrl: `${url}/`,
      wsUrl: url.replace(/^http/, 'ws') + '/',
      token: lab.token,
      appendToken: false
    });
  }

  async function rejection(promise: Promise<unknown>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(GitCheckpointsClient.RequestError);
    const { status, code } = error as GitCheckpointsClient.RequestError;
    return { status, code, message: (error as Error).message };
  }

  it('creates, lists, reads and restores checkpoints', async () => {
    writeFileSync(join(home, 'a.txt'), 'one\n');
    const first = await client.createCheckpoint('a.txt', 'first');
    expect(first).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{40}$/),
      last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      message: 'first',
      author: { name: 'alice', email: 'a@example.org' },
      pushed: false
    });
    writeFileSync(join(home, 'a.txt'), 'two\n');
    const second = await client.createCheckpoint('a.txt');
    expect(second.message).toBe('Checkpoint a.txt');

    expect(await client.history('a.txt')).toEqual({
      path: 'a.txt',
      checkpoints: [first, second]
    });
    expect((await client.history('a.txt', 1)).checkpoints).toEqual([second]);
    expect(await client.content('a.txt', first.id)).toEqual({
      path: 'a.txt',
      id: first.id,
      format: 'text',
      content: 'one\n'
    });

    await client.restoreCheckpoint('a.txt', first.id);
    expect(readFileSync(join(home, 'a.txt'), 'utf8')).toBe('one\n');
    const messages = (await client.history('a.txt')).checkpoints.map(
      c => c.message
    );
    expect(messages.at(-1)).toBe(`Restore a.txt to ${first.id.slice(0, 7)}`);
  });

  it('answers the status and a push without a remote', async () => {
    const status = await client.status();
    expect(status).toMatchObject({
      repository: expect.any(String),
      branch: 'alice-test',
      head: expect.stringMatching(/^[0-9a-f]{40}$/),
      remote: null,
      state: 'local',
      pending: 0,
      last_error: null
    });
    expect(await client.push()).toMatchObject({ state: 'local', remote: null });
  });

  it('reads and changes the remote settings, never showing the password', async () => {
    expect(await client.getRemote()).toEqual({
      url: null,
      username: null,
      email: 'a@example.org',
      environment: 'test',
      push: true,
      has_password: false
    });
    // A remote on a closed loopback port: accepted, and its pushes fail in the background.
    const url = `http://127.0.0.1:${await freePort()}/team.git`;
    const changed = await client.setRemote({
      url,
      username: 'alice',
      email: null,
      environment: null,
      push: false
    });
    expect(changed).toMatchObject({ url, username: 'alice', push: false });
    await client.setPassword('s3cret');
    const remote = await client.getRemote();
    expect(remote.has_password).toBe(true);
    expect(JSON.stringify(remote)).not.toContain('s3cret');
    await client.setRemote(UNSET_REMOTE_SETTINGS);
    expect((await client.getRemote()).url).toBeNull();
  });

  it('rejects with the status and code of each refusal', async () => {
    const unknown = 'f'.repeat(40);
    expect(await rejection(client.createCheckpoint('nope.txt'))).toMatchObject({
      status: 404,
      code: 'NotFound'
    });
    expect(await rejection(client.content('a.txt', unknown))).toMatchObject({
      status: 404,
      code: 'NotACheckpoint'
    });
    expect(await rejection(client.history('a.txt', 0))).toMatchObject({
      status: 400,
      code: 'InvalidArgument'
    });
    expect(await rejection(client.history('.git/config'))).toMatchObject({
      status: 400,
      code: 'InvalidPath'
    });
    // Through Jupyter's standard API, whose error bodies carry the code as their reason.
    expect(
      await rejection(client.restoreCheckpoint('a.txt', unknown))
    ).toMatchObject({ status: 404, code: 'NotACheckpoint' });
    expect(
      await rejection(
        client.setRemote({
          ...UNSET_REMOTE_SETTINGS,
          url: 'https://alice:pw@git.example/r.git'
        })
      )
    ).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  it('turns a server that cannot be reached into a NetworkError', async () => {
    const closed = new GitCheckpointsClient({
      serverSettings: settings(`http://127.0.0.1:${await freePort()}`)
    });
    expect(await rejection(closed.status())).toMatchObject({
      status: 0,
      code: 'NetworkError'
    });
  });
});
