import type { HttpClient } from 'isomorphic-git';
import type { IPushStatus, PushState } from '../../contract';
import type { CheckpointEngine } from '../engine';
import { ZERO_OID } from '../models/bytes';
import { isoTime } from '../models/time';
import type { Repository } from '../repository';
import { boundaryOf, commitsBetween, isAncestor } from './ancestry';
import { describeFailure } from './failure';
import { integrate } from './integrate';
import { writeRemoteConfig } from './remoteConfig';
import { type IRemote, validateRemote } from './remoteSettings';
import { FETCH_MESSAGE, PUSH_MESSAGE, TrackingRef } from './trackingRef';
import { type PushDecision, REMOTE_NAME, RemoteTransport } from './transport';

export type { IPushStatus, PushState } from '../../contract';

/** Pushes after a local and a remote change both edited the same files cannot go on by themselves. */
class DivergedError extends Error {
  constructor(branch: string, paths: string[]) {
    const shown =
      paths.slice(0, 5).join(', ') +
      (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
    super(
      `the remote branch '${branch}' has diverged: both sides changed ${shown}. ` +
        `Nothing was lost; merge ${REMOTE_NAME}/${branch} with git to go on`
    );
  }
}

/**
 * Keeps the remote's copy of the checked-out branch up to date, in the
 * background: each checkpoint schedules a push; pushes run one at a time, a
 * burst of checkpoints becomes one push of the branch tip, failures are
 * retried with exponential backoff. Nothing here ever makes a save wait or fail.
 *
 * A branch another server pushed ahead is fetched and integrated first
 * (fast-forward or merge, see `integrate`); it is never force-pushed over.
 * What is pending is read from refs (branch against `refs/remotes/checkpoints/<branch>`),
 * so a restart forgets nothing.
 */
export class RemoteSync {
  private readonly _repo: Repository;
  private readonly _tracking: TrackingRef;
  private readonly _retry: { initialMs: number; maxMs: number };
  private readonly _now: () => number;
  private readonly _unsubscribe: () => void;
  private readonly _listeners = new Set<(status: IPushStatus) => void>();
  private _transport: RemoteTransport | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _running: Promise<void> | null = null;
  private _again = false;
  private _failures = 0;
  private _diverged = false;
  private _lastError: string | null = null;
  private _lastPush: number | null = null;
  private _pending = 0;
  /** Commits announced by the engine so far. */
  private _commits = 0;
  /** Whether `_pending` was counted from refs since the remote was configured. */
  private _counted = false;
  private _ahead: { key: string; commits: Set<string> } | null = null;
  private _lastEmitted = '';
  private _disposed = false;

  constructor(private readonly _options: RemoteSync.IOptions) {
    this._repo = _options.engine.repository;
    this._tracking = new TrackingRef(this._repo, REMOTE_NAME);
    this._retry = _options.retry ?? { initialMs: 2000, maxMs: 5 * 60 * 1000 };
    this._now = _options.now ?? Date.now;
    this._unsubscribe = _options.engine.onCommit(() => {
      // One more commit than last counted; recounted from refs when the push runs.
      this._commits += 1;
      this._pending += 1;
      this._emit();
      this.schedule();
    });
    void this.configure(_options.remote);
  }

  status(): IPushStatus {
    return {
      remote: this._transport?.remote.url ?? null,
      state: this._state(),
      pending: this._transport ? this._pending : 0,
      last_push: this._lastPush === null ? null : isoTime(this._lastPush),
      last_error: this._lastError
    };
  }

  /** Calls `listener` whenever the status changes; returns the unsubscribe. */
  onStatusChange(listener: (status: IPushStatus) => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
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
          gitdir: this._repo.gitdir,
          cache: this._repo.objects.cache,
          http: this._options.http,
          remote: valid,
          timeoutMs: this._options.timeoutMs ?? 30000
        })
      : null;
    this._clearTimer();
    this._failures = 0;
    this._diverged = false;
    this._lastError = null;
    this._ahead = null;
    this._counted = false;
    return this._afterConfigure(valid?.url ?? null);
  }

  /** Asks for a push soon (debounced, coalesced); never waits for it. */
  schedule(): void {
    if (!this._transport || this._disposed) {
      return;
    }
    if (this._running) {
      this._again = true;
      return;
    }
    if (this._timer) {
      return;
    }
    const delay =
      this._failures > 0 ? this._backoff() : (this._options.debounceMs ?? 100);
    this._timer = setTimeout(() => {
      this._timer = null;
      void this._run(false);
    }, delay);
  }

  /** Pushes now (after a push under way), whatever the backoff; resolves with the outcome. */
  async pushNow(): Promise<IPushStatus> {
    await this._idle();
    if (this._transport && !this._disposed) {
      await this._run(false);
    }
    return this.status();
  }

  /**
   * Fetches the branch and integrates it: on a fresh or empty home this brings
   * the history and files back; elsewhere it picks up what other servers
   * pushed. Then pushes what is pending. Failures go to the status and are
   * retried like pushes.
   */
  async syncOnOpen(): Promise<void> {
    await this._idle();
    if (this._transport && !this._disposed) {
      await this._run(true);
    }
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
    this._clearTimer();
    this._transport?.close();
    await this._running;
    this._listeners.clear();
  }

  /** Waits out the run under way and cancels the one planned: the caller runs now. */
  private async _idle(): Promise<void> {
    while (this._running) {
      await this._running;
    }
    this._clearTimer();
  }

  private async _afterConfigure(url: string | null): Promise<void> {
    try {
      const { branch } = await this._options.engine.status();
      await this._options.engine.exclusive(() =>
        writeRemoteConfig(this._repo, REMOTE_NAME, url, branch)
      );
      this._lastPush ??=
        (await this._tracking.lastPush(branch))?.getTime() ?? null;
      await this._recount();
      if (this._pending > 0) {
        this.schedule();
      }
    } catch (error) {
      this._lastError = describeFailure(
        error,
        this._transport?.secrets ?? []
      ).message;
    }
    this._emit();
  }

  private _run(fetchFirst: boolean): Promise<void> {
    // Marked running before the first step, so the status says 'pushing' at once.
    const run = Promise.resolve().then(() =>
      this._runOnce(this._transport!, fetchFirst)
    );
    this._running = run;
    return run;
  }

  private async _runOnce(
    transport: RemoteTransport,
    fetchFirst: boolean
  ): Promise<void> {
    this._emit();
    let retry = false;
    // The outcome with a remote since replaced by `configure` says nothing about the new one.
    const current = () => transport === this._transport;
    try {
      await this._sync(transport, fetchFirst);
      if (current()) {
        this._failures = 0;
        this._diverged = false;
        this._lastError = null;
      }
    } catch (error) {
      if (current()) {
        this._failures += 1;
        if (error instanceof DivergedError) {
          this._diverged = true;
          this._lastError = error.message;
        } else {
          const failure = describeFailure(error, transport.secrets);
          this._lastError = failure.message;
          // A refused password or token stays refused: wait for a commit, a new
          // configuration or an explicit push rather than hammer the server.
          retry = failure.kind !== 'auth';
        }
      }
    }
    await this._recount().catch(() => undefined);
    this._running = null;
    if (this._again || retry || !current()) {
      this._again = false;
      this.schedule();
    }
    this._emit();
  }

  /** One round: integrate what the remote has (when asked, or when there is nothing local), then push. */
  private async _sync(
    transport: RemoteTransport,
    fetchFirst: boolean
  ): Promise<void> {
    const engine = this._options.engine;
    const { branch, head } = await engine.status();
    if (branch === 'HEAD') {
      return; // Detached: no branch to push.
    }
    await engine.exclusive(() =>
      writeRemoteConfig(this._repo, REMOTE_NAME, transport.remote.url, branch)
    );
    if (fetchFirst || !head) {
      const fetched = await this._fetchAndIntegrate(transport, branch);
      if (!fetched && !head) {
        return; // Nothing on the remote, and nothing to push.
      }
    }
    let reason: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!(await engine.status()).head) {
        return;
      }
      const result = await transport.pushBranch(branch, (local, remote) =>
        this._decide(local, remote)
      );
      if ('pushed' in result) {
        await engine.exclusive(() =>
          this._tracking.write(branch, result.pushed, PUSH_MESSAGE)
        );
        this._lastPush = this._now();
        return;
      }
      reason = result.reason;
      await this._fetchAndIntegrate(transport, branch);
    }
    throw new Error(
      `the remote refused the push: ${reason ?? 'its branch keeps moving'}`
    );
  }

  /** Fetches the remote branch and integrates it; false when the remote has no such branch. */
  private async _fetchAndIntegrate(
    transport: RemoteTransport,
    branch: string
  ): Promise<boolean> {
    const engine = this._options.engine;
    const known = (await this._tracking.read(branch))
      ? this._tracking.ref(branch)
      : null;
    const remote = await transport.fetchBranch(branch, known);
    if (!remote) {
      return false;
    }
    const outcome = await engine.exclusive(async () => {
      await this._tracking.write(branch, remote, FETCH_MESSAGE);
      return integrate(this._repo, branch, remote, REMOTE_NAME);
    });
    if (outcome.kind === 'conflict') {
      throw new DivergedError(branch, outcome.paths);
    }
    return true;
  }

  /**
   * Whether our commit can go on top of the remote's (a fast-forward), and if
   * so the commits just below the ones to send, which the remote has.
   */
  private async _decide(local: string, remote: string): Promise<PushDecision> {
    if (remote === ZERO_OID) {
      return { verdict: 'push', boundary: [] };
    }
    if (remote === local) {
      return { verdict: 'up-to-date' };
    }
    const objects = this._repo.objects;
    const known = await objects.readCommit(remote).then(
      () => true,
      () => false
    );
    if (!known || !(await isAncestor(objects, remote, local))) {
      return { verdict: 'integrate-first' };
    }
    const sending = await commitsBetween(objects, [local], [remote]);
    const boundary = await boundaryOf(objects, sending);
    return { verdict: 'push', boundary: [...boundary] };
  }

  /**
   * Recounts the pending commits from refs. A commit made while counting may
   * or may not be in the count: then the estimate stands (it only grows with
   * commits) and the count is taken again.
   */
  private async _recount(): Promise<void> {
    const commits = this._commits;
    const count = this._transport
      ? ((await this._aheadCommits())?.size ?? 0)
      : 0;
    if (this._commits === commits) {
      this._pending = count;
      this._counted = true;
    } else {
      this._pending = Math.max(this._pending, count);
      await this._recount();
    }
  }

  /** The branch's commits the remote-tracking ref does not reach; null before the first commit. */
  private async _aheadCommits(): Promise<Set<string> | null> {
    const { branch, head } = await this._options.engine.status();
    if (!head) {
      return null;
    }
    const tracking = await this._tracking.read(branch);
    const key = `${head}..${tracking}`;
    if (this._ahead?.key !== key) {
      const commits = await commitsBetween(
        this._repo.objects,
        [head],
        tracking ? [tracking] : []
      );
      this._ahead = { key, commits };
    }
    return this._ahead.commits;
  }

  private _state(): PushState {
    if (!this._transport) {
      return 'local';
    }
    if (this._running) {
      return 'pushing';
    }
    if (this._diverged) {
      return 'diverged';
    }
    if (this._lastError) {
      return 'failing';
    }
    // Until counted, nothing says the remote has everything.
    return this._pending > 0 || !this._counted ? 'pending' : 'pushed';
  }

  private _backoff(): number {
    const { initialMs, maxMs } = this._retry;
    return Math.min(maxMs, initialMs * 2 ** (this._failures - 1));
  }

  private _clearTimer(): void {
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _emit(): void {
    const status = this.status();
    const text = JSON.stringify(status);
    if (text !== this._lastEmitted) {
      this._lastEmitted = text;
      for (const listener of this._listeners) {
        try {
          listener(status);
        } catch {
          // A listener's failure must not reach the save that announced a commit.
        }
      }
    }
  }
}

export namespace RemoteSync {
  export interface IOptions {
    engine: CheckpointEngine;
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
}
