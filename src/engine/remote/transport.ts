import git, { type HttpClient } from 'isomorphic-git';
import type { IFileSystem } from '../api';
import { utf8, ZERO_OID } from '../models/bytes';
import { withHeadHint } from './headHint';
import type { IRemote } from './remoteSettings';
import { type ITransferView, objectsOnlyFs } from './objectsOnlyFs';
import { withTimeout } from './timeoutHttp';

/** The name of the remote in `.git/config`, beside any the user has. */
export const REMOTE_NAME = 'checkpoints';

/**
 * What the remote's branch is, against our commit, when a push starts; for a
 * push, `boundary` is where the commits to send stop (see `ITransferView`).
 */
export type PushDecision =
  | { verdict: 'push'; boundary: string[] }
  | { verdict: 'up-to-date' | 'integrate-first' };

/**
 * How a push ended: the remote now has `pushed`, or it holds `integrate`,
 * which must be merged first (`reason`: what the server said, if it refused).
 */
export type PushResult =
  { pushed: string } | { integrate: string; reason?: string };

/**
 * Fetches and pushes one branch over isomorphic-git's smart HTTP.
 *
 * Only objects are written here (see `objectsOnlyFs`); every ref the transfer
 * implies is left to the caller, who moves it under git's lock. Credentials
 * reach the server only through `onAuth`, never a URL.
 */
export class RemoteTransport {
  private readonly _closed = new AbortController();
  private readonly _http: HttpClient;

  constructor(private readonly _options: RemoteTransport.IOptions) {
    this._http = withTimeout(
      _options.http,
      _options.timeoutMs,
      this._closed.signal
    );
  }

  get remote(): IRemote {
    return this._options.remote;
  }

  /** The secrets to keep out of any message. */
  get secrets(): string[] {
    const { username = '', password = '' } = this.remote;
    // Without a password, the user name is the token (as some hosts take it).
    const secret = password || username;
    if (!secret) {
      return [];
    }
    // The Basic header's value too, should a server echo it.
    const basic = btoa(String.fromCharCode(...utf8(`${username}:${password}`)));
    return [secret, basic];
  }

  /**
   * Fetches the remote's `branch` with its objects; null when the remote has
   * no such branch. `have` names a local ref whose commit the remote is known
   * to have (the remote-tracking ref), so that only what is new is sent.
   */
  async fetchBranch(
    branch: string,
    have: string | null
  ): Promise<string | null> {
    try {
      const result = await git.fetch({
        ...this._common(),
        http: withHeadHint(this._http, branch),
        // isomorphic-git offers the server only this ref's commit as common
        // ground; an unknown one (a new local commit) makes it send all history.
        ref: have ?? branch,
        remoteRef: `refs/heads/${branch}`,
        singleBranch: true,
        tags: false
      });
      return result.fetchHead;
    } catch (error: any) {
      if (
        error?.code === 'NotFoundError' &&
        error?.data?.what === `refs/heads/${branch}`
      ) {
        return null;
      }
      throw error;
    }
  }

  /**
   * Pushes `branch` as a fast-forward, never forced. `decide` sees the remote's
   * commit first and says whether the push can go ahead.
   */
  async pushBranch(
    branch: string,
    decide: (local: string, remote: string) => Promise<PushDecision>
  ): Promise<PushResult> {
    let verdict = 'push' as PushDecision['verdict']; // Set by onPrePush.
    let local = ZERO_OID;
    let remote = ZERO_OID;
    const view: ITransferView = { boundary: [] };
    try {
      await git.push({
        ...this._common(view),
        ref: `refs/heads/${branch}`,
        remoteRef: `refs/heads/${branch}`,
        force: false,
        onPrePush: async ({ localRef, remoteRef }) => {
          local = localRef.oid;
          remote = remoteRef.oid;
          const decision = await decide(local, remote);
          verdict = decision.verdict;
          view.boundary = decision.verdict === 'push' ? decision.boundary : [];
          return verdict === 'push';
        }
      });
      return { pushed: local };
    } catch (error: any) {
      if (verdict === 'up-to-date') {
        return { pushed: remote };
      }
      // Cancelled by `decide`, or refused by isomorphic-git's own check.
      if (
        verdict === 'integrate-first' ||
        error?.code === 'PushRejectedError'
      ) {
        return { integrate: remote };
      }
      // Refused by the server: most often the branch moved between the two requests.
      if (error?.code === 'GitPushError') {
        return { integrate: remote, reason: error.message };
      }
      throw error;
    }
  }

  /** Aborts any request under way; the transport is not used again. */
  close(): void {
    this._closed.abort();
  }

  /** Options of every transfer; a new fs view each, as it caches for one transfer. */
  private _common(view?: ITransferView) {
    const { fs, gitdir, cache } = this._options;
    const { url, username, password } = this.remote;
    return {
      fs: objectsOnlyFs(fs, gitdir, view),
      http: this._http,
      gitdir,
      cache,
      url,
      remote: REMOTE_NAME,
      onAuth:
        username || password
          ? () => ({ username: username ?? '', password: password ?? '' })
          : undefined
    };
  }
}

export namespace RemoteTransport {
  export interface IOptions {
    fs: IFileSystem;
    gitdir: string;
    cache: object;
    http: HttpClient;
    remote: IRemote;
    /** Longest wait for the remote to start answering, or to send the next chunk. */
    timeoutMs: number;
  }
}
