import type { HttpClient } from 'isomorphic-git';
import type { RemoteError } from '../errors';
import type { Repository } from '../repository';
import { AheadCommits } from './aheadCommits';
import { toRemoteError } from './failure';
import { type IPushStatus, PushStatusBook } from './pushStatus';
import { writeRemoteConfig } from './remoteConfig';
import { type IRemote, validateRemote } from './remoteSettings';
import type { ISyncedEngine } from './syncedEngine';
import { SyncRound } from './syncRound';
import { SyncScheduler } from './syncScheduler';
import { TrackingRef } from './trackingRef';
import { REMOTE_NAME, RemoteTransport } from './transport';

export type { IPushStatus, PushState } from './pushStatus';

/**
 * Keeps the remote's copy of the checked-out branch up to date, in the
 * background: each checkpoint schedules a round (`SyncScheduler`: one at a
 * time, debounced, backoff after failures) that integrates and pushes
 * (`SyncRound`); `PushStatusBook` keeps what the status shows. Nothing here
 * ever makes a save wait or fail.
 */
export class RemoteSync {
  private readonly _repo: Repository;
  private readonly _tracking: TrackingRef;
  private readonly _ahead: AheadCommits;
  private readonly _round: SyncRound;
  private readonly _scheduler: SyncScheduler;
  private readonly _book: PushStatusBook;
  private readonly _now: () => number;
  private readonly _unsubscribe: () => void;
  private _transport: RemoteTransport | null = null;
  private _disposed = false;

  constructor(private readonly _options: RemoteSync.IOptions) {
    const { engine, repository } = _options;
    this._repo = repository;
    this._tracking = new TrackingRef(repository, REMOTE_NAME);
    this._ahead = new AheadCommits(repository.objects, this._tracking);
    this._round = new SyncRound(engine, repository, this._tracking);
    this._now = _options.now ?? Date.now;
    this._scheduler = new SyncScheduler({
      round: fetchFirst => this._runRound(this._transport!, fetchFirst),
      enabled: () => this._transport !== null,
      onIdle: () => this._book.emit(),
      debounceMs: _options.debounceMs ?? 100,
      retry: _options.retry ?? { initialMs: 2000, maxMs: 5 * 60 * 1000 }
    });
    this._book = new PushStatusBook(() => this._scheduler.running);
    this._unsubscribe = engine.onCommit(() => {
      this._book.commitAnnounced();
      this._book.emit();
      this._scheduler.schedule();
    });
    void this.configure(_options.remote);
  }

  status(): IPushStatus {
    return this._book.status();
  }

  /** Calls `listener` whenever the status changes; returns the unsubscribe. */
  onStatusChange(listener: (status: IPushStatus) => void): () => void {
    return this._book.onChange(listener);
  }

  /**
   * Sets, changes or (null) removes the remote. Throws `InvalidArgumentError`
   * for a bad URL (one with credentials in it included) and then changes
   * nothing. The returned promise settles once `.git/config` is written and
   * the pending commits are counted (failures go to `last_error`).
   */
  configure(remote: IRemote | null): Promise<void> {
    const valid = remote ? validateRemote(remote) : null;
    this._transport?.close();
    this._transport = valid
      ? new RemoteTransport({
          fs: this._repo.fs,
          codec: this._repo.options.codec,
          gitdir: this._repo.gitdir,
          cache: this._repo.objects.cache,
          http: this._options.http,
          remote: valid,
          timeoutMs: this._options.timeoutMs ?? 30000
        })
      : null;
    this._scheduler.reset();
    this._book.reset(valid?.url ?? null);
    this._ahead.forget();
    return this._afterConfigure(valid?.url ?? null);
  }

  /** Asks for a push soon (debounced, coalesced); never waits for it. */
  schedule(): void {
    this._scheduler.schedule();
  }

  /** Pushes now (after a push under way), whatever the backoff; resolves with the outcome. */
  async pushNow(): Promise<IPushStatus> {
    await this._scheduler.runNow(false);
    return this.status();
  }

  /**
   * Fetches the branch and integrates it: on a fresh or empty home this brings
   * the history and files back; elsewhere it picks up what other servers
   * pushed. Then pushes what is pending. Failures go to the status and are
   * retried like pushes.
   */
  async syncOnOpen(): Promise<void> {
    await this._scheduler.runNow(true);
  }

  /** The commit the remote's branch is last known to hold (its tracking ref), or null. */
  async trackedTip(): Promise<string | null> {
    const { branch } = await this._options.engine.status();
    return this._tracking.read(branch);
  }

  /**
   * For each commit, whether the remote has it (reachable from the
   * remote-tracking ref). The commits are the branch's, as the history lists them.
   */
  async isPushed(oids: string[]): Promise<boolean[]> {
    const ahead = this._transport ? await this._aheadCommits() : null;
    return oids.map(oid => ahead !== null && !ahead.has(oid));
  }

  async dispose(): Promise<void> {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._unsubscribe();
    this._transport?.close();
    await this._scheduler.stop();
    this._book.clear();
  }

  private async _afterConfigure(url: string | null): Promise<void> {
    try {
      const { branch } = await this._options.engine.status();
      await this._options.engine.exclusive(() =>
        writeRemoteConfig(this._repo, REMOTE_NAME, url, branch)
      );
      this._book.knowLastPush(
        (await this._tracking.lastPush(branch))?.getTime() ?? null
      );
      await this._recount();
      if (this._book.pending > 0) {
        this.schedule();
      }
    } catch (error) {
      this._book.failed(this._typed(error));
    }
    this._book.emit();
  }

  private async _runRound(
    transport: RemoteTransport,
    fetchFirst: boolean
  ): Promise<SyncScheduler.Outcome> {
    this._book.emit();
    // The outcome with a remote since replaced by `configure` says nothing about the new one.
    const current = () => transport === this._transport;
    let outcome: SyncScheduler.Outcome = 'ok';
    try {
      if (await this._round.run(transport, fetchFirst)) {
        this._book.pushed(this._now());
      }
      if (current()) {
        this._book.succeeded();
      }
    } catch (error) {
      const failure = this._typed(error, transport);
      if (current()) {
        this._book.failed(failure);
      }
      // A refused password stays refused, a divergence needs a person: wait
      // for a commit, a new configuration or an explicit push.
      outcome =
        failure.kind === 'auth' || failure.kind === 'diverged'
          ? 'wait'
          : 'retry';
    }
    await this._recount().catch(() => undefined);
    return current() ? outcome : 'stale';
  }

  private _recount(): Promise<void> {
    return this._book.recount(
      async () => (await this._aheadCommits())?.size ?? 0
    );
  }

  private async _aheadCommits(): Promise<Set<string> | null> {
    const { branch, head } = await this._options.engine.status();
    return this._ahead.of(branch, head);
  }

  private _typed(error: unknown, transport = this._transport): RemoteError {
    return toRemoteError(error, transport?.secrets ?? []);
  }
}

export namespace RemoteSync {
  /** What the host chooses. */
  export interface ISettings {
    /** isomorphic-git's http client: `isomorphic-git/http/node` or `/http/web`. */
    http: HttpClient;
    remote: IRemote | null;
    /** Backoff between failed pushes (default 2 s doubling up to 5 min). */
    retry?: { initialMs: number; maxMs: number };
    /** Longest wait for the remote to answer or send more (default 30 s). */
    timeoutMs?: number;
    /** Delay from a checkpoint to its push, so a burst becomes one push (default 100 ms). */
    debounceMs?: number;
    /** The clock, in ms since the epoch. */
    now?: () => number;
  }

  export interface IOptions extends ISettings {
    engine: ISyncedEngine;
    /** The repository the engine works on: its objects, refs and config. */
    repository: Repository;
  }
}
