import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import http from 'isomorphic-git/http/node';
import type { CheckpointEngine } from '../../../src/engine';
import { ZERO_OID } from '../../../src/engine/models/bytes';
import { RemoteTransport } from '../../../src/engine/remote/transport';
import { BACKENDS, gitCli, type IWorkspace, openEngine } from '../backends';
import { GitRemote } from '../../helpers/gitRemote';

describe('RemoteTransport', () => {
  let remote: GitRemote;
  let ws: IWorkspace;
  let engine: CheckpointEngine;

  beforeEach(async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    ws = await BACKENDS[0].make();
    engine = await openEngine(ws, { branch: 'alice-dev' });
  });

  afterEach(async () => {
    await engine.dispose();
    await remote.dispose();
  });

  function transport(password = remote.password): RemoteTransport {
    return new RemoteTransport({
      fs: engine.fs,
      codec: engine.repository.options.codec,
      gitdir: engine.gitdir,
      cache: engine.cache,
      http,
      remote: {
        url: `${remote.url}/team.git`,
        username: remote.user,
        password
      },
      timeoutMs: 5000
    });
  }

  /** Every ref file and packed ref of the repository, to show a transfer moved none. */
  function refs(): string {
    return gitCli(ws.dir, 'for-each-ref', '--format=%(refname) %(objectname)');
  }

  it('pushes a branch, leaving every local ref to the caller', async () => {
    const head = (
      await engine.createCheckpoint('a.txt', {
        content: new TextEncoder().encode('a')
      })
    ).id;
    const before = refs();
    const seen: string[][] = [];
    const result = await transport().pushBranch(
      'alice-dev',
      async (local, theirs) => {
        seen.push([local, theirs]);
        return { verdict: 'push', boundary: [] };
      }
    );
    expect(result).toEqual({ pushed: head });
    expect(seen).toEqual([[head, ZERO_OID]]);
    expect(
      (await remote.bare('team.git', ['rev-parse', 'alice-dev'])).stdout.trim()
    ).toBe(head);
    expect(refs()).toBe(before); // isomorphic-git's unlocked remote-tracking ref write was dropped
  });

  it('asks to integrate first when told so, and pushes nothing', async () => {
    await engine.createCheckpoint('a.txt', {
      content: new TextEncoder().encode('a')
    });
    const result = await transport().pushBranch('alice-dev', async () => ({
      verdict: 'integrate-first'
    }));
    expect(result).toEqual({ integrate: ZERO_OID });
    await expect(
      remote.bare('team.git', ['rev-parse', '--verify', 'alice-dev'])
    ).rejects.toThrow(/Needed a single revision/);
  });

  it('fetches a branch as objects only, and says null for a branch the remote lacks', async () => {
    const head = (
      await engine.createCheckpoint('a.txt', {
        content: new TextEncoder().encode('a')
      })
    ).id;
    const t = transport();
    expect(await t.fetchBranch('alice-dev', [])).toBeNull();
    await t.pushBranch('alice-dev', async () => ({
      verdict: 'push',
      boundary: []
    }));

    const fresh = await BACKENDS[0].make();
    const other = await openEngine(fresh, { branch: 'alice-dev' });
    try {
      const fetcher = new RemoteTransport({
        fs: other.fs,
        codec: other.repository.options.codec,
        gitdir: other.gitdir,
        cache: other.cache,
        http,
        remote: {
          url: `${remote.url}/team.git`,
          username: remote.user,
          password: remote.password
        },
        timeoutMs: 5000
      });
      // isomorphic-git needs the fetch refspec in the config.
      gitCli(
        fresh.dir,
        'config',
        'remote.checkpoints.fetch',
        '+refs/heads/alice-dev:refs/remotes/checkpoints/alice-dev'
      );
      expect(await fetcher.fetchBranch('alice-dev', [])).toBe(head);
      expect(gitCli(fresh.dir, 'cat-file', '-t', head).trim()).toBe('commit');
      expect(gitCli(fresh.dir, 'for-each-ref')).toBe('');
      expect(nodeFs.existsSync(join(fresh.dir, '.git/shallow'))).toBe(false);
    } finally {
      await other.dispose();
    }
  });

  it('keeps the password, its Basic header and a token user name as secrets', () => {
    expect(transport('pw').secrets).toEqual([
      'pw',
      Buffer.from(`${remote.user}:pw`).toString('base64')
    ]);
    const token = new RemoteTransport({
      fs: engine.fs,
      codec: engine.repository.options.codec,
      gitdir: engine.gitdir,
      cache: engine.cache,
      http,
      remote: { url: 'https://example.org/r.git', username: 'ghp_abc' },
      timeoutMs: 5000
    });
    expect(token.secrets).toEqual([
      'ghp_abc',
      Buffer.from('ghp_abc:').toString('base64')
    ]);
  });
});
