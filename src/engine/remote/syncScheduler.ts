/**
 * When sync rounds run: one at a time; a request during a round becomes one
 * more round after it; a request otherwise waits `debounceMs`, so a burst of
 * checkpoints becomes one push; after failures, exponential backoff.
 */
export class SyncScheduler {
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _running: Promise<void> | null = null;
  private _again = false;
  private _failures = 0;
  private _stopped = false;

  constructor(private readonly _options: SyncScheduler.IOptions) {}

  /** Whether a round is under way. */
  get running(): boolean {
    return this._running !== null;
  }

  /** Asks for a round soon (debounced, coalesced); never waits for it. */
  schedule(): void {
    if (this._stopped || !this._options.enabled()) {
      return;
    }
    if (this._running) {
      this._again = true;
      return;
    }
    if (this._timer) {
      return;
    }
    const { debounceMs, retry } = this._options;
    const delay =
      this._failures > 0
        ? Math.min(retry.maxMs, retry.initialMs * 2 ** (this._failures - 1))
        : debounceMs;
    this._timer = setTimeout(() => {
      this._timer = null;
      void this._start(false);
    }, delay);
  }

  /** Runs a round now, after the one under way, whatever the backoff. */
  async runNow(fetchFirst: boolean): Promise<void> {
    while (this._running) {
      await this._running;
    }
    this._cancelTimer();
    if (!this._stopped && this._options.enabled()) {
      await this._start(fetchFirst);
    }
  }

  /** Forgets the failures (a new remote) and the round planned. */
  reset(): void {
    this._cancelTimer();
    this._failures = 0;
  }

  /** No round starts again; waits for the one under way. */
  async stop(): Promise<void> {
    this._stopped = true;
    this._cancelTimer();
    await this._running;
  }

  private _start(fetchFirst: boolean): Promise<void> {
    // Marked running before the round's first step, so the status says so at once.
    const run = Promise.resolve().then(async () => {
      const outcome = await this._options.round(fetchFirst);
      if (outcome !== 'stale') {
        this._failures = outcome === 'ok' ? 0 : this._failures + 1;
      }
      this._running = null;
      if (this._again || outcome === 'retry' || outcome === 'stale') {
        this._again = false;
        this.schedule();
      }
      this._options.onIdle();
    });
    this._running = run;
    return run;
  }

  private _cancelTimer(): void {
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }
}

export namespace SyncScheduler {
  /**
   * How a round ended: `ok`; `retry` (failed, try again after the backoff);
   * `wait` (failed, and only a new request may help); `stale` (its remote was
   * replaced meanwhile: it says nothing about the new one).
   */
  export type Outcome = 'ok' | 'retry' | 'wait' | 'stale';

  export interface IOptions {
    /** One round; never throws. */
    round: (fetchFirst: boolean) => Promise<Outcome>;
    /** Whether rounds may run at all (a remote is configured). */
    enabled: () => boolean;
    /** Called after each round, once it no longer counts as running. */
    onIdle: () => void;
    debounceMs: number;
    retry: { initialMs: number; maxMs: number };
  }
}
