/**
 * The REST models of docs/rest-api.md, as the server's routes answer them and
 * as every client (the REST one, an in-page engine) gives them to the UI.
 */
import type { IAuthor, ICheckpoint, IDeletedFile } from '../engine/api';

/** `GET deleted/{folder}` lists these: a file deleted under a folder, with its last version. */
export type { IAuthor, ICheckpoint, IDeletedFile };

/** One checkpoint with the fields the rich history route adds. */
export interface IRichCheckpoint extends ICheckpoint {
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

/** The remote's part of the status. Never holds a secret. */
export interface IPushStatus {
  /** The remote's URL (without credentials), null when local only. */
  remote: string | null;
  state: PushState;
  /** Commits on the branch that the remote does not have (as last known). */
  pending: number;
  /** ISO time of the last successful push. */
  last_push: string | null;
  /** Why the last push or fetch failed (never a secret). */
  last_error: string | null;
}

/** `GET status`: the repository's part and the remote's. */
export interface IStatus extends IPushStatus {
  /** Directory of the working tree. */
  repository: string;
  branch: string;
  head: string | null;
  /** ISO time of the head commit, null before the first checkpoint. */
  last_checkpoint: string | null;
  /** Why checkpoints fail now (disk full, locked by git, ...); null once one works again. */
  checkpoint_error: ICheckpointFailure | null;
  /** Bytes the repository (`.git`) takes on disk. */
  size_on_disk: number;
  /** Remotes in .git/config whose URL holds a password (added by the server extension). */
  credentials_in_url?: string[];
}

/** The status's `checkpoint_error`. */
export interface ICheckpointFailure {
  /** The engine's error code: `DiskFull`, `Locked`, `PermissionDenied`, ... */
  code: string;
  message: string;
  /** ISO time: when the lock was taken (`Locked`), else the first failure in a row. */
  since: string;
}

/** `PUT remote`: null fields fall through to the server's configuration. */
export interface IRemoteSettingsUpdate {
  url: string | null;
  username: string | null;
  email: string | null;
  /** DEPLOY_ENV, part of the branch name. */
  environment: string | null;
  /** Push after each checkpoint. */
  push: boolean | null;
  /** Browser mode: the CORS proxy the remote is reached through (absent: unchanged, null: none). */
  cors_proxy?: string | null;
}

/** The update that leaves every field to the server's configuration. */
export const UNSET_REMOTE_SETTINGS: IRemoteSettingsUpdate = {
  url: null,
  username: null,
  email: null,
  environment: null,
  push: null
};

/** The fields a user may set (`PUT remote`), in the order the API lists them. */
export const REMOTE_SETTING_FIELDS = Object.keys(
  UNSET_REMOTE_SETTINGS
) as Array<keyof IRemoteSettingsUpdate>;

/** `GET/PUT remote`: the effective non-secret remote configuration. */
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

/** `GET timeline/{path}?limit=&cursor=`: one page of a file's checkpoints, newest first. */
export interface ITimelinePage {
  path: string;
  checkpoints: IRichCheckpoint[];
  /** Pass it as `cursor` for the next page; null after the last one. */
  cursor: string | null;
}
