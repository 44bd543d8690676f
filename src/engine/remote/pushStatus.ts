import type { IPushStatus, PushState } from '../../contract';
import type { RemoteError } from '../errors';
import { isoTime } from '../models/time';

export type { IPushStatus, PushState } from '../../contract';

/**
 * The push status and its listeners: what the rounds report, the pending
 * count (an estimate raised by each commit, recounted from refs), and a
 * change event only when the status really changed.
 */
export class PushStatusBook {
  private readonly _listeners = new Set<(status: IPushStatus) => void>();
  private _remote: string | null = null;
  private _lastError: string | null = null;
  private _diverged = false;
  private _lastPush: number | null = null;
  private _pending = 0;
  /** Commits announced so far, to tell whether one came during a recount. */
  private _commits = 0;
  /** Whether `_pending` was counted from refs since the remote was set. */
  private _counted = false;
  private _lastEmitted = '';

  /** `running`: whether a round is under way. */
  constructor(private readonly _running: () => boolean) {}

  status(): IPushStatus {
    return {
      remote: this._remote,
      state: this._state(),
      pending: this._remote ? this._pending : 0,
      last_push: this._lastPush === null ? null : isoTime(this._lastPush),
      last_error: this._lastError
    };
  }

  onChange(listener: (status: IPushStatus) => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  /** A new remote (or none): nothing is known of it yet. */
  reset(remote: string | null): void {
    this._remote = remote;
    this._lastError = null;
    this._diverged = false;
    this._counted = false;
  }

  /** One more commit than last counted. */
  commitAnnounced(): void {
    this._commits += 1;
    this._pending += 1;
  }

  /** The last push time, when not known yet (from the reflog at start). */
  knowLastPush(ms: number | null): void {
    this._lastPush ??= ms;
  }

  pushed(ms: number): void {
    this._lastPush = ms;
  }

  succeeded(): void {
    this._lastError = null;
    this._diverged = false;
  }

  failed(error: RemoteError): void {
    this._lastError = error.message;
    this._diverged = error.kind === 'diverged';
  }

  /**
   * Recounts the pending commits with `count`. A commit made while counting
   * may or may not be in the count: then the estimate stands (it only grows
   * with commits) and the count is taken again.
   */
  async recount(count: () => Promise<number>): Promise<void> {
    const commits = this._commits;
    const counted = this._remote ? await count() : 0;
    if (this._commits === commits) {
      this._pending = counted;
      this._counted = true;
    } else {
      this._pending = Math.max(this._pending, counted);
      await this.recount(count);
    }
  }

  get pending(): number {
    return this._pending;
  }

  emit(): void {
    const status = this.status();
    const text = JSON.stringify(status);
    if (text === this._lastEmitted) {
      return;
    }
    this._lastEmitted = text;
    for (const listener of this._listeners) {
      try {
        listener(status);
      } catch {
        // A listener's failure must not reach the save that announced a commit.
      }
    }
  }

  clear(): void {
    this._listeners.clear();
  }

  private _state(): PushState {
    if (!this._remote) {
      return 'local';
    }
    if (this._running()) {
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
}
