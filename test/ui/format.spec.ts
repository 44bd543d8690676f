import type { TranslationBundle } from '@jupyterlab/translation';
import { Format } from '../../src/ui/format';
import type { IRichCheckpoint, IStatus } from '../../src/tokens';
import { statusOf } from '../helpers/status';

/** A bundle that substitutes %1... as JupyterLab's null translator does. */
const trans = {
  __: (msg: string, ...args: unknown[]) =>
    msg.replace(/%(\d)/g, (_, n) => String(args[Number(n) - 1])),
  _n: (one: string, many: string, n: number, ...args: unknown[]) =>
    (n === 1 ? one : many).replace(/%(\d)/g, (_, k) =>
      String([n, ...args][Number(k) - 1])
    )
} as unknown as TranslationBundle;

function status(partial: Partial<IStatus>): IStatus {
  return statusOf({
    last_checkpoint: null,
    remote: 'http://127.0.0.1:1/r.git',
    ...partial
  });
}

describe('Format', () => {
  describe('size', () => {
    it('shows bytes in binary units with one decimal below 100', () => {
      expect(Format.size(512, trans)).toBe('512 B');
      expect(Format.size(3.45 * 2 ** 20, trans)).toBe('3.5 MiB');
      expect(Format.size(250 * 2 ** 30, trans)).toBe('250 GiB');
    });
  });

  describe('shortId', () => {
    it('keeps the first seven hex digits', () => {
      expect(Format.shortId('0123456789abcdef')).toBe('0123456');
    });
  });

  describe('isNotebook', () => {
    it('decides by extension, case-insensitively', () => {
      expect(Format.isNotebook('a/b.ipynb')).toBe(true);
      expect(Format.isNotebook('B.IPYNB')).toBe(true);
      expect(Format.isNotebook('a.py')).toBe(false);
      expect(Format.isNotebook('ipynb')).toBe(false);
    });
  });

  describe('pushState', () => {
    it('names every state, with the pending count', () => {
      expect(
        Format.pushState(status({ state: 'local', remote: null }), trans)
      ).toBe('local only');
      expect(Format.pushState(status({ state: 'pushed' }), trans)).toBe(
        'pushed'
      );
      expect(
        Format.pushState(status({ state: 'pending', pending: 3 }), trans)
      ).toBe('3 pending');
      expect(Format.pushState(status({ state: 'pushing' }), trans)).toBe(
        'pushing…'
      );
      expect(
        Format.pushState(status({ state: 'failing', pending: 2 }), trans)
      ).toBe('2 pending, push failing');
      expect(Format.pushState(status({ state: 'diverged' }), trans)).toBe(
        'diverged'
      );
    });
  });

  describe('checkpointFailure', () => {
    const failure = (code: string) => ({
      code,
      message: 'details',
      since: '2026-12-01T10:02:00Z'
    });

    it('names the usual reasons in a few words, with the time given', () => {
      expect(
        Format.checkpointFailure(failure('DiskFull'), '10:02', trans)
      ).toBe('disk full');
      expect(Format.checkpointFailure(failure('Locked'), '10:02', trans)).toBe(
        'locked by git since 10:02'
      );
      expect(
        Format.checkpointFailure(failure('PermissionDenied'), '10:02', trans)
      ).toBe('permission denied');
      expect(
        Format.checkpointFailure(failure('StorageFailure'), '10:02', trans)
      ).toBe('failing since 10:02');
    });
  });

  describe('isProblem / isSettling', () => {
    it('flags failing and diverged as problems, pending/pushing/failing as settling', () => {
      const states: IStatus['state'][] = [
        'local',
        'pushed',
        'pending',
        'pushing',
        'failing',
        'diverged'
      ];
      expect(
        states.filter(s => Format.isProblem(status({ state: s })))
      ).toEqual(['failing', 'diverged']);
      expect(
        states.filter(s => Format.isSettling(status({ state: s })))
      ).toEqual(['pending', 'pushing', 'failing']);
    });
  });

  describe('checkpointPush', () => {
    const cp: IRichCheckpoint = {
      id: 'b'.repeat(40),
      last_modified: '2026-01-01T00:00:00Z',
      message: 'm',
      author: { name: 'u', email: 'u@x' },
      pushed: false
    };
    it('says local without a remote, else pushed or not', () => {
      expect(Format.checkpointPush(cp, false, trans)).toBe('local');
      expect(Format.checkpointPush(cp, true, trans)).toBe('not pushed');
      expect(Format.checkpointPush({ ...cp, pushed: true }, true, trans)).toBe(
        'pushed'
      );
    });
  });

  describe('copyPath', () => {
    const id = 'abcdef0123456789';
    it('puts the short id before the extension, beside the file', () => {
      expect(Format.copyPath('dir/sub/nb.ipynb', id)).toBe(
        'dir/sub/nb-abcdef0.ipynb'
      );
      expect(Format.copyPath('a.tar.gz', id)).toBe('a.tar-abcdef0.gz');
    });
    it('handles names without extension and dot files', () => {
      expect(Format.copyPath('Makefile', id)).toBe('Makefile-abcdef0');
      expect(Format.copyPath('d/.env', id)).toBe('d/.env-abcdef0');
    });
    it('numbers further attempts', () => {
      expect(Format.copyPath('nb.ipynb', id, 2)).toBe('nb-abcdef0-2.ipynb');
    });
  });
});
