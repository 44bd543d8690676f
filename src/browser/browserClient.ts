import { HISTORY_LENGTH } from '../contract';
import type {
  ICheckpointContent,
  IDeletedFile,
  IGitCheckpointsClient,
  IHistory,
  ITimelinePage,
  IRemoteSettings,
  IRemoteSettingsUpdate,
  IRichCheckpoint,
  IStatus
} from '../tokens';
import type { BrowserRepository } from './browserRepository';
import { ContentBytes } from './contentBytes';

/**
 * The UI's client in the browser: the same calls as the REST client, answered
 * by the engine worker instead of a server, so no UI code knows its host.
 */
export class BrowserClient implements IGitCheckpointsClient {
  constructor(private readonly _repository: BrowserRepository) {}

  async history(path: string, limit = HISTORY_LENGTH): Promise<IHistory> {
    const checkpoints = await this._repository.call(
      'listCheckpoints',
      path,
      limit
    );
    return { path, checkpoints };
  }

  async content(path: string, id: string): Promise<ICheckpointContent> {
    const bytes = await this._repository.call('readCheckpoint', path, id);
    const text = Private.asText(bytes);
    const model =
      text === null
        ? ContentBytes.toModel({ type: 'file', format: 'base64' }, bytes)
        : { format: 'text', content: text };
    return {
      path,
      id,
      format: model.format as ICheckpointContent['format'],
      content: model.content as string
    };
  }

  restoreCheckpoint(path: string, id: string): Promise<void> {
    return this._repository.restore(path, id);
  }

  async timeline(
    path: string,
    options: { limit?: number; cursor?: string | null } = {}
  ): Promise<ITimelinePage> {
    const page = await this._repository.call(
      'checkpointPage',
      path,
      options.limit ?? HISTORY_LENGTH,
      options.cursor ?? null
    );
    return { path, ...page };
  }

  deletedFiles(folder: string): Promise<IDeletedFile[]> {
    return this._repository.call('deletedFiles', folder);
  }

  recover(path: string, id: string): Promise<IRichCheckpoint> {
    return this._repository.recover(path, id);
  }

  renameCheckpoint(
    path: string,
    id: string,
    message: string
  ): Promise<IRichCheckpoint> {
    return this._repository.call('renameCheckpoint', path, id, message);
  }

  createCheckpoint(path: string, message?: string): Promise<IRichCheckpoint> {
    return this._repository.checkpoint(path, message);
  }

  status(): Promise<IStatus> {
    return this._repository.call('status');
  }

  push(): Promise<IStatus> {
    return this._repository.call('push');
  }

  getRemote(): Promise<IRemoteSettings> {
    return this._repository.call('getRemote');
  }

  async setRemote(settings: IRemoteSettingsUpdate): Promise<IRemoteSettings> {
    const remote = await this._repository.call('setRemote', settings);
    void this._repository.bringFetchedFiles();
    return remote;
  }

  async setPassword(password: string): Promise<void> {
    await this._repository.call('setPassword', password);
    void this._repository.bringFetchedFiles();
  }
}

namespace Private {
  const decoder = new TextDecoder('utf-8', { fatal: true });

  /** The bytes as text if they are UTF-8, as the REST route decides `format`. */
  export function asText(bytes: Uint8Array): string | null {
    try {
      return decoder.decode(bytes);
    } catch {
      return null;
    }
  }
}
