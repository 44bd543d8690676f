import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerConnection } from '@jupyterlab/services';
import { GitCheckpointsClient } from '../../src/ui/client';
import { freePort, JupyterLab } from '../../ui-tests/helpers/jupyterLab';
import { behavesAsCheckpointClient, type IClientHost } from './clientBehaviour';

/**
 * The REST client against the real server: JupyterLab from the project's venv
 * (scripts/setup.sh installs it), the server extension and its engine process,
 * in a fresh home.
 */
describe('GitCheckpointsClient', () => {
  let home: string;
  let lab: JupyterLab;
  let host: IClientHost;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'client-spec-'));
    lab = await JupyterLab.start({
      home,
      env: { USER: 'alice', DEPLOY_ENV: 'test', GIT_EMAIL: 'a@example.org' }
    });
    host = {
      client: new GitCheckpointsClient({ serverSettings: settings(lab.url) }),
      write: (path, text) => writeFile(join(home, path), text),
      read: path => readFile(join(home, path), 'utf8'),
      // A closed loopback port: accepted, and its pushes fail in the background.
      deadRemote: async () => `http://127.0.0.1:${await freePort()}/team.git`
    };
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

  behavesAsCheckpointClient(() => host);

  it('rejects with RequestError, taking the code from Jupyter’s reason on the standard API', async () => {
    const refused = host.client.restoreCheckpoint('a.txt', 'f'.repeat(40));
    await expect(refused).rejects.toBeInstanceOf(
      GitCheckpointsClient.RequestError
    );
    await expect(refused).rejects.toMatchObject({
      status: 404,
      code: 'NotACheckpoint',
      message: expect.stringContaining('is not a checkpoint of')
    });
  });

  it('turns a server that cannot be reached into a NetworkError', async () => {
    const closed = new GitCheckpointsClient({
      serverSettings: settings(`http://127.0.0.1:${await freePort()}`)
    });
    await expect(closed.status()).rejects.toMatchObject({
      status: 0,
      code: 'NetworkError'
    });
  });
});
