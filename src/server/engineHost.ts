import * as fs from 'node:fs';
import {
  CheckpointEngine,
  InvalidArgumentError,
  type ICheckpoint
} from '../engine';
import type { IHostConfig } from './hostConfig';
import type { Log } from './log';
import { nodeCodec } from './nodeCodec';
import { RemoteHost, type IRemoteConfig } from './remoteHost';
import {
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredString,
  type Params
} from './params';

/** docs/rest-api.md `IStatus`. */
export interface IStatus {
  repository: string;
  branch: string;
  head: string | null;
  last_checkpoint: string | null;
  remote: string | null;
  state: 'local' | 'pushed' | 'pending' | 'pushing' | 'failing' | 'diverged';
  pending: number;
  last_push: string | null;
  last_error: string | null;
  size_on_disk: number;
}

/** A checkpoint with whether the remote has it (the extra routes' `IRichCheckpoint`). */
export interface IRichCheckpoint extends ICheckpoint {
  pushed: boolean;
}

/**
 * The engine process's methods: each takes the request's params, checks them,
 * and calls the engine. Content crosses as base64.
 */
export class EngineHost {
  private readonly _methods: Record<
    string,
    (params: Params) => Promise<unknown>
  > = {
    create: p => this._create(p),
    list: p => this._list(p),
    read: p => this._read(p),
    restore: p =>
      this.engine.restoreCheckpoint(
        requiredString(p, 'path'),
        requiredString(p, 'id')
      ),
    hide: p =>
      this.engine.hideCheckpoint(
        requiredString(p, 'path'),
        requiredString(p, 'id')
      ),
    rename: p =>
      this.engine.renameFile(
        requiredString(p, 'oldPath'),
        requiredString(p, 'newPath')
      ),
    delete: p => this.engine.deleteFile(requiredString(p, 'path')),
    status: () => this.status(),
    push: () => {
      this.remote.push();
      return this.status();
    },
    configure: p => this._configure(p)
  };

  private constructor(
    readonly engine: CheckpointEngine,
    readonly remote: RemoteHost
  ) {}

  static async open(config: IHostConfig, log: Log): Promise<EngineHost> {
    const engine = await CheckpointEngine.open({
      fs,
      dir: config.dir,
      codec: nodeCodec,
      author: config.author,
      branch: config.branch,
      maxFileSize: config.maxFileSize,
      owner: { pid: process.pid, isAlive }
    });
    const remote = new RemoteHost(
      engine,
      {
        url: config.remoteUrl,
        username: config.remoteUsername,
        password: null,
        push: config.push
      },
      log,
      config.awaitPassword
    );
    return new EngineHost(engine, remote);
  }

  handle(method: string, params: Params): Promise<unknown> {
    const run = Object.hasOwn(this._methods, method)
      ? this._methods[method]
      : undefined;
    if (!run) {
      throw new InvalidArgumentError(`Unknown method '${method}'`, { method });
    }
    return run(params);
  }

  async status(): Promise<IStatus> {
    const local = await this.engine.status();
    return {
      repository: local.dir,
      branch: local.branch,
      head: local.head,
      last_checkpoint: local.last_checkpoint,
      size_on_disk: await this.engine.sizeOnDisk(),
      ...this.remote.status()
    };
  }

  async dispose(): Promise<void> {
    await this.remote.dispose();
    await this.engine.dispose();
  }

  /**
   * `{password?, remote?: {url, username?} | null, push?}`: only the fields
   * given change. Secrets arrive this way, never through argv or the environment.
   */
  private async _configure(params: Params): Promise<IStatus> {
    const changes: Partial<IRemoteConfig> = {};
    if ('password' in params) {
      changes.password = optionalString(params, 'password') ?? null;
    }
    if ('remote' in params) {
      const remote = params.remote;
      if (
        remote !== null &&
        (typeof remote !== 'object' || Array.isArray(remote))
      ) {
        throw new InvalidArgumentError("'remote' must be an object or null", {
          field: 'remote'
        });
      }
      changes.url = remote ? requiredString(remote as Params, 'url') : null;
      changes.username = remote
        ? (optionalString(remote as Params, 'username') ?? null)
        : null;
    }
    if ('push' in params) {
      changes.push = optionalBoolean(params, 'push') ?? true;
    }
    this.remote.update(changes);
    return this.status();
  }

  private async _create(
    params: Params
  ): Promise<ICheckpoint | IRichCheckpoint> {
    const checkpoint = await this.engine.createCheckpoint(
      requiredString(params, 'path'),
      {
        message: optionalString(params, 'message')
      }
    );
    return optionalBoolean(params, 'pushed')
      ? (await this._withPushed([checkpoint]))[0]
      : checkpoint;
  }

  private async _list(
    params: Params
  ): Promise<Array<ICheckpoint | IRichCheckpoint>> {
    const checkpoints = await this.engine.listCheckpoints(
      requiredString(params, 'path'),
      optionalInteger(params, 'limit') ?? 10
    );
    return optionalBoolean(params, 'pushed')
      ? this._withPushed(checkpoints)
      : checkpoints;
  }

  private async _read(params: Params): Promise<{ content: string }> {
    const bytes = await this.engine.readCheckpoint(
      requiredString(params, 'path'),
      requiredString(params, 'id')
    );
    return {
      content: Buffer.from(
        bytes.buffer,
        bytes.byteOffset,
        bytes.byteLength
      ).toString('base64')
    };
  }

  private async _withPushed(
    checkpoints: ICheckpoint[]
  ): Promise<IRichCheckpoint[]> {
    const pushed = await this.remote.isPushed(checkpoints.map(c => c.id));
    return checkpoints.map((checkpoint, i) => ({
      ...checkpoint,
      pushed: pushed[i]
    }));
  }
}

/** Whether a process runs (signal 0 checks without sending); EPERM means it runs as someone else. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: any) {
    return error?.code === 'EPERM';
  }
}
