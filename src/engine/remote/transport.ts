import git, { type HttpClient } from 'isomorphic-git';
import type { ICodec, IFileSystem } from '../api';
import { utf8, ZERO_OID } from '../models/bytes';
import { join } from '../paths';
import { type IAuthMemory, withBasicAuth } from './basicAuth';
import { toRemoteError } from './failure';
import { type ITransferView, objectsOnlyFs } from './objectsOnlyFs';
import { ownRefOnly } from './ownRefOnly';
import { storeReceivedPack } from './receivedPack';
import type { IRemote } from './remoteSettings';
import { withTimeout } from './timeoutHttp';
import { fetchRef } from './uploadPack';

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
 * Fetches and pushes one branch over smart HTTP: fetches with our own
 * protocol v2 / v0 client (`fetchRef`), pushes with isomorphic-git shown only
 * our branch's line of the advertisement (`ownRefOnly`).
 *
 * Only objects are written here (see `objectsOnlyFs`); every ref the transfer
 * implies is left to the caller, who moves it under git's lock. Credentials
 * reach the server only in the Authorization header (`withBasicAuth`), never
 * a URL. Every failure is a `RemoteError`.
 */
export class RemoteTransport {
  private readonly _closed = new AbortController();
  private readonly _http: HttpClient;
  private readonly _auth: IAuthMemory = { wantsBasic: false };

  constructor(private readonly _options: RemoteTransport.IOptions) {
    const { username, password } = _options.remote;
    this._http = withBasicAuth(
      withTimeout(_options.http, _options.timeoutMs, this._closed.signal),
      () =>
        username || password
          ? { username: username ?? '', password: password ?? '' }
          : null,
      this._auth
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
   * Fetches the remote's `branch` with the objects we lack; null when the
   * remote has no such branch. `haves` are commits the remote may share with
   * us (tip of the tracking ref, our branch): only what is below neither is
   * sent, and nothing at all when the remote's commit is one of them.
   */
  async fetchBranch(branch: string, haves: string[]): Promise<string | null> {
    const { fs, codec, gitdir } = this._options;
    try {
      const shallow: string = await fs.promises
        .readFile(join(gitdir, 'shallow'), 'utf8')
        .catch(() => '');
      const fetched = await fetchRef({
        http: this._http,
        url: this.remote.url,
        ref: `refs/heads/${branch}`,
        haves,
        shallow: shallow.split('\n').filter(Boolean)
      });
      if (fetched?.pack) {
        await storeReceivedPack(fs, codec, gitdir, fetched.pack);
      }
      return fetched?.oid ?? null;
    } catch (error) {
      throw toRemoteError(error, this.secrets);
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
        http: ownRefOnly(this._http, `refs/heads/${branch}`),
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
      throw toRemoteError(error, this.secrets);
    }
  }

  /** Aborts any request under way; the transport is not used again. */
  close(): void {
    this._closed.abort();
  }

  /** Options of every push; a new fs view each, as it caches for one transfer. */
  private _common(view: ITransferView) {
    const { fs, gitdir, cache } = this._options;
    return {
      fs: objectsOnlyFs(fs, gitdir, view),
      gitdir,
      cache,
      url: this.remote.url,
      remote: REMOTE_NAME
    };
  }
}

export namespace RemoteTransport {
  export interface IOptions {
    fs: IFileSystem;
    codec: ICodec;
    gitdir: string;
    cache: object;
    http: HttpClient;
    remote: IRemote;
    /** Longest wait for the remote to start answering, or to send the next chunk. */
    timeoutMs: number;
  }
}
