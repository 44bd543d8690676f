import type { TranslationBundle } from '@jupyterlab/translation';
import type { ICheckpointFailure, IRichCheckpoint, IStatus } from '../tokens';

/**
 * Pure text helpers shared by the dialog, the status bar and the commands.
 * Times are formatted by the views (JupyterLab's `Time`), not here.
 */
export namespace Format {
  /** The abbreviated commit hash git shows. */
  export function shortId(id: string): string {
    return id.slice(0, 7);
  }

  /** Whether a path is a notebook, by its extension as Jupyter decides it. */
  export function isNotebook(path: string): boolean {
    return path.toLowerCase().endsWith('.ipynb');
  }

  /**
   * Why checkpoints fail, in a few words for the status bar ("disk full",
   * "locked by git since 10:02"); `since` is the failure's time as the view shows it.
   */
  export function checkpointFailure(
    failure: ICheckpointFailure,
    since: string,
    trans: TranslationBundle
  ): string {
    switch (failure.code) {
      case 'DiskFull':
        return trans.__('disk full');
      case 'Locked':
        return trans.__('locked by git since %1', since);
      case 'PermissionDenied':
        return trans.__('permission denied');
      default:
        return trans.__('failing since %1', since);
    }
  }

  /** The push state of a status in a few words, for the status bar. */
  export function pushState(status: IStatus, trans: TranslationBundle): string {
    switch (status.state) {
      case 'local':
        return trans.__('local only');
      case 'pushed':
        return trans.__('pushed');
      case 'pending':
        return trans._n('%1 pending', '%1 pending', status.pending);
      case 'pushing':
        return trans.__('pushing…');
      case 'failing':
        return trans._n(
          '%1 pending, push failing',
          '%1 pending, push failing',
          status.pending
        );
      case 'diverged':
        return trans.__('diverged');
    }
  }

  /** A size in bytes as people read it: `512 B`, `3.4 MiB`. */
  export function size(bytes: number, trans: TranslationBundle): string {
    const units = [
      (n: string) => trans.__('%1 B', n),
      (n: string) => trans.__('%1 KiB', n),
      (n: string) => trans.__('%1 MiB', n),
      (n: string) => trans.__('%1 GiB', n),
      (n: string) => trans.__('%1 TiB', n)
    ];
    let unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) {
      bytes /= 1024;
      unit++;
    }
    return units[unit](
      unit === 0 || bytes >= 100 ? bytes.toFixed(0) : bytes.toFixed(1)
    );
  }

  /** Whether the state needs the user's attention (the status bar shows it as a warning). */
  export function isProblem(status: IStatus): boolean {
    return status.state === 'failing' || status.state === 'diverged';
  }

  /** Whether the state will change by itself soon (worth watching). */
  export function isSettling(status: IStatus): boolean {
    return (
      status.state === 'pending' ||
      status.state === 'pushing' ||
      status.state === 'failing'
    );
  }

  /** Where one checkpoint stands against the remote. */
  export function checkpointPush(
    checkpoint: IRichCheckpoint,
    hasRemote: boolean,
    trans: TranslationBundle
  ): string {
    if (!hasRemote) {
      return trans.__('local');
    }
    return checkpoint.pushed ? trans.__('pushed') : trans.__('not pushed');
  }

  /**
   * The path of a copy of `path` as of checkpoint `id`: beside the file,
   * `name-<short id>.ext`, then `name-<short id>-2.ext`... for `attempt` > 1.
   */
  export function copyPath(path: string, id: string, attempt = 1): string {
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash + 1);
    const name = path.slice(slash + 1);
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    const suffix = attempt > 1 ? `-${attempt}` : '';
    return `${dir}${stem}-${shortId(id)}${suffix}${ext}`;
  }
}
