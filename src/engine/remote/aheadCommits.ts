import type { ObjectStore } from '../storage/objects';
import { commitsBetween } from './ancestry';
import type { TrackingRef } from './trackingRef';

/**
 * The branch's commits that the remote-tracking ref does not reach: what a
 * push would send, read from refs, so a restart forgets nothing. Kept until
 * either ref moves.
 */
export class AheadCommits {
  private _cached: { key: string; commits: Set<string> } | null = null;

  constructor(
    private readonly _objects: ObjectStore,
    private readonly _tracking: TrackingRef
  ) {}

  /** Null before the branch's first commit. */
  async of(branch: string, head: string | null): Promise<Set<string> | null> {
    if (!head) {
      return null;
    }
    const tracking = await this._tracking.read(branch);
    const key = `${head}..${tracking}`;
    if (this._cached?.key !== key) {
      const commits = await commitsBetween(
        this._objects,
        [head],
        tracking ? [tracking] : []
      );
      this._cached = { key, commits };
    }
    return this._cached.commits;
  }

  forget(): void {
    this._cached = null;
  }
}
