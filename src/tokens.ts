/**
 * Contracts of the frontend: the REST models of docs/rest-api.md, the client
 * interface and the tokens the plugins provide. No implementation here.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

/** One checkpoint with the fields the rich history route adds. */
export interface IRichCheckpoint {
  /** The commit hash. */
  id: string;
  /** ISO 8601 UTC, equal to the standard checkpoint API's. */
  last_modified: string;
  /** The commit message's first line. */
  message: string;
  author: { name: string; email: string };
  /** Reachable from the remote branch. */
  pushed: boolean;
}

/** `GET history/{path}`: oldest first. */
export interface IHistory {
  path: string;
  checkpoints: IRichCheckpoint[];
}

/** `GET content/{path}?id=`: one file as it was in one checkpoint. */
export interface ICheckpointContent {
  path: string;
  id: string;
  format: 'text' | 'base64';
  content: string;
}

/** Where the push to the remote stands. */
export type PushState =
  'local' | 'pushed' | 'pending' | 'pushing' | 'failing' | 'diverged';

/** `GET status`. */
export interface IStatus {
  /** Directory of the working tree. */
  repository: string;
  branch: string;
  head: string | null;
  /** ISO time of the head commit, null before the first checkpoint. */
  last_checkpoint: string | null;
  /** URL without credentials, null when local only. */
  remote: string | null;
  state: PushState;
  /** Commits on the branch not on the remote. */
  pending: number;
  last_push: string | null;
  /** Why the last push or fetch failed (never a secret). */
  last_error: string | null;
  /** Bytes the repository (`.git`) takes on disk. */
  size_on_disk: number;
}

/** `GET/PUT remote`: the non-secret remote configuration. */
export interface IRemoteSettings {
  url: string | null;
  username: string | null;
  email: string | null;
  /** DEPLOY_ENV, part of the branch name. */
  environment: string | null;
  /** Push after each checkpoint. */
  push: boolean;
  has_password: boolean;
}

/** `PUT remote`: null fields fall through to the server's configuration. */
export interface IRemoteSettingsUpdate {
  url: string | null;
  username: string | null;
  email: string | null;
  environment: string | null;
  push: boolean | null;
}

/** The REST client of the `git-checkpoints/` routes. Paths are server paths (no drive). */
export interface IGitCheckpointsClient {
  history(path: string, limit?: number): Promise<IHistory>;
  content(path: string, id: string): Promise<ICheckpointContent>;
  createCheckpoint(path: string, message?: string): Promise<IRichCheckpoint>;
  status(): Promise<IStatus>;
  push(): Promise<IStatus>;
  getRemote(): Promise<IRemoteSettings>;
  setRemote(settings: IRemoteSettingsUpdate): Promise<IRemoteSettings>;
  setPassword(password: string): Promise<void>;
}

export const IGitCheckpointsClient = new Token<IGitCheckpointsClient>(
  'jupyterlab-git-checkpoints:IGitCheckpointsClient',
  'The REST client of the git checkpoints server extension.'
);

/** The repository status as the frontend last saw it, refreshed without tight polling. */
export interface ICheckpointStatus {
  /** The last status received, null before the first answer. */
  readonly status: IStatus | null;
  /** Why the last refresh failed, null when it succeeded. */
  readonly error: string | null;
  /** Emitted after each refresh, successful or not. */
  readonly changed: ISignal<ICheckpointStatus, void>;
  /** Refresh now and watch closely for a while: call after a save or a checkpoint. */
  kick(): void;
  /** Ask the server to push now. */
  pushNow(): Promise<void>;
}

export const ICheckpointStatus = new Token<ICheckpointStatus>(
  'jupyterlab-git-checkpoints:ICheckpointStatus',
  'The git checkpoints repository status (branch, last checkpoint, push state).'
);
