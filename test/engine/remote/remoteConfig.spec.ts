import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import type { CheckpointEngine } from '../../../src/engine';
import { writeRemoteConfig } from '../../../src/engine/remote/remoteConfig';
import { BACKENDS, gitCli, type IWorkspace, openEngine } from '../backends';

describe('writeRemoteConfig', () => {
  let ws: IWorkspace;
  let engine: CheckpointEngine;
  let config: string;

  beforeEach(async () => {
    ws = await BACKENDS[0].make();
    engine = await openEngine(ws);
    config = join(ws.dir, '.git/config');
    // The user's own settings and remote, which must survive byte for byte.
    gitCli(
      ws.dir,
      'config',
      'remote.origin.url',
      'https://example.org/mine.git'
    );
    gitCli(ws.dir, 'config', 'user.name', 'Me Myself');
  });

  afterEach(() => engine.dispose());

  const url = 'https://git.example.org/team.git';

  it('adds the remote for the branch, readable by git, and keeps everything else', async () => {
    const before = nodeFs.readFileSync(config, 'utf8');
    await writeRemoteConfig(engine.repository, 'checkpoints', url, 'alice-dev');
    const after = nodeFs.readFileSync(config, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(gitCli(ws.dir, 'config', 'remote.checkpoints.url').trim()).toBe(url);
    expect(gitCli(ws.dir, 'config', 'remote.checkpoints.fetch').trim()).toBe(
      '+refs/heads/alice-dev:refs/remotes/checkpoints/alice-dev'
    );
    expect(gitCli(ws.dir, 'config', 'remote.origin.url').trim()).toBe(
      'https://example.org/mine.git'
    );
  });

  it('replaces the section when the URL or branch changes, and removes it for no remote', async () => {
    await writeRemoteConfig(engine.repository, 'checkpoints', url, 'alice-dev');
    await writeRemoteConfig(
      engine.repository,
      'checkpoints',
      `${url}2`,
      'alice-prod'
    );
    expect(
      gitCli(ws.dir, 'config', '--get-all', 'remote.checkpoints.url').trim()
    ).toBe(`${url}2`);
    expect(
      gitCli(ws.dir, 'config', '--get-all', 'remote.checkpoints.fetch').trim()
    ).toBe('+refs/heads/alice-prod:refs/remotes/checkpoints/alice-prod');
    await writeRemoteConfig(
      engine.repository,
      'checkpoints',
      null,
      'alice-prod'
    );
    expect(nodeFs.readFileSync(config, 'utf8')).not.toMatch(/checkpoints/);
    expect(gitCli(ws.dir, 'config', 'user.name').trim()).toBe('Me Myself');
  });

  it('takes no lock when nothing changes, and waits for git when something does', async () => {
    await writeRemoteConfig(engine.repository, 'checkpoints', url, 'alice-dev');
    nodeFs.writeFileSync(`${config}.lock`, ''); // git is writing the config
    await writeRemoteConfig(engine.repository, 'checkpoints', url, 'alice-dev');
    await expect(
      writeRemoteConfig(
        engine.repository,
        'checkpoints',
        `${url}2`,
        'alice-dev'
      )
    ).rejects.toMatchObject({
      code: 'Locked'
    });
    expect(gitCli(ws.dir, 'config', 'remote.checkpoints.url').trim()).toBe(url);
    nodeFs.unlinkSync(`${config}.lock`);
  });
});
