import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import type { CheckpointEngine } from '../../../src/engine';
import { RemoteError } from '../../../src/engine/errors';
import type { RemoteSync } from '../../../src/engine/remote/remoteSync';
import { RemoteTransport } from '../../../src/engine/remote/transport';
import { BACKENDS, gitCli, type IWorkspace, openEngine } from '../backends';
import { GitRemote } from '../../helpers/gitRemote';
import {
  type IRecordedRequest,
  recordingHttp
} from '../../helpers/recordingHttp';

const BRANCH = 'alice-dev';
const text = (s: string) => new TextEncoder().encode(s);
const push = async () => ({ verdict: 'push' as const, boundary: [] });

/** What each request was, in a line: method, endpoint, status, what command it sent. */
const summary = (requests: IRecordedRequest[]) =>
  requests.map(r => {
    const endpoint = r.url.replace(/^.*\.git\//, '');
    const command = /command=([a-z-]+)/.exec(r.body)?.[1] ?? '';
    return `${r.method} ${endpoint} ${r.status}${command ? ` ${command}` : ''}`;
  });

describe('the remote wire', () => {
  let remote: GitRemote;
  const opened: Array<{ engine: CheckpointEngine; ws: IWorkspace }> = [];

  afterEach(async () => {
    for (const { engine } of opened.splice(0)) {
      await engine.dispose();
    }
    await remote.dispose();
  });

  async function home() {
    const ws = await BACKENDS[0].make();
    const engine = await openEngine(ws, { branch: BRANCH });
    opened.push({ engine, ws });
    return { ws, engine };
  }

  function transport(
    engine: CheckpointEngine,
    repo = 'team.git',
    password = remote.password
  ) {
    const recorded = recordingHttp();
    const t = new RemoteTransport({
      fs: engine.fs,
      codec: engine.repository.options.codec,
      gitdir: engine.gitdir,
      cache: engine.cache,
      http: recorded.http,
      remote: { url: `${remote.url}/${repo}`, username: remote.user, password },
      timeoutMs: 5000
    });
    return { t, requests: recorded.requests };
  }

  /** A home that pushed three checkpoints to `repo`; returns the tip. */
  async function pushed(repo = 'team.git'): Promise<string> {
    const { engine } = await home();
    for (const n of [1, 2, 3]) {
      await engine.createCheckpoint('a.txt', { content: text(`a${n}`) });
    }
    const { t } = transport(engine, repo);
    const result = await t.pushBranch(BRANCH, push);
    expect('pushed' in result).toBe(true);
    return (result as { pushed: string }).pushed;
  }

  async function expectFsckClean(dir: string, repo = 'team.git') {
    expect(gitCli(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
    const bare = await remote.bare(repo, ['fsck', '--strict', '--no-dangling']);
    expect(bare.stdout).toBe('');
  }

  /** A fresh home fetching 3 commits from a remote with 2,000 other branches. */
  async function freshFetch(protocolV0: boolean) {
    remote = await GitRemote.start({ init: ['team.git'], protocolV0 });
    await remote.addBranches('team.git', 2000);
    const tip = await pushed();
    const { ws, engine } = await home();
    const { t, requests } = transport(engine);
    expect(await t.fetchBranch(BRANCH, [])).toBe(tip);
    return { ws, tip, requests };
  }

  it('fetches with protocol v2 where offered: ls-refs of our branch, then its objects into a stored pack', async () => {
    const { ws, tip, requests } = await freshFetch(false);

    expect(summary(requests)).toEqual([
      'GET info/refs?service=git-upload-pack 401',
      'GET info/refs?service=git-upload-pack 200',
      'POST git-upload-pack 200 ls-refs',
      'POST git-upload-pack 200 fetch'
    ]);
    expect(requests[1].headers['Git-Protocol']).toBe('version=2');
    expect(requests[2].body).toContain(`ref-prefix refs/heads/${BRANCH}\n`);
    expect(requests[3].body).toContain(`want ${tip}\n`);
    // 2,000 other branches, and the listing names only ours.
    expect(requests[2].received).toBeLessThan(100);
    const packs = nodeFs.readdirSync(join(ws.dir, '.git/objects/pack'));
    expect(packs.filter(name => name.endsWith('.pack'))).toHaveLength(1);
    expect(packs.filter(name => name.endsWith('.idx'))).toHaveLength(1);
    expect(gitCli(ws.dir, 'rev-list', '--count', tip).trim()).toBe('3');
    // Objects only: the refs are the caller's to move.
    expect(gitCli(ws.dir, 'for-each-ref')).toBe('');
    await expectFsckClean(ws.dir);
  });

  it('falls back to protocol v0 on a remote without v2, keeping only our branch of the advertisement', async () => {
    const { ws, tip, requests } = await freshFetch(true);

    expect(summary(requests)).toEqual([
      'GET info/refs?service=git-upload-pack 401',
      'GET info/refs?service=git-upload-pack 200',
      'POST git-upload-pack 200'
    ]);
    // v0 advertises every branch; only ours is wanted.
    expect(requests[1].received).toBeGreaterThan(2000 * 50);
    expect(requests[2].body).toMatch(new RegExp(`^[0-9a-f]{4}want ${tip} `));
    expect(requests[2].headers['Git-Protocol']).toBeUndefined();
    expect(gitCli(ws.dir, 'rev-list', '--count', tip).trim()).toBe('3');
    await expectFsckClean(ws.dir);
  });

  it('fetches as many bytes from a remote with 1 or 2,000 other branches', async () => {
    remote = await GitRemote.start({ init: ['one.git', 'many.git'] });
    await remote.addBranches('one.git', 1);
    await remote.addBranches('many.git', 2000);
    const bytes: number[] = [];
    for (const repo of ['one.git', 'many.git']) {
      await pushed(repo);
      const { engine } = await home();
      const { t, requests } = transport(engine, repo);
      await t.fetchBranch(BRANCH, []);
      bytes.push(requests.reduce((sum, r) => sum + r.received, 0));
    }
    // The same pack, but for the commits' times.
    expect(Math.abs(bytes[1] - bytes[0])).toBeLessThan(64);
  });

  it('asks for nothing but the listing when the remote has no commit we lack', async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    const tip = await pushed();
    const { engine } = await home();
    const { t, requests } = transport(engine);
    await t.fetchBranch(BRANCH, []);
    requests.splice(0);
    expect(await t.fetchBranch(BRANCH, [tip])).toBe(tip);
    expect(summary(requests)).toEqual([
      'GET info/refs?service=git-upload-pack 200',
      'POST git-upload-pack 200 ls-refs'
    ]);
  });

  it('pushes past 2,000 other branches, and sends credentials first once asked', async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    await remote.addBranches('team.git', 2000);
    const { ws, engine } = await home();
    const { t, requests } = transport(engine);
    const first = (
      await engine.createCheckpoint('a.txt', { content: text('1') })
    ).id;
    expect(await t.pushBranch(BRANCH, push)).toEqual({ pushed: first });
    expect(summary(requests)).toEqual([
      'GET info/refs?service=git-receive-pack 401',
      'GET info/refs?service=git-receive-pack 200',
      'POST git-receive-pack 200'
    ]);
    requests.splice(0);

    const second = (
      await engine.createCheckpoint('a.txt', { content: text('2') })
    ).id;
    expect(await t.pushBranch(BRANCH, push)).toEqual({ pushed: second });
    // One round trip for the advertisement, one for the pack.
    expect(summary(requests)).toEqual([
      'GET info/refs?service=git-receive-pack 200',
      'POST git-receive-pack 200'
    ]);
    const basic = `Basic ${Buffer.from(`${remote.user}:${remote.password}`).toString('base64')}`;
    expect(requests.map(r => r.headers.Authorization)).toEqual([basic, basic]);
    expect(requests.some(r => r.url.includes(remote.password))).toBe(false);
    expect(
      (await remote.bare('team.git', ['rev-parse', BRANCH])).stdout.trim()
    ).toBe(second);
    expect(
      (await remote.bare('team.git', ['for-each-ref'])).stdout
        .split('\n')
        .filter(Boolean)
    ).toHaveLength(2001);
    await expectFsckClean(ws.dir);
  });

  it('fetches into a shallow clone only what is new, and keeps it shallow', async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    const first = await pushed();
    const url = `${remote.url}/team.git`;
    const ws = await BACKENDS[0].make();
    await remote.git([
      'clone',
      '--quiet',
      '--depth',
      '1',
      '-b',
      BRANCH,
      url,
      ws.dir
    ]);
    const shallow = nodeFs.readFileSync(join(ws.dir, '.git/shallow'), 'utf8');
    const engine = await openEngine(ws, { branch: BRANCH });
    opened.push({ engine, ws });

    // Another server, on the same branch, adds two commits.
    const { ws: otherWs, engine: other } = await home();
    const { t: otherT } = transport(other);
    await otherT.fetchBranch(BRANCH, []);
    gitCli(otherWs.dir, 'update-ref', `refs/heads/${BRANCH}`, first);
    await other.createCheckpoint('b.txt', { content: text('b1') });
    const tip = (await other.createCheckpoint('b.txt', { content: text('b2') }))
      .id;
    await otherT.pushBranch(BRANCH, push);

    const { t, requests } = transport(engine);
    expect(await t.fetchBranch(BRANCH, [first])).toBe(tip);
    expect(requests[requests.length - 1].body).toContain(
      `shallow ${shallow.trim()}\n`
    );
    expect(gitCli(ws.dir, 'rev-list', '--count', tip).trim()).toBe('3');
    expect(nodeFs.readFileSync(join(ws.dir, '.git/shallow'), 'utf8')).toBe(
      shallow
    );
    expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('throws typed remote errors: refused credentials, no such repository, no server', async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    const { engine } = await home();
    await engine.createCheckpoint('a.txt', { content: text('1') });
    const failures = async (t: RemoteTransport) =>
      Promise.all([
        t.fetchBranch(BRANCH, []).catch(error => error),
        t.pushBranch(BRANCH, push).catch(error => error)
      ]);

    for (const error of await failures(
      transport(engine, 'team.git', 'wrong').t
    )) {
      expect(error).toBeInstanceOf(RemoteError);
      expect(error.toJSON()).toEqual({
        code: 'RemoteError',
        message:
          'authentication failed (HTTP 401): check the user name and password',
        data: { kind: 'auth', status: 401 }
      });
    }
    for (const error of await failures(transport(engine, 'none.git').t)) {
      expect(error).toBeInstanceOf(RemoteError);
      expect(error.toJSON()).toEqual({
        code: 'RemoteError',
        message: 'repository not found (HTTP 404)',
        data: { kind: 'error', status: 404 }
      });
    }
    const down = transport(engine).t;
    await remote.stop();
    for (const error of await failures(down)) {
      expect(error).toBeInstanceOf(RemoteError);
      expect(error.toJSON()).toEqual({
        code: 'RemoteError',
        message: 'connection refused',
        data: { kind: 'network' }
      });
    }
  });
});

describe('RemoteSync on the wire', () => {
  let remote: GitRemote;
  let ws: IWorkspace;
  let engine: CheckpointEngine;
  let sync: RemoteSync;

  afterEach(async () => {
    await sync.dispose();
    await engine.dispose();
    await remote.dispose();
  });

  it('sends no request when nothing is new, and moves the tracking ref from what it pushed', async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    ws = await BACKENDS[0].make();
    engine = await openEngine(ws, { branch: BRANCH });
    const { http, requests } = recordingHttp();
    sync = engine.remoteSync({
      http,
      remote: {
        url: `${remote.url}/team.git`,
        username: remote.user,
        password: remote.password
      },
      debounceMs: 60000
    });
    const tip = (await engine.createCheckpoint('a.txt', { content: text('1') }))
      .id;
    expect(await sync.pushNow()).toMatchObject({ state: 'pushed', pending: 0 });
    expect(summary(requests)).toEqual([
      'GET info/refs?service=git-receive-pack 401',
      'GET info/refs?service=git-receive-pack 200',
      'POST git-receive-pack 200'
    ]);
    const tracking = `refs/remotes/checkpoints/${BRANCH}`;
    expect(gitCli(ws.dir, 'rev-parse', tracking).trim()).toBe(tip);
    expect(
      gitCli(ws.dir, 'reflog', 'show', '--format=%H %gs', tracking).trim()
    ).toBe(`${tip} update by push`);

    requests.splice(0);
    expect(await sync.pushNow()).toMatchObject({ state: 'pushed', pending: 0 });
    expect(requests).toEqual([]);
  });
});
