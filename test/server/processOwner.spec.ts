import { spawnSync } from 'node:child_process';
import { processOwner } from '../../src/server/processOwner';

describe('processOwner', () => {
  const owner = processOwner();
  const [pid, start, boot] = owner.id.split('.');

  it('names this process by pid, start time and boot id, and finds it alive', () => {
    expect(Number(pid)).toBe(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(boot).toMatch(/^[0-9a-f]{8}$/);
    expect(owner.isAlive(owner.id)).toBe(true);
  });

  it('takes a reused pid (another start time) or another boot for gone', () => {
    expect(owner.isAlive(`${pid}.${Number(start) + 1}.${boot}`)).toBe(false);
    expect(owner.isAlive(`${pid}.${start}.00000000`)).toBe(false);
  });

  it('takes a process that ended for gone', () => {
    const ended = spawnSync('true').pid!;
    expect(owner.isAlive(`${ended}.1.${boot}`)).toBe(false);
    expect(owner.isAlive('garbage')).toBe(false);
  });
});
