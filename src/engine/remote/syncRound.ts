import { RemoteError } from '../errors';
import type { Repository } from '../repository';
import { boundaryOf, commitsBetween, isAncestor } from './ancestry';
import { integrate } from './integrate';
import { writeRemoteConfig } from './remoteConfig';
import type { ISyncedEngine } from './syncedEngine';
import { FETCH_MESSAGE, PUSH_MESSAGE, type TrackingRef } from './trackingRef';
import { ZERO_OID } from '../models/bytes';
import {
  type PushDecision,
  REMOTE_NAME,
  type RemoteTransport
} from './transport';

/**
 * One sync round of the checked-out branch: integrate what the remote has
 * (when asked, or when there is nothing local), then push what is new. A
 * branch another server pushed ahead is fetched and integrated first
 * (fast-forward or merge, see `integrate`), never force-pushed over.
 * Every failure is a `RemoteError`.
 */
export class SyncRound {
  constructor(
    private readonly _engine: ISyncedEngine,
    private readonly _repo: Repository,
    private readonly _tracking: TrackingRef
  ) {}

  /** Resolves true when it pushed. */
  async run(transport: RemoteTransport, fetchFirst: boolean): Promise<boolean> {
    const engine = this._engine;
    const { branch, head } = await engine.status();
    if (branch === 'HEAD') {
      return false; // Detached: no branch to push.
    }
    await engine.exclusive(() =>
      writeRemoteConfig(this._repo, REMOTE_NAME, transport.remote.url, branch)
    );
    if (fetchFirst || !head) {
      const fetched = await this._fetchAndIntegrate(transport, branch);
      if (!fetched && !head) {
        return false; // Nothing on the remote, and nothing to push.
      }
    }
    let reason: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const tip = (await engine.status()).head;
      // Nothing new since the remote was last known to hold the branch: no
      // need to ask it for its (possibly huge) ref advertisement.
      if (!tip || tip === (await this._tracking.read(branch))) {
        return false;
      }
      const result = await transport.pushBranch(branch, (local, remote) =>
        this._decide(local, remote)
      );
      if ('pushed' in result) {
        await engine.exclusive(() =>
          this._tracking.write(branch, result.pushed, PUSH_MESSAGE)
        );
        return true;
      }
      reason = result.reason;
      await this._fetchAndIntegrate(transport, branch);
    }
    throw new RemoteError(
      'rejected',
      `the remote refused the push: ${reason ?? 'its branch keeps moving'}`
    );
  }

  /** Fetches the remote branch and integrates it; false when the remote has no such branch. */
  private async _fetchAndIntegrate(
    transport: RemoteTransport,
    branch: string
  ): Promise<boolean> {
    const engine = this._engine;
    const known = await this._tracking.read(branch);
    const { head } = await engine.status();
    const haves = [...new Set([known, head])].filter(
      (oid): oid is string => !!oid
    );
    const remote = await transport.fetchBranch(branch, haves);
    if (!remote) {
      return false;
    }
    const outcome = await engine.exclusive(async () => {
      await this._tracking.write(branch, remote, FETCH_MESSAGE);
      return integrate(this._repo, branch, remote, REMOTE_NAME);
    });
    if (outcome.kind === 'conflict') {
      throw divergedError(branch, outcome.paths);
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
}

/** After a local and a remote change both edited the same files, pushes cannot go on by themselves. */
function divergedError(branch: string, paths: string[]): RemoteError {
  const shown =
    paths.slice(0, 5).join(', ') +
    (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  return new RemoteError(
    'diverged',
    `the remote branch '${branch}' has diverged: both sides changed ${shown}. ` +
      `Nothing was lost; merge ${REMOTE_NAME}/${branch} with git to go on`,
    { branch, paths }
  );
}
