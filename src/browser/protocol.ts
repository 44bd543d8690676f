/**
 * What crosses between the page and the engine worker: the method table the
 * worker serves, and the messages that carry one call each way.
 */
import type { IErrorJSON } from '../engine/errors';
import type { ContentBytes } from './contentBytes';
import type {
  IDeletedFile,
  IRemoteSettings,
  IRemoteSettingsUpdate,
  IRichCheckpoint,
  IStatus
} from '../tokens';

/** How the worker opens the repository (sent once, first). */
export interface IOpenOptions {
  /** The IndexedDB database lightning-fs keeps the repository in. */
  database: string;
  /** The branch of a new repository. */
  branch: string;
  author: { name: string; email: string };
}

/**
 * The engine as the page sees it. Paths are drive paths (no drive prefix);
 * file content crosses as bytes (transferred, not copied).
 */
export interface IEngineWorker {
  /** Opens the repository (or waits for it in the background while another tab holds it). */
  open(options: IOpenOptions): Promise<void>;
  /**
   * Writes `content` into the repository's working tree and commits it: bytes,
   * or a contents model, serialised here so the page's main thread does not
   * stringify a large notebook.
   */
  createCheckpoint(
    path: string,
    content: Uint8Array | ContentBytes.IModel,
    message?: string
  ): Promise<IRichCheckpoint>;
  /** Oldest first, as Jupyter lists checkpoints. */
  listCheckpoints(path: string, limit: number): Promise<IRichCheckpoint[]>;
  readCheckpoint(path: string, id: string): Promise<Uint8Array>;
  /** Commits the checkpoint's version of the file and returns its content. */
  restoreCheckpoint(path: string, id: string): Promise<Uint8Array>;
  hideCheckpoint(path: string, id: string): Promise<void>;
  /** One page of the file's checkpoints, newest first, after `cursor`. */
  checkpointPage(
    path: string,
    limit: number,
    cursor: string | null
  ): Promise<{ checkpoints: IRichCheckpoint[]; cursor: string | null }>;
  /** Files deleted under a folder ('' for the root), newest deletion first. */
  deletedFiles(folder: string): Promise<IDeletedFile[]>;
  /** Commits a deleted file's version at its old path and returns its content. */
  recoverFile(
    path: string,
    id: string
  ): Promise<{ checkpoint: IRichCheckpoint; content: Uint8Array }>;
  renameCheckpoint(
    path: string,
    id: string,
    message: string
  ): Promise<IRichCheckpoint>;
  renameFile(oldPath: string, newPath: string): Promise<void>;
  deleteFile(path: string): Promise<void>;
  status(): Promise<IStatus>;
  push(): Promise<IStatus>;
  getRemote(): Promise<IRemoteSettings>;
  setRemote(settings: IRemoteSettingsUpdate): Promise<IRemoteSettings>;
  setPassword(password: string): Promise<void>;
  /** The repository's `.git` as a zip archive. */
  exportRepository(): Promise<Uint8Array>;
  /**
   * Once the fetch under way (if any) is done: the files the remote brought
   * since the last call, as the branch holds them now (none it has since
   * changed or deleted here), for the page to write where the drive lacks them.
   */
  fetchedFiles(): Promise<IFetchedFile[]>;
  /** A blob's bytes (a fetched file's content). */
  readBlob(oid: string): Promise<Uint8Array>;
  /** Replaces the repository with an exported one; returns the files of its HEAD. */
  importRepository(archive: Uint8Array): Promise<IFileVersion[]>;
}

/** A file a fetch brought: its path and blob id. */
export interface IFetchedFile {
  path: string;
  oid: string;
}

/** One file as a commit has it. */
export interface IFileVersion {
  path: string;
  content: Uint8Array;
}

export type EngineMethod = keyof IEngineWorker;

/** Page -> worker: one call. */
export interface IRequest {
  id: number;
  method: EngineMethod;
  args: unknown[];
}

/** Worker -> page: the answer to call `id`. */
export type IResponse =
  { id: number; result: unknown } | { id: number; error: IErrorJSON };
