import http from 'isomorphic-git/http/node';
import type {
  CheckpointEngine,
  IPushStatus,
  IRemote,
  RemoteSync
} from '../engine';
import type { Log } from './log';

/** The remote as the host knows it: settings plus the password (kept in memory only). */
export interface IRemoteConfig {
  url: string | null;
  username: string | null;
  password: string | null;
  /** Push after each checkpoint; off means the remote is left alone. */
  push: boolean;
}

/**
 * The engine process's side of the remote: one RemoteSync, configured from the
 * environment at start and from `configure` requests, and its state changes
 * logged (without secrets: RemoteSync's messages never hold one).
 */
export class RemoteHost {
  readonly sync: RemoteSync;
  private _config: IRemoteConfig;
  /** What RemoteSync was last given (null: local only). */
  private _applied: IRemote | null = null;
  private _lastLogged = '';

  /**
   * With `hold`, the remote waits for the first `update` (the password arrives
   * on stdin right after the start); otherwise it is used at once.
   */
  constructor(
    engine: CheckpointEngine,
    config: IRemoteConfig,
    private readonly _log: Log,
    hold = false
  ) {
    this.sync = engine.remoteSync({ http, remote: null });
    this._config = config;
    this.sync.onStatusChange(status => this._logChange(status));
    if (!hold) {
      try {
        this._apply(config);
      } catch (error) {
        // A bad URL from the environment is reported, not fatal: checkpoints work locally.
        this._log(
          'warning',
          `remote not used: ${error instanceof Error ? error.message : String(error)}`
        );
      }
    }
  }

  /**
   * Changes some settings; a bad URL throws InvalidArgumentError and changes
   * nothing. A remote set or changed is fetched and integrated first, so that
   * a fresh home gets its history back.
   */
  update(changes: Partial<IRemoteConfig>): void {
    this._apply({ ...this._config, ...changes });
  }

  status(): IPushStatus {
    return this.sync.status();
  }

  /** Starts a push at once (the answer does not wait for it). */
  push(): void {
    void this.sync.pushNow();
  }

  isPushed(oids: string[]): Promise<boolean[]> {
    return this.sync.isPushed(oids);
  }

  dispose(): Promise<void> {
    return this.sync.dispose();
  }

  private _apply(config: IRemoteConfig): void {
    const remote = activeRemote(config);
    void this.sync.configure(remote); // validates first: throws before changing anything
    this._config = config;
    if (remote && !sameRemote(remote, this._applied)) {
      void this.sync.syncOnOpen();
    }
    this._applied = remote;
  }

  private _logChange(status: IPushStatus): void {
    const line = `remote ${status.remote ?? '(none)'}: ${status.state}, ${status.pending} pending${
      status.last_error ? ` (${status.last_error})` : ''
    }`;
    if (line !== this._lastLogged) {
      this._lastLogged = line;
      // Failures are worth a warning; the push after each checkpoint is routine.
      const trouble = status.state === 'failing' || status.state === 'diverged';
      this._log(trouble ? 'warning' : 'debug', line);
    }
  }
}

function activeRemote(config: IRemoteConfig): IRemote | null {
  if (!config.url || !config.push) {
    return null;
  }
  return {
    url: config.url,
    username: config.username ?? undefined,
    password: config.password ?? undefined
  };
}

function sameRemote(a: IRemote, b: IRemote | null): boolean {
  return (
    !!b &&
    a.url === b.url &&
    a.username === b.username &&
    a.password === b.password
  );
}
