import * as nodeFs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'isomorphic-git/http/node';
import { CheckpointEngine, InvalidArgumentError } from '../../../src/engine';
import {
  type IPushStatus,
  RemoteSync
} from '../../../src/engine/remote/remoteSync';
import {
  BACKENDS,
  expectHealthy,
  gitCli,
  type IWorkspace,
  openEngine
} from '../backends';
import { GitRemote, gitCli as cli } from '../../helpers/gitRemote';

const BRANCH = 'alice-dev';
const text = (s: string) => new TextEncoder().encode(s);
const read = (ws: IWorkspace, path: string) =>
  nodeFs.readFileSync(join(ws.dir, path), 'utf8');

async function waitFor(
  what: () => string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15000
) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what()}`);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('RemoteSync', () => {
  let remote: GitRemote;
  let ws: IWorkspace;
  let engine: CheckpointEngine;
  let sync: RemoteSync | null;
  let url: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeEach(async () => {
    remote = await GitRemote.start({ init: ['team.git'] });
    url = `${remote.url}/team.git`;
    ws = await BACKENDS[0].make();
    engine = await openEngine(ws, { branch: BRANCH });
    sync = null;
  });

  afterEach(async () => {
    await sync?.dispose();
    await engine.dispose();
    for (const cleanup of cleanups.splice(0)) {
      await cleanup();
    }
    // Whatever the scenario, both repositories are sound.
    await expectFsckClean();
    await remote.dispose();
  });

  function start(options: Partial<RemoteSync.ISettings> = {}): RemoteSync {
    sync = engine.remoteSync({
      http,
      remote: { url, username: remote.user, password: remote.password },
      retry: { initialMs: 50, maxMs: 400 },
      debounceMs: 10,
      timeoutMs: 3000,
      ...options
    });
    return sync;
  }

  const settled = (s: RemoteSync, state: IPushStatus['state']) =>
    waitFor(
      () => `state ${state} (now ${JSON.stringify(s.status())})`,
      () => s.status().state === state
    );

  const remoteLog = async () =>
    lines(
      (await remote.bare('team.git', ['log', '--format=%H', BRANCH])).stdout
    );
  const localLog = () => lines(gitCli(ws.dir, 'log', '--format=%H', BRANCH));
  const requests = (pattern: RegExp) =>
    remote.stderr
      .join('')
      .split('\n')
      .filter(l => pattern.test(l)).length;

  /** A second server on the same branch: a git CLI clone that commits and pushes. */
  async function otherServer(
    files: Record<string, string>,
    message = 'other server'
  ) {
    const clone = mkdtempSync(join(tmpdir(), 'other-'));
    cleanups.push(() =>
      nodeFs.promises.rm(clone, { recursive: true, force: true })
    );
    await remote.git(['clone', '--quiet', '-b', BRANCH, url, clone]);
    for (const [path, content] of Object.entries(files)) {
      nodeFs.mkdirSync(join(clone, path, '..'), { recursive: true });
      nodeFs.writeFileSync(join(clone, path), content);
      await cli(['add', path], clone);
    }
    await cli(['commit', '--quiet', '-m', message], clone);
    await remote.git(['push', '--quiet', 'origin', BRANCH], clone);
    return (await cli(['rev-parse', 'HEAD'], clone)).stdout.trim();
  }

  async function expectFsckClean() {
    expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
    const bare = await remote.bare('team.git', [
      'fsck',
      '--strict',
      '--no-dangling'
    ]);
    expect(bare.stdout).toBe('');
  }

  it('pushes every checkpoint to the remote branch and reports pushed', async () => {
    const s = start();
    await s.pushNow(); // Nothing yet: nothing to push, no error.
    expect(s.status()).toMatchObject({
      state: 'pushed',
      pending: 0,
      last_error: null
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await engine.createCheckpoint('nb/a.ipynb', {
            content: text(`v${i}`)
          })
        ).id
      );
    }
    await settled(s, 'pushed');
    expect(await remoteLog()).toEqual(localLog());
    expect((await remoteLog())[0]).toBe(ids[4]);
    expect(s.status()).toMatchObject({
      remote: url,
      pending: 0,
      last_error: null
    });
    expect(s.status().last_push).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await s.isPushed(ids)).toEqual([true, true, true, true, true]);
    // The remote-tracking ref moved under git's protocol: a reflog entry, no lock left.
    expect(
      gitCli(
        ws.dir,
        'reflog',
        'show',
        '--format=%gs',
        `refs/remotes/checkpoints/${BRANCH}`
      )
    ).toMatch(/update by push/);
    expect(gitCli(ws.dir, 'rev-parse', `checkpoints/${BRANCH}`).trim()).toBe(
      ids[4]
    );
    await expectHealthy(engine, ws, { 'nb/a.ipynb': {} });
    await expectFsckClean();
  });

  it('coalesces a burst of checkpoints into one push of the tip', async () => {
    // The debounce outlasts the burst, so exactly one push must carry all ten.
    const s = start({ debounceMs: 1500 });
    for (let i = 0; i < 10; i++) {
      await engine.createCheckpoint('a.txt', { content: text(`v${i}`) });
    }
    expect(s.status()).toMatchObject({ state: 'pending', pending: 10 });
    await settled(s, 'pushed');
    expect(await remoteLog()).toEqual(localLog());
    expect(requests(/POST \/team\.git\/git-receive-pack/)).toBe(1);
  });

  it('pushes commits made during a push right after it', async () => {
    const s = start({ debounceMs: 0 });
    for (let i = 0; i < 10; i++) {
      await engine.createCheckpoint('a.txt', { content: text(`v${i}`) });
    }
    await settled(s, 'pushed');
    expect(await remoteLog()).toEqual(localLog());
  });

  it('reports pending and isPushed false for commits not pushed yet', async () => {
    const s = start();
    const first = await engine.createCheckpoint('a.txt', {
      content: text('1')
    });
    await settled(s, 'pushed');
    await remote.stop();
    const second = await engine.createCheckpoint('a.txt', {
      content: text('2')
    });
    await waitFor(
      () => 'a failure',
      () => s.status().state === 'failing'
    );
    expect(s.status().pending).toBe(1);
    expect(await s.isPushed([first.id, second.id])).toEqual([true, false]);
  });

  it('keeps saving with a wrong password, says authentication failed, and does not retry in a loop', async () => {
    const s = start({
      remote: { url, username: remote.user, password: 'wrong password' }
    });
    for (let i = 0; i < 3; i++) {
      await engine.createCheckpoint('a.txt', { content: text(`v${i}`) });
    }
    await settled(s, 'failing');
    expect(s.status().last_error).toMatch(/authentication failed/);
    expect(s.status().pending).toBe(3);
    // Well past several backoff periods: no more attempts than checkpoints.
    await new Promise(resolve => setTimeout(resolve, 1000));
    const refused = requests(/ 401$/);
    expect(refused).toBeGreaterThanOrEqual(2); // isomorphic-git asks once without and once with credentials.
    expect(refused).toBeLessThanOrEqual(2 * 3);
    await expect(
      remote.bare('team.git', ['rev-parse', '--verify', BRANCH])
    ).rejects.toThrow(/Needed a single revision/);

    // The right password: pushed at once, nothing lost.
    await s.configure({
      url,
      username: remote.user,
      password: remote.password
    });
    await s.pushNow();
    expect(s.status()).toMatchObject({
      state: 'pushed',
      pending: 0,
      last_error: null
    });
    expect(await remoteLog()).toEqual(localLog());
  });

  it('pushes all checkpoints, in order, once a remote that was down for 20 saves is back', async () => {
    const s = start();
    await engine.createCheckpoint('a.txt', { content: text('first') });
    await settled(s, 'pushed');
    await remote.stop();
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      await engine.createCheckpoint(`f${i % 3}.txt`, {
        content: text(`v${i}`)
      });
    }
    const saving = Date.now() - started;
    await settled(s, 'failing');
    expect(s.status().last_error).toMatch(/connection refused/);
    expect(s.status().pending).toBe(20);
    await remote.restart();
    await settled(s, 'pushed');
    expect(await remoteLog()).toEqual(localLog());
    expect(localLog()).toHaveLength(21);
    await expectFsckClean();
    // Saves did not wait for the dead remote (20 saves, far under a second each).
    expect(saving).toBeLessThan(20 * 1000);
  });

  it('gives up on a remote that hangs after the timeout and saves go on', async () => {
    const hanging = await GitRemote.start({ hang: true });
    cleanups.push(() => hanging.dispose());
    const s = start({
      remote: { url: `${hanging.url}/team.git`, username: 'a', password: 'b' },
      timeoutMs: 2000
    });
    // Saves while a push hangs: none waits for the remote's time-out.
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      await engine.createCheckpoint('a.txt', { content: text(`v${i}`) });
      expect(Date.now() - before).toBeLessThan(1500);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(s.status().state).toBe('pushing');
    await settled(s, 'failing');
    expect(s.status().last_error).toMatch(/did not answer/);
  });

  it('integrates a remote branch that moved ahead with other files by a merge, losing nothing', async () => {
    const s = start();
    await engine.createCheckpoint('a.txt', { content: text('mine 1') });
    await settled(s, 'pushed');
    const theirs = await otherServer({
      'b.txt': 'theirs',
      'dir/c.txt': 'theirs too'
    });
    const mine = await engine.createCheckpoint('a.txt', {
      content: text('mine 2')
    });
    await settled(s, 'pushed');

    const head = (await engine.status()).head!;
    const parents = gitCli(ws.dir, 'log', '-1', '--format=%P', head)
      .trim()
      .split(' ');
    expect(parents).toEqual([mine.id, theirs]);
    expect(await remoteLog()).toEqual(localLog());
    expect(read(ws, 'b.txt')).toBe('theirs');
    expect(read(ws, 'dir/c.txt')).toBe('theirs too');
    expect(read(ws, 'a.txt')).toBe('mine 2');
    expect(
      gitCli(ws.dir, 'status', '--porcelain', '--untracked-files=no')
    ).toBe('');
    expect(await s.isPushed([mine.id, theirs, head])).toEqual([
      true,
      true,
      true
    ]);
    await expectFsckClean();
  });

  it('transfers only what the other side lacks, across a merge too', async () => {
    const s = start();
    for (let i = 0; i < 100; i++) {
      await engine.createCheckpoint(`f${i}.txt`, { content: text(`v${i}`) });
    }
    await settled(s, 'pushed');
    await otherServer({ 'theirs.txt': 'theirs' });
    const packsBefore = nodeFs.readdirSync(join(ws.dir, '.git/objects/pack'));
    await engine.createCheckpoint('f0.txt', { content: text('mine') });
    await settled(s, 'pushed');

    // The fetch brought one small pack: the other server's commit, tree and blob.
    const fetched = nodeFs
      .readdirSync(join(ws.dir, '.git/objects/pack'))
      .filter(name => name.endsWith('.idx') && !packsBefore.includes(name));
    expect(fetched).toHaveLength(1);
    const listing = gitCli(
      ws.dir,
      'verify-pack',
      '-v',
      join(ws.dir, '.git/objects/pack', fetched[0])
    );
    expect(
      lines(listing).filter(line => /^[0-9a-f]{40} /.test(line))
    ).toHaveLength(3);
    // The push sent the checkpoint and the merge, not the history again.
    const pushed = remote.stderr
      .join('')
      .split('\n')
      .filter(line => line.includes('POST /team.git/git-receive-pack'))
      .map(line => Number(/ in=(\d+) /.exec(line)![1]));
    // Two commits and their two root trees of ~100 entries: ~8 KB; the history again: ~150 KB.
    expect(pushed[pushed.length - 1]).toBeLessThan(20000);
    expect(await remoteLog()).toEqual(localLog());
  });

  it('fast-forwards to a remote that moved ahead, keeping a file the user changed', async () => {
    const s = start();
    await engine.createCheckpoint('a.txt', { content: text('one') });
    await engine.createCheckpoint('b.txt', { content: text('b one') });
    await settled(s, 'pushed');
    const theirs = await otherServer({
      'a.txt': 'two',
      'b.txt': 'b two',
      'new.txt': 'new'
    });
    // The user edits b.txt without a checkpoint: it must survive.
    nodeFs.writeFileSync(join(ws.dir, 'b.txt'), 'my unsaved edit');

    await s.syncOnOpen();
    expect(s.status()).toMatchObject({
      state: 'pushed',
      pending: 0,
      last_error: null
    });
    expect((await engine.status()).head).toBe(theirs);
    expect(read(ws, 'a.txt')).toBe('two');
    expect(read(ws, 'new.txt')).toBe('new');
    expect(read(ws, 'b.txt')).toBe('my unsaved edit');
    expect(
      gitCli(ws.dir, 'status', '--porcelain', '--untracked-files=no')
    ).toBe(' M b.txt\n');
    expect(gitCli(ws.dir, 'reflog', '-1', '--format=%gs', BRANCH)).toMatch(
      /Fast-forward/
    );
    await expectFsckClean();
  });

  it('reports diverged when both sides changed the same file, keeps everything and does not retry', async () => {
    const s = start();
    await engine.createCheckpoint('a.txt', { content: text('base') });
    await settled(s, 'pushed');
    const theirs = await otherServer({ 'a.txt': 'theirs' });
    const mine = await engine.createCheckpoint('a.txt', {
      content: text('mine')
    });
    await settled(s, 'diverged');
    expect(s.status().last_error).toMatch(
      /diverged: both sides changed a\.txt/
    );
    expect(s.status().pending).toBe(1);
    expect((await engine.status()).head).toBe(mine.id);
    expect(read(ws, 'a.txt')).toBe('mine');
    expect((await remoteLog())[0]).toBe(theirs);
    // The remote's commit is here too, for the user to merge.
    expect(gitCli(ws.dir, 'rev-parse', `checkpoints/${BRANCH}`).trim()).toBe(
      theirs
    );
    const pushes = requests(/git-receive-pack/);
    await new Promise(resolve => setTimeout(resolve, 800));
    expect(requests(/git-receive-pack/)).toBe(pushes);
    await expectFsckClean();
  });

  it('brings the history and files back into a fresh home, never over a file the user has', async () => {
    const first = start();
    await engine.createCheckpoint('nb/a.ipynb', { content: text('a1') });
    await engine.createCheckpoint('nb/a.ipynb', { content: text('a2') });
    await engine.createCheckpoint('b.txt', { content: text('b1') });
    await settled(first, 'pushed');
    const history = await engine.listCheckpoints('nb/a.ipynb');

    // A new pod: an empty home, except a b.txt the user made before the sync.
    const fresh = await BACKENDS[0].make();
    nodeFs.writeFileSync(join(fresh.dir, 'b.txt'), 'the user made this');
    const engine2 = await openEngine(fresh, { branch: BRANCH });
    const sync2 = engine2.remoteSync({
      http,
      remote: { url, username: remote.user, password: remote.password },
      retry: { initialMs: 50, maxMs: 400 }
    });
    cleanups.push(async () => {
      await sync2.dispose();
      await engine2.dispose();
    });
    await sync2.syncOnOpen();
    expect(sync2.status()).toMatchObject({
      state: 'pushed',
      pending: 0,
      last_error: null
    });
    expect(await engine2.listCheckpoints('nb/a.ipynb')).toEqual(history);
    expect(read(fresh, 'nb/a.ipynb')).toBe('a2');
    expect(read(fresh, 'b.txt')).toBe('the user made this');
    expect(
      gitCli(fresh.dir, 'status', '--porcelain', '--untracked-files=no')
    ).toBe(' M b.txt\n');
    expect(gitCli(fresh.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
    expect(lines(gitCli(fresh.dir, 'log', '--format=%H'))).toEqual(localLog());
    // As after a clone, the reflog records the branch arriving, not each fetched commit.
    expect(gitCli(fresh.dir, 'reflog', '--format=%gs')).toMatch(/Fast-forward/);

    // And the next checkpoint there goes on top of the history.
    await engine2.createCheckpoint('nb/a.ipynb', { content: text('a3') });
    await settled(sync2, 'pushed');
    expect(await engine2.listCheckpoints('nb/a.ipynb')).toHaveLength(3);
  });

  it('counts what is pending from refs after a restart and pushes it', async () => {
    await remote.stop();
    const s = start();
    for (let i = 0; i < 3; i++) {
      await engine.createCheckpoint('a.txt', { content: text(`v${i}`) });
    }
    await settled(s, 'failing');
    await s.dispose();
    await remote.restart();

    const again = start();
    await settled(again, 'pushed');
    expect(await remoteLog()).toEqual(localLog());
  });

  it('lets no status listener make a save fail', async () => {
    const s = start();
    s.onStatusChange(() => {
      throw new Error('listener bug');
    });
    await engine.createCheckpoint('a.txt', { content: text('one') });
    await settled(s, 'pushed');
    expect(await remoteLog()).toEqual(localLog());
  });

  it('works with no remote at all', async () => {
    const s = start({ remote: null });
    await engine.createCheckpoint('a.txt', { content: text('one') });
    expect(s.status()).toEqual({
      remote: null,
      state: 'local',
      pending: 0,
      last_push: null,
      last_error: null
    });
    expect(await s.pushNow()).toMatchObject({ state: 'local' });
    expect(await s.isPushed([(await engine.status()).head!])).toEqual([false]);
    expect(
      nodeFs.readFileSync(join(ws.dir, '.git/config'), 'utf8')
    ).not.toMatch(/checkpoints/);
  });

  it('refuses a URL with credentials in it, and changes nothing', async () => {
    const s = start();
    await engine.createCheckpoint('a.txt', { content: text('one') });
    await settled(s, 'pushed');
    let error: unknown;
    try {
      await s.configure({ url: `http://alice:hunter2@127.0.0.1:1/team.git` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String((error as Error).message)).toMatch(
      /must not contain a user name or password/
    );
    expect(JSON.stringify(error)).not.toMatch(/hunter2|alice/);
    expect(s.status().remote).toBe(url);
  });

  it('never lets a credential reach .git/config, the status, errors or the remote log', async () => {
    const s = start();
    await engine.createCheckpoint('a.txt', { content: text('one') });
    await settled(s, 'pushed');
    const config = nodeFs.readFileSync(join(ws.dir, '.git/config'), 'utf8');
    expect(config).toContain(`[remote "checkpoints"]\n\turl = ${url}\n`);
    expect(gitCli(ws.dir, 'config', 'remote.checkpoints.url').trim()).toBe(url);

    // Fail once with a wrong password and once with the remote down.
    await s.configure({
      url,
      username: remote.user,
      password: 'wrong password'
    });
    await engine.createCheckpoint('a.txt', { content: text('two') });
    await settled(s, 'failing');
    const authStatus = JSON.stringify(s.status());
    await remote.stop();
    await s.pushNow();
    const downStatus = JSON.stringify(s.status());

    const secrets = [
      remote.password,
      'wrong password',
      Buffer.from(`${remote.user}:${remote.password}`).toString('base64')
    ];
    const everything = [
      authStatus,
      downStatus,
      remote.stderr.join(''),
      ...allFiles(join(ws.dir, '.git'))
    ];
    for (const secret of secrets) {
      for (const content of everything) {
        expect(content).not.toContain(secret);
      }
    }
  });
});

describe.each(BACKENDS)('RemoteSync on $name', backend => {
  it('pushes, and restores the history into a fresh home', async () => {
    const remote = await GitRemote.start({ init: ['team.git'] });
    const url = `${remote.url}/team.git`;
    const open = async () => {
      const ws = await backend.make();
      const engine = await openEngine(ws, { branch: BRANCH });
      const sync = engine.remoteSync({
        http,
        remote: { url, username: remote.user, password: remote.password },
        debounceMs: 10
      });
      return { ws, engine, sync };
    };
    const first = await open();
    const second = await open();
    try {
      for (let i = 0; i < 3; i++) {
        await first.engine.createCheckpoint('nb/a.ipynb', {
          content: text(`v${i}`)
        });
      }
      const pushed = await first.sync.pushNow();
      expect(pushed).toMatchObject({
        state: 'pushed',
        pending: 0,
        last_error: null
      });
      const head = (await first.engine.status()).head;
      expect(
        (await remote.bare('team.git', ['rev-parse', BRANCH])).stdout.trim()
      ).toBe(head);

      await second.sync.syncOnOpen();
      expect(second.sync.status()).toMatchObject({
        state: 'pushed',
        pending: 0
      });
      expect(await second.engine.listCheckpoints('nb/a.ipynb')).toEqual(
        await first.engine.listCheckpoints('nb/a.ipynb')
      );
      const restored = await second.ws.fs.promises.readFile(
        `${second.ws.dir}/nb/a.ipynb`,
        'utf8'
      );
      expect(restored).toBe('v2');
      const disk = await second.ws.onDisk();
      expect(gitCli(disk, 'fsck', '--strict', '--no-dangling')).toBe('');
      expect(
        gitCli(disk, 'status', '--porcelain', '--untracked-files=no')
      ).toBe('');
    } finally {
      for (const side of [first, second]) {
        await side.sync.dispose();
        await side.engine.dispose();
      }
      await remote.dispose();
    }
  });
});

/** The text of every file below a directory. */
function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of nodeFs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...allFiles(path));
    } else {
      out.push(nodeFs.readFileSync(path, 'latin1'));
    }
  }
  return out;
}
