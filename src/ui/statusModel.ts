import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import { ICheckpointStatus, IGitCheckpointsClient, IStatus } from '../tokens';
import { Format } from './format';

/**
 * The repository status, refreshed without tight polling.
 *
 * It refreshes when told (`kick()` after a save or a checkpoint). While a push
 * is under way (pending, pushing, failing) it polls, starting fast and backing
 * off to `maxInterval`; once settled (local, pushed, diverged), after an error,
 * or while the page is hidden it sends nothing until the next kick.
 */
export class CheckpointStatus implements ICheckpointStatus {
  constructor(options: CheckpointStatus.IOptions) {
    this._client = options.client;
    this._minInterval = options.minInterval ?? 2000;
    this._maxInterval = options.maxInterval ?? 60000;
    this._poll = new Poll({
      name: 'git-checkpoints:status',
      factory: () => this._refresh(),
      frequency: {
        interval: this._minInterval,
        backoff: true,
        max: this._maxInterval
      },
      standby: () => this._settled || document.hidden
    });
  }

  get status(): IStatus | null {
    return this._status;
  }

  get error(): string | null {
    return this._error;
  }

  get changed(): ISignal<ICheckpointStatus, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  kick(): void {
    this._settled = false;
    this._setInterval(this._minInterval);
    void this._poll.refresh();
  }

  async pushNow(): Promise<void> {
    const seq = ++this._sent;
    this._update(await this._client.push(), seq);
    this.kick();
  }

  dispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _refresh(): Promise<void> {
    const seq = ++this._sent;
    let status: IStatus;
    try {
      status = await this._client.status();
    } catch (error) {
      if (seq < this._applied) {
        return;
      }
      // Stand by until the next kick rather than retrying a server that said no.
      this._error = (error as Error).message;
      this._settled = true;
      this._changed.emit();
      return;
    }
    const before = this._status;
    if (!this._update(status, seq)) {
      return;
    }
    const moved =
      !before ||
      before.state !== status.state ||
      before.pending !== status.pending;
    this._setInterval(
      moved
        ? this._minInterval
        : Math.min(this._interval * 2, this._maxInterval)
    );
  }

  /** Applies a status unless a newer request's answer already was (a kick can overlap a tick). */
  private _update(status: IStatus, seq: number): boolean {
    if (seq < this._applied) {
      return false;
    }
    this._applied = seq;
    this._status = status;
    this._error = null;
    this._settled = !Format.isSettling(status);
    this._changed.emit();
    return true;
  }

  private _setInterval(interval: number): void {
    this._interval = interval;
    this._poll.frequency = {
      interval,
      backoff: true,
      max: this._maxInterval
    };
  }

  private _client: IGitCheckpointsClient;
  private _status: IStatus | null = null;
  /** Sequence numbers of the requests sent and of the newest answer applied. */
  private _sent = 0;
  private _applied = 0;
  private _error: string | null = null;
  private _settled = false;
  private _minInterval: number;
  private _maxInterval: number;
  private _interval = 0;
  private _poll: Poll;
  private _changed = new Signal<ICheckpointStatus, void>(this);
}

export namespace CheckpointStatus {
  export interface IOptions {
    client: IGitCheckpointsClient;
    /** First interval after a change, in ms (default 2 s). */
    minInterval?: number;
    /** Longest interval while a push is under way, in ms (default 60 s). */
    maxInterval?: number;
  }
}
