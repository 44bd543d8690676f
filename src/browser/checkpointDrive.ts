import type {
  Contents,
  IContentProviderRegistry,
  ServerConnection
} from '@jupyterlab/services';
import type { ISignal } from '@lumino/signaling';
import type { BrowserRepository } from './browserRepository';

/**
 * A drive whose checkpoints are git commits: everything else is the wrapped
 * drive's (JupyterLite's BrowserStorageDrive), so files, kernels' access to
 * them and the site's own files work as before. Rename and delete are commits too.
 */
export class CheckpointDrive implements Contents.IDrive {
  constructor(private readonly _repository: BrowserRepository) {
    this._drive = _repository.drive;
  }

  get name(): string {
    return this._drive.name;
  }

  get serverSettings(): ServerConnection.ISettings {
    return this._drive.serverSettings;
  }

  get sharedModelFactory(): Contents.ISharedFactory | undefined {
    return this._drive.sharedModelFactory;
  }

  get contentProviderRegistry(): IContentProviderRegistry | undefined {
    return this._drive.contentProviderRegistry;
  }

  get fileChanged(): ISignal<Contents.IDrive, Contents.IChangedArgs> {
    return this._drive.fileChanged;
  }

  get isDisposed(): boolean {
    return this._drive.isDisposed;
  }

  get(
    path: string,
    options?: Contents.IFetchOptions
  ): Promise<Contents.IModel> {
    return this._drive.get(path, options);
  }

  getDownloadUrl(path: string): Promise<string> {
    return this._drive.getDownloadUrl(path);
  }

  newUntitled(options?: Contents.ICreateOptions): Promise<Contents.IModel> {
    return this._drive.newUntitled(options);
  }

  async save(
    path: string,
    options?: Partial<Contents.IModel> & Contents.IContentProvisionOptions
  ): Promise<Contents.IModel> {
    this._repository.noteSaved(path, null);
    const model = await this._drive.save(path, options);
    // A whole file (not one chunk of an upload) is what the drive now holds.
    const { type, format, content, chunk } = options ?? {};
    if (type && format && content !== undefined && !chunk) {
      this._repository.noteSaved(path, { type, format, content });
    }
    return model;
  }

  copy(path: string, toDir: string): Promise<Contents.IModel> {
    return this._drive.copy(path, toDir);
  }

  async delete(path: string): Promise<void> {
    this._repository.noteSaved(path, null);
    await this._drive.delete(path);
    await this._repository.call('deleteFile', path);
  }

  async rename(oldPath: string, newPath: string): Promise<Contents.IModel> {
    this._repository.noteSaved(oldPath, null);
    const model = await this._drive.rename(oldPath, newPath);
    await this._repository.call('renameFile', oldPath, newPath);
    return model;
  }

  async createCheckpoint(path: string): Promise<Contents.ICheckpointModel> {
    return Private.model(await this._repository.checkpoint(path));
  }

  async listCheckpoints(path: string): Promise<Contents.ICheckpointModel[]> {
    const list = await this._repository.call('listCheckpoints', path, 10);
    return list.map(Private.model);
  }

  restoreCheckpoint(path: string, id: string): Promise<void> {
    return this._repository.restore(path, id);
  }

  deleteCheckpoint(path: string, id: string): Promise<void> {
    return this._repository.call('hideCheckpoint', path, id);
  }

  dispose(): void {
    this._repository.dispose();
    this._drive.dispose();
  }

  private _drive: Contents.IDrive;
}

namespace Private {
  /** Exactly Jupyter's checkpoint model: id and time. */
  export function model(checkpoint: {
    id: string;
    last_modified: string;
  }): Contents.ICheckpointModel {
    return { id: checkpoint.id, last_modified: checkpoint.last_modified };
  }
}
