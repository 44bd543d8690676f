import {
  DiskFullError,
  LockedError,
  NotFoundError
} from '../../src/engine/errors';
import { CheckpointHealth } from '../../src/engine/checkpointHealth';

describe('CheckpointHealth', () => {
  const at = (iso: string) => () => new Date(iso);

  it('says why checkpoints fail, since when, and clears on the next success', async () => {
    const health = new CheckpointHealth(at('2026-12-01T10:05:00Z'));
    await expect(
      health.track(Promise.reject(new DiskFullError('.git/objects/ab/cd', 0)))
    ).rejects.toMatchObject({ code: 'DiskFull' });
    expect(health.failure).toEqual({
      code: 'DiskFull',
      message: expect.stringContaining('No space left'),
      since: '2026-12-01T10:05:00.000Z'
    });
    await health.track(Promise.resolve(1));
    expect(health.failure).toBeNull();
  });

  it("gives a lock git keeps the lock's own time", async () => {
    const health = new CheckpointHealth(at('2026-12-01T10:05:00Z'));
    const locked = new LockedError(
      '.git/index.lock',
      2000,
      '2026-12-01T10:02:00Z'
    );
    await health.track(Promise.reject(locked)).catch(() => undefined);
    expect(health.failure).toMatchObject({
      code: 'Locked',
      since: '2026-12-01T10:02:00Z'
    });
  });

  it('ignores errors about one request (a file not found)', async () => {
    const health = new CheckpointHealth();
    await health
      .track(Promise.reject(new NotFoundError("File 'a.txt'")))
      .catch(() => undefined);
    expect(health.failure).toBeNull();
  });
});
