import * as fs from 'node:fs';
import {
  HISTORY_LENGTH,
  type EngineMethod,
  type EngineParams,
  type IEngineResults,
  type IRichCheckpoint,
  type IStatus
} from '../contract';
import {
  CheckpointEngine,
  CheckpointHealth,
  InvalidArgumentError,
  typedIOError,
  NotAmendableError,
  type ICheckpoint
} from '../engine';

import type { IHostConfig } from './hostConfig';
import type { Log } from './log';
import { nodeCodec } from './nodeCodec';
import { pausePoints } from './pausePoints';
import { processOwner } from './processOwner';
import { RemoteHost, type IRemoteConfig } from './remoteHost';
import { readParams, type Params } from './params';

/** One implementation per method of the contract's table, given its checked params. */
type Methods = {
  [M in EngineMethod]: (params: EngineParams<M>) => Promise<IEngineResults[M]>;
};

/**
 * The engine process's methods (src/contract/engineMethods.ts): each request's
 * params are checked against the table, then the engine is called. Content
 * crosses as base64.
 */
export class EngineHost {
  private readonly _methods: Methods = {
    create: p => this._health.track(this._create(p)),
    list: p => this._list(p),
    read: p => this._read(p),
    restore: p =>
      this._health.track(this.engine.restoreCheckpoint(p.path, p.id)),
    hide: p => this._health.track(this.engine.hideCheckpoint(p.path, p.id)),
    rename: p =>
      this._health.track(this.engine.renameFile(p.oldPath, p.newPath)),
    delete: p => this._health.track(this.engine.deleteFile(p.path)),
    status: () => this.status(),
    push: async () => {
      this.remote.push();
      return this.status();
    },
    configure: p => this._configure(p),
    page: p => this._page(p),
    deleted: p => this.engine.deletedFiles(p.dir ?? ''),
    recover: p => this._health.track(this.engine.recoverFile(p.path, p.id)),
    renameCheckpoint: p => this._health.track(this._renameCheckpoint(p))
  };

  private readonly _health = new CheckpointHealth();

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
      owner: processOwner(),
      onRepair: repaired => {
        for (const line of repaired) {
          log('info', `self-check: ${line}`);
        }
      },
      pause: pausePoints(process.env)
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
    if (!Object.hasOwn(this._methods, method)) {
      throw new InvalidArgumentError(`Unknown method '${method}'`, { method });
    }
    const name = method as EngineMethod;
    const run = this._methods[name] as (params: unknown) => Promise<unknown>;
    return run(readParams(name, params)).catch(async error => {
      throw await typedIOError(error, fs, this.engine.dir);
    });
  }

  async status(): Promise<IStatus> {
    const local = await this.engine.status();
    return {
      repository: local.dir,
      branch: local.branch,
      head: local.head,
      last_checkpoint: local.last_checkpoint,
      size_on_disk: await this.engine.sizeOnDisk(),
      ...this.remote.status(),
      checkpoint_error: this._health.failure
    };
  }

  async dispose(): Promise<void> {
    await this.remote.dispose();
    await this.engine.dispose();
  }

  /** Only the fields given change. */
  private async _configure(
    params: EngineParams<'configure'>
  ): Promise<IStatus> {
    const changes: Partial<IRemoteConfig> = {};
    if (params.password !== undefined) {
      changes.password = params.password;
    }
    if (params.remote !== undefined) {
      changes.url = params.remote?.url ?? null;
      changes.username = params.remote?.username ?? null;
    }
    if (params.push !== undefined) {
      changes.push = params.push;
    }
    this.remote.update(changes);
    return this.status();
  }

  private async _create(
    params: EngineParams<'create'>
  ): Promise<ICheckpoint | IRichCheckpoint> {
    const checkpoint = await this.engine.createCheckpoint(params.path, {
      message: params.message
    });
    return params.pushed
      ? (await this._withPushed([checkpoint]))[0]
      : checkpoint;
  }

  private async _list(
    params: EngineParams<'list'>
  ): Promise<Array<ICheckpoint | IRichCheckpoint>> {
    // An absent limit is the engine's default (HISTORY_LENGTH).
    const checkpoints = await this.engine.listCheckpoints(
      params.path,
      params.limit
    );
    return params.pushed ? this._withPushed(checkpoints) : checkpoints;
  }

  /** One page, newest first, with `pushed` on each. */
  private async _page(
    params: EngineParams<'page'>
  ): Promise<{ checkpoints: IRichCheckpoint[]; cursor: string | null }> {
    const page = await this.engine.checkpointPage(params.path, {
      limit: params.limit ?? HISTORY_LENGTH,
      cursor: params.cursor ?? null
    });
    return { ...page, checkpoints: await this._withPushed(page.checkpoints) };
  }

  /** Refused once the remote has the commit (its message is shared then). */
  private async _renameCheckpoint(
    params: EngineParams<'renameCheckpoint'>
  ): Promise<IRichCheckpoint> {
    if ((await this.remote.isPushed([params.id]))[0]) {
      throw new NotAmendableError(params.id, 'pushed');
    }
    const checkpoint = await this.engine.renameCheckpoint(
      params.path,
      params.id,
      params.message
    );
    return (await this._withPushed([checkpoint]))[0];
  }

  private async _read(
    params: EngineParams<'read'>
  ): Promise<{ content: string }> {
    const bytes = await this.engine.readCheckpoint(params.path, params.id);
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
