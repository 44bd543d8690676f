import type { IStatus } from '../../src/tokens';

/** A settled status of a repository with a remote; tests override what they look at. */
export function statusOf(partial: Partial<IStatus> = {}): IStatus {
  return {
    repository: '/home/u',
    branch: 'u-dev',
    head: 'a'.repeat(40),
    last_checkpoint: '2026-11-23T20:14:15Z',
    remote: 'https://git.example/r.git',
    state: 'pushed',
    pending: 0,
    last_push: null,
    last_error: null,
    checkpoint_error: null,
    size_on_disk: 0,
    ...partial
  };
}
