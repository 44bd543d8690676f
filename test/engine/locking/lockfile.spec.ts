/**
 * The lock protocol (docs/locks.md) on both fs backends: locks name their
 * owner, a stale one is broken on the next attempt (not only at start), git's
 * are never touched, and a failure after the lock exists releases it.
 */
import { Lockfile } from '../../../src/engine/locking/lockfile';
import { LockJournal } from '../../../src/engine/locking/lockJournal';
import { FaultFs } from '../../helpers/faultFs';
import { BACKENDS } from '../backends';

describe.each(BACKENDS)('locks ($name)', backend => {
  const alive = new Set(['me', 'other']);
  const owner = (id: string): LockJournal.IOwner => ({
    id,
    isAlive: other => alive.has(other)
  });
  let fs: Awaited<ReturnType<(typeof backend)['make']>>['fs'];
  let gitdir: string;
  let target: string;

  beforeEach(async () => {
    const ws = await backend.make();
    fs = ws.fs;
    gitdir = `${ws.dir}/.git`;
    target = `${gitdir}/refs/heads/main`;
    await fs.promises.mkdir(`${gitdir}/refs/heads`, { recursive: true });
    alive.add('other');
  });

  const acquire = (id: string, timeoutMs = 50) =>
    Lockfile.acquire(fs, target, {
      timeoutMs,
      journal: new LockJournal(fs, gitdir, owner(id))
    });

  it('writes through the lock and leaves no lock', async () => {
    const lock = await acquire('me');
    await lock.write('abc\n');
    await lock.commit();
    expect(await fs.promises.readFile(target, 'utf8')).toBe('abc\n');
    await expect(fs.promises.lstat(`${target}.lock`)).rejects.toMatchObject({
      code: 'ENOENT'
    });
  });

  it("waits for a live owner's lock, then fails with Locked", async () => {
    const held = await acquire('other');
    await expect(acquire('me')).rejects.toMatchObject({ code: 'Locked' });
    await held.rollback();
    await (await acquire('me')).rollback();
  });

  it('breaks the lock of an owner that died, on the next attempt', async () => {
    const left = await acquire('other');
    void left; // Never released: its process is killed.
    alive.delete('other');
    const lock = await acquire('me');
    await lock.write('after\n');
    await lock.commit();
    expect(await fs.promises.readFile(target, 'utf8')).toBe('after\n');
  });

  it("breaks this process's own lock that it failed to remove", async () => {
    const faults = new FaultFs(fs);
    const journal = new LockJournal(faults.fs, gitdir, owner('me'));
    await journal.create(`${target}.lock`);
    faults.arm(1, 'EIO'); // the unlink
    await expect(journal.release(`${target}.lock`)).rejects.toMatchObject({
      code: 'EIO'
    });
    expect((await fs.promises.lstat(`${target}.lock`)).isFile()).toBe(true);
    await (await acquire('me')).rollback();
  });

  it("never breaks git's lock, whatever the notes say", async () => {
    await fs.promises.writeFile(`${target}.lock`, '');
    alive.clear();
    await expect(acquire('me')).rejects.toMatchObject({
      code: 'Locked',
      data: { since: expect.stringMatching(/^\d{4}-/) }
    });
    expect(await fs.promises.readFile(`${target}.lock`, 'utf8')).toBe('');
  });

  it('removes the lock again when naming its owner fails (no links)', async () => {
    if (fs.promises.link) {
      return; // With links the lock is created naming its owner, in one step.
    }
    const faults = new FaultFs(fs);
    const journal = new LockJournal(faults.fs, gitdir, owner('me'));
    faults.arm(2, 'ENOSPC'); // the note, after the lock was created
    await expect(journal.create(`${target}.lock`)).rejects.toMatchObject({
      code: 'ENOSPC'
    });
    await expect(fs.promises.lstat(`${target}.lock`)).rejects.toMatchObject({
      code: 'ENOENT'
    });
  });
});
