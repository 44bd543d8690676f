/**
 * Contracts of the frontend: the REST models of docs/rest-api.md, the client
 * interface and the tokens the plugins provide. No implementation here.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import type {
  ICheckpointContent,
  IDeletedFile,
  IHistory,
  ITimelinePage,
  IRemoteSettings,
  IRemoteSettingsUpdate,
  IRichCheckpoint,
  IStatus
} from './contract';

// The REST models are declared once, in the contract; the UI imports them from here.
export type {
  ICheckpointContent,
  ICheckpointFailure,
  IDeletedFile,
  IHistory,
  ITimelinePage,
  IPushStatus,
  IRemoteSettings,
  IRemoteSettingsUpdate,
  IRichCheckpoint,
  IStatus,
  PushState
} from './contract';

/**
 * Everything the UI asks of the checkpoint engine, whichever host runs it: the
 * REST client of the server extension, or an engine in the page. Paths are
 * server paths (no drive). Failures reject with an error carrying the
 * contract's `code` and HTTP `status`.
 */
export interface IGitCheckpointsClient {
  /** The file's last `limit` checkpoints (default: the server's history length), oldest first. */
  history(path: string, limit?: number): Promise<IHistory>;
  /** One file as it was in one checkpoint. */
  content(path: string, id: string): Promise<ICheckpointContent>;
  createCheckpoint(path: string, message?: string): Promise<IRichCheckpoint>;
  /** Writes a checkpoint back to the file (and commits it, so a restore can be undone). */
  restoreCheckpoint(path: string, id: string): Promise<void>;
  status(): Promise<IStatus>;
  push(): Promise<IStatus>;
  getRemote(): Promise<IRemoteSettings>;
  setRemote(settings: IRemoteSettingsUpdate): Promise<IRemoteSettings>;
  setPassword(password: string): Promise<void>;
  /** Takes credentials out of remote URLs in .git/config (server mode only). */
  moveUrlCredentials?(): Promise<{ moved: string[] }>;
  /** One page of the file's checkpoints, newest first, after `cursor`. */
  timeline(
    path: string,
    options?: { limit?: number; cursor?: string | null }
  ): Promise<ITimelinePage>;
  /** Files deleted under a folder ('' for the root), newest deletion first. */
  deletedFiles(folder: string): Promise<IDeletedFile[]>;
  /** Writes a deleted file's version back and commits it; its history continues. */
  recover(path: string, id: string): Promise<IRichCheckpoint>;
  /** A new message for the branch's last checkpoint, if not pushed (409 NotAmendable otherwise). */
  renameCheckpoint(
    path: string,
    id: string,
    message: string
  ): Promise<IRichCheckpoint>;
}

export const IGitCheckpointsClient = new Token<IGitCheckpointsClient>(
  'jupyterlab-git-checkpoints:IGitCheckpointsClient',
  'The client of the git checkpoint engine (REST or in the page).'
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
