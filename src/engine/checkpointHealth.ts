import type { ICheckpointFailure } from '../contract';
import { CheckpointError } from './errors';

/** Codes that say something about one request, not about checkpoints in general. */
const REQUEST_ERRORS = new Set([
  'InvalidArgument',
  'InvalidPath',
  'NotFound',
  'NotACheckpoint',
  'AlreadyExists',
  'FileTooLarge'
]);

/**
 * Remembers whether the last write (checkpoint, restore, rename, delete)
 * failed for a reason that will stop the next ones too (disk full, a lock
 * git keeps, permissions), for the status route and the status bar.
 */
export class CheckpointHealth {
  private _failure: ICheckpointFailure | null = null;

  constructor(private readonly _now: () => Date = () => new Date()) {}

  get failure(): ICheckpointFailure | null {
    return this._failure;
  }

  /** Runs one write and records how it ended. */
  async track<T>(write: Promise<T>): Promise<T> {
    try {
      const result = await write;
      this._failure = null;
      return result;
    } catch (error) {
      this._record(error);
      throw error;
    }
  }

  private _record(error: unknown): void {
    const typed = error instanceof CheckpointError ? error : null;
    if (typed && REQUEST_ERRORS.has(typed.code)) {
      return;
    }
    const code = typed?.code ?? 'Internal';
    const lockedSince =
      typeof typed?.data.since === 'string' ? typed.data.since : null;
    this._failure = {
      code,
      message: typed?.message ?? 'Internal error in the checkpoint engine',
      since:
        lockedSince ??
        (this._failure?.code === code ? this._failure.since : null) ??
        this._now().toISOString()
    };
  }
}
