import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import {
  ICheckpointContent,
  IDeletedFile,
  IGitCheckpointsClient,
  IHistory,
  IRemoteSettings,
  IRemoteSettingsUpdate,
  IRichCheckpoint,
  IStatus,
  ITimelinePage
} from '../tokens';

/**
 * The REST client of `{base_url}git-checkpoints/`.
 *
 * `ServerConnection.makeRequest` adds the token and the XSRF header; a failed
 * request throws a `GitCheckpointsClient.RequestError` carrying the server's message.
 */
export class GitCheckpointsClient implements IGitCheckpointsClient {
  constructor(options: GitCheckpointsClient.IOptions = {}) {
    this.serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
  }

  readonly serverSettings: ServerConnection.ISettings;

  history(path: string, limit?: number): Promise<IHistory> {
    const query = limit === undefined ? '' : `?limit=${limit}`;
    return this._request(`history/${URLExt.encodeParts(path)}${query}`);
  }

  content(path: string, id: string): Promise<ICheckpointContent> {
    return this._request(
      `content/${URLExt.encodeParts(path)}?id=${encodeURIComponent(id)}`
    );
  }

  createCheckpoint(path: string, message?: string): Promise<IRichCheckpoint> {
    return this._request(`checkpoints/${URLExt.encodeParts(path)}`, {
      method: 'POST',
      body: JSON.stringify(message ? { message } : {})
    });
  }

  /** Through the standard checkpoint API, which the server extension puts on git. */
  async restoreCheckpoint(path: string, id: string): Promise<void> {
    await this._send(
      URLExt.join(
        'api/contents',
        URLExt.encodeParts(path),
        'checkpoints',
        encodeURIComponent(id)
      ),
      { method: 'POST' }
    );
  }

  status(): Promise<IStatus> {
    return this._request('status');
  }

  push(): Promise<IStatus> {
    return this._request('push', { method: 'POST', body: '{}' });
  }

  getRemote(): Promise<IRemoteSettings> {
    return this._request('remote');
  }

  setRemote(settings: IRemoteSettingsUpdate): Promise<IRemoteSettings> {
    return this._request('remote', {
      method: 'PUT',
      body: JSON.stringify(settings)
    });
  }

  moveUrlCredentials(): Promise<{ moved: string[] }> {
    return this._request('remote/url-credentials', { method: 'POST' });
  }

  async setPassword(password: string): Promise<void> {
    await this._request('remote/password', {
      method: 'PUT',
      body: JSON.stringify({ password })
    });
  }

  timeline(
    path: string,
    options: { limit?: number; cursor?: string | null } = {}
  ): Promise<ITimelinePage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    if (options.cursor) {
      query.set('cursor', options.cursor);
    }
    const search = query.toString();
    return this._request(
      `timeline/${URLExt.encodeParts(path)}${search ? `?${search}` : ''}`
    );
  }

  async deletedFiles(folder: string): Promise<IDeletedFile[]> {
    const answer = await this._request<{ files: IDeletedFile[] }>(
      `deleted/${URLExt.encodeParts(folder)}`
    );
    return answer.files;
  }

  recover(path: string, id: string): Promise<IRichCheckpoint> {
    return this._request(`recover/${URLExt.encodeParts(path)}`, {
      method: 'POST',
      body: JSON.stringify({ id })
    });
  }

  renameCheckpoint(
    path: string,
    id: string,
    message: string
  ): Promise<IRichCheckpoint> {
    return this._request(`checkpoints/${URLExt.encodeParts(path)}`, {
      method: 'PATCH',
      body: JSON.stringify({ id, message })
    });
  }

  /** A request to one of the `git-checkpoints/` routes. */
  private _request<T>(endpoint: string, init: RequestInit = {}): Promise<T> {
    return this._send(URLExt.join('git-checkpoints', endpoint), init);
  }

  private async _send<T>(endpoint: string, init: RequestInit): Promise<T> {
    const url = URLExt.join(this.serverSettings.baseUrl, endpoint);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        url,
        init,
        this.serverSettings
      );
    } catch (error) {
      throw new GitCheckpointsClient.RequestError(
        0,
        'NetworkError',
        (error as Error).message
      );
    }
    const text = await response.text();
    const body = text ? Private.parse(text) : null;
    if (!response.ok) {
      throw GitCheckpointsClient.RequestError.fromResponse(response, body);
    }
    return body as T;
  }
}

export namespace GitCheckpointsClient {
  export interface IOptions {
    serverSettings?: ServerConnection.ISettings;
  }

  /** A failed request: HTTP status, the engine's error code and the server's message. */
  export class RequestError extends Error {
    constructor(
      readonly status: number,
      readonly code: string,
      message: string
    ) {
      super(message);
      this.name = 'GitCheckpointsRequestError';
    }

    /**
     * Builds the error from an answer `{code, message}` (the extra routes) or
     * `{message, reason}` (Jupyter's API, whose reason is our code when the
     * checkpoint engine refused).
     */
    static fromResponse(response: Response, body: unknown): RequestError {
      const json = (body ?? {}) as {
        code?: string;
        message?: string;
        reason?: string;
      };
      const message =
        json.message ||
        json.reason ||
        `${response.status} ${response.statusText}`;
      return new RequestError(
        response.status,
        json.code ?? json.reason ?? 'HTTPError',
        message
      );
    }
  }
}

namespace Private {
  export function parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return { message: text };
    }
  }
}
