import type { Contents } from '@jupyterlab/services';
import type { IRichCheckpoint } from '../tokens';
import { ContentBytes } from './contentBytes';
import type {
  EngineMethod,
  IEngineWorker,
  IFileVersion,
  IOpenOptions
} from './protocol';
import { WorkerClient } from './workerClient';

/**
 * The browser's git repository of the files of one drive: the engine runs in a
 * Web Worker on lightning-fs, and each checkpoint commits the drive's current
 * content of the file (so the drive stays the one place the files are edited,
 * and what kernels read).
 */
export class BrowserRepository {
  constructor(options: BrowserRepository.IOptions) {
    this.drive = options.drive;
    this._worker = new WorkerClient(
      options.worker ??
        new Worker(new URL('./worker.js', import.meta.url), {
          name: 'git-checkpoints'
        })
    );
    this.ready = this._worker.call('open', options.open).then(() => undefined);
    // A failure shows on every call; keep it from being reported as unhandled here.
    this.ready.then(
      () => this.bringFetchedFiles(),
      () => undefined
    );
  }

  /** The drive whose files are checkpointed. */
  readonly drive: Contents.IDrive;

  /** Settles once the repository is open. */
  readonly ready: Promise<void>;

  /** Calls the engine once the repository is open. */
  call<M extends EngineMethod>(
    method: M,
    ...args: Parameters<IEngineWorker[M]>
  ): ReturnType<IEngineWorker[M]> {
    return this.ready.then<unknown>(() =>
      this._worker.call(method, ...args)
    ) as ReturnType<IEngineWorker[M]>;
  }

  /**
   * Commits the drive's current content of `path`: the model just saved when
   * the last save was of this file (Ctrl+S saves, then checkpoints), so the
   * page's main thread does not read a large notebook back from IndexedDB.
   */
  async checkpoint(path: string, message?: string): Promise<IRichCheckpoint> {
    const saved = this._saved?.path === path ? this._saved.model : null;
    this._saved = null;
    const { type, format, content } =
      saved ?? (await this.drive.get(path, { content: true }));
    return this.call(
      'createCheckpoint',
      path,
      { type, format, content },
      message
    );
  }

  /** Tells the repository what the drive now holds of `path` (null: unknown, read it again). */
  noteSaved(path: string, model: ContentBytes.IModel | null): void {
    this._saved = model ? { path, model } : null;
  }

  /**
   * Writes a checkpoint's version back to the drive, committed; the version
   * it replaces is committed first so that the restore can be undone.
   */
  async restore(path: string, id: string): Promise<void> {
    await this.checkpoint(path);
    const bytes = await this.call('restoreCheckpoint', path, id);
    const current = await this.drive.get(path, { content: false });
    await this.drive.save(path, ContentBytes.toModel(current, bytes));
  }

  /** Commits a deleted file's last version at its old path and writes it to the drive. */
  async recover(path: string, id: string): Promise<IRichCheckpoint> {
    const { checkpoint, content } = await this.call('recoverFile', path, id);
    await this.drive.save(path, ContentBytes.guessModel(path, content));
    return checkpoint;
  }

  /** The repository's `.git` as a zip archive. */
  async exportArchive(): Promise<Blob> {
    return new Blob([(await this.call('exportRepository')) as BlobPart], {
      type: 'application/zip'
    });
  }

  /** Replaces the repository with an exported one and writes its files to the drive. */
  async importArchive(archive: Uint8Array): Promise<number> {
    const files = await this.call('importRepository', archive);
    await this._write(files);
    return files.length;
  }

  /**
   * Writes the files a fetch brought (a fresh browser's whole branch, or what
   * another browser pushed) where the drive has no such file: a file here is
   * the user's and is never overwritten. Call after the remote changed.
   */
  async bringFetchedFiles(): Promise<void> {
    try {
      const missing: IFileVersion[] = [];
      for (const { path, oid } of await this.call('fetchedFiles')) {
        if (!(await this._exists(path))) {
          missing.push({ path, content: await this.call('readBlob', oid) });
        }
      }
      await this._write(missing);
    } catch (error) {
      // No caller to show it to: the remote's files stay in the history, reachable from the restore dialog.
      console.error(
        'Git checkpoints: writing the fetched files to the drive failed',
        error
      );
    }
  }

  private async _write(files: IFileVersion[]): Promise<void> {
    this._saved = null;
    const made = new Set<string>();
    for (const { path, content } of files) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (!made.has(dir)) {
          made.add(dir);
          if (!(await this._exists(dir))) {
            await this.drive.save(dir, { type: 'directory' });
          }
        }
      }
      await this.drive.save(path, ContentBytes.guessModel(path, content));
    }
  }

  private _exists(path: string): Promise<boolean> {
    return this.drive.get(path, { content: false }).then(
      () => true,
      () => false
    );
  }

  dispose(): void {
    this._worker.dispose();
  }

  private _worker: WorkerClient;
  private _saved: { path: string; model: ContentBytes.IModel } | null = null;
}

export namespace BrowserRepository {
  export interface IOptions {
    drive: Contents.IDrive;
    open: IOpenOptions;
    /** The engine worker (default: the bundled one). */
    worker?: Worker;
  }
}
