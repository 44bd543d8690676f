import type { CheckpointEngine } from '../../../src/engine';
import {
  PUSH_MESSAGE,
  TrackingRef
} from '../../../src/engine/remote/trackingRef';
import { BACKENDS, gitCli, type IWorkspace, openEngine } from '../backends';

describe('TrackingRef', () => {
  let ws: IWorkspace;
  let engine: CheckpointEngine;
  let tracking: TrackingRef;

  beforeEach(async () => {
    ws = await BACKENDS[0].make();
    engine = await openEngine(ws, {
      now: () => new Date('2026-01-02T03:04:05Z')
    });
    tracking = new TrackingRef(engine.repository, 'checkpoints');
  });

  afterEach(() => engine.dispose());

  it('moves refs/remotes/<remote>/<branch> with a reflog entry, as git push does', async () => {
    const commit = (
      await engine.createCheckpoint('a.txt', {
        content: new TextEncoder().encode('a')
      })
    ).id;
    expect(await tracking.read('main')).toBeNull();
    expect(await tracking.lastPush('main')).toBeNull();
    await tracking.write('main', commit, PUSH_MESSAGE);
    expect(await tracking.read('main')).toBe(commit);
    expect(gitCli(ws.dir, 'rev-parse', 'checkpoints/main').trim()).toBe(commit);
    expect(
      gitCli(
        ws.dir,
        'reflog',
        'show',
        '--format=%H %gs',
        'checkpoints/main'
      ).trim()
    ).toBe(`${commit} update by push`);
    expect(await tracking.lastPush('main')).toEqual(
      new Date('2026-01-02T03:04:05Z')
    );
  });

  it('writes no reflog entry when the ref already has that value', async () => {
    const commit = (
      await engine.createCheckpoint('a.txt', {
        content: new TextEncoder().encode('a')
      })
    ).id;
    await tracking.write('main', commit, PUSH_MESSAGE);
    await tracking.write('main', commit, 'update by fetch');
    expect(
      gitCli(
        ws.dir,
        'reflog',
        'show',
        '--format=%gs',
        'checkpoints/main'
      ).trim()
    ).toBe('update by push');
  });
});
