import LightningFS from '@isomorphic-git/lightning-fs';
import http from 'isomorphic-git/http/web';
import {
  CheckpointEngine,
  CheckpointError,
  CheckpointHealth,
  NotAmendableError,
  type RemoteSync,
  type ICheckpoint,
  type IDeletedFile,
  type IFileSystem
} from '../engine';
import { join } from '../engine/paths';
import type {
  IRemoteSettings,
  IRemoteSettingsUpdate,
  IRichCheckpoint,
  IStatus
} from '../tokens';
import git from 'isomorphic-git';
import { ContentBytes } from './contentBytes';
import { corsProxied } from './corsProxy';
import { GitArchive } from './gitArchive';
import { TabLock } from './tabLock';
import { lightningFs } from './lightningFs';
import type {
  IEngineWorker,
  IFetchedFile,
  IFileVersion,
  IOpenOptions
} from './protocol';
import { webCodec } from './webCodec';

/** The working tree in lightning-fs; the repository is `/drive/.git`. */
const DIR = '/drive';

/**
 * The engine in the worker: one repository in lightning-fs (IndexedDB), the
 * push queue, and the remote settings (kept in the repository, except the
 * password, which lives in this worker's memory only).
 */
export class WorkerEngine implements IEngineWorker {
  private _engine: CheckpointEngine | null = null;
  private _sync: RemoteSync | null = null;
  private _fs: IFileSystem | null = null;
  private _lfs: LightningFS | null = null;
  private _remote: IStoredRemote = EMPTY_REMOTE;
  private _options: IOpenOptions | null = null;
  /** Set while another tab holds the repository: settles once this tab has it. */
  private _waiting: Promise<void> | null = null;
  /** Why opening failed after the wait, reported by every call. */
  private _failure: unknown = null;
  private _password: string | null = null;
  /** Why checkpoints fail now, for the status bar (as the server host keeps it). */
  private readonly _health = new CheckpointHealth();
  /** The fetch started by the last remote change; settles when it is done, whatever its outcome. */
  private _syncing: Promise<void> = Promise.resolve();
  /** The remote's tip the drive was last given the files of (`fetchedFiles`). */
  private _seenTip: string | null = null;
  /** `fetchedFiles` calls, one after another, so each change is handed over once. */
  private _handing: Promise<unknown> = Promise.resolve();

  /**
   * Opens the repository, or, while another tab holds it, waits for it in
   * the background: calls fail with `RepositoryBusy` until then.
   */
  async open(options: IOpenOptions): Promise<void> {
    this._options = options;
    const lock = `git-checkpoints:${options.database}`;
    if (await TabLock.tryHold(lock)) {
      await this._load();
    } else {
      this._waiting = TabLock.hold(lock)
        .then(() => this._load())
        .catch(error => {
          this._failure = error;
        });
    }
  }

  fetchedFiles(): Promise<IFetchedFile[]> {
    const files = this._handing.then(() => this._takeFetched());
    this._handing = files.catch(() => undefined);
    return files;
  }

  /**
   * The files that changed between the remote's tip seen last and its tip
   * now, where HEAD holds the tip's version (a file changed or deleted here
   * since is not handed back over the user's work).
   */
  private async _takeFetched(): Promise<IFetchedFile[]> {
    // A second tab hands over what its own fetch brings once it holds the repository.
    await this._waiting;
    if (!this._engine) {
      return [];
    }
    await this._syncing;
    const tip = await this._sync!.trackedTip();
    const seen = this._seenTip;
    this._seenTip = tip;
    const fs = this._fs!;
    const head = await git
      .resolveRef({ fs, dir: DIR, ref: 'HEAD' })
      .catch(() => null);
    if (!tip || tip === seen || !head) {
      return [];
    }
    const trees = [git.TREE({ ref: tip }), git.TREE({ ref: head })];
    if (seen) {
      trees.push(git.TREE({ ref: seen }));
    }
    const files: IFetchedFile[] = await git.walk({
      fs,
      dir: DIR,
      trees,
      map: async (path, [there, here, before]) => {
        const oid = await there?.oid();
        if (!oid || oid === (await before?.oid())) {
          return null; // Not on the remote, or unchanged there: nothing below either.
        }
        if ((await there!.type()) !== 'blob' || oid !== (await here?.oid())) {
          return undefined;
        }
        return { path, oid };
      },
      reduce: async (parent, children) =>
        parent ? [parent, ...children.flat()] : children.flat()
    });
    return files;
  }

  async readBlob(oid: string): Promise<Uint8Array> {
    const { blob } = await git.readBlob({ fs: this._fs!, dir: DIR, oid });
    return blob;
  }

  async exportRepository(): Promise<Uint8Array> {
    const engine = this._open();
    return engine.exclusive(() => GitArchive.pack(engine.fs, engine.gitdir));
  }

  async importRepository(archive: Uint8Array): Promise<IFileVersion[]> {
    const engine = this._open();
    // Closed first: no write may reach the old repository while it is replaced.
    this._engine = null;
    await this._sync!.dispose();
    await engine.dispose();
    try {
      await GitArchive.unpack(engine.fs, engine.gitdir, archive);
      await this._flush();
    } finally {
      await this._start();
    }
    const fs = this._fs!;
    const files: IFileVersion[] = [];
    const head = await git
      .resolveRef({ fs, dir: DIR, ref: 'HEAD' })
      .catch(() => null);
    if (head) {
      for (const path of await git.listFiles({ fs, dir: DIR, ref: head })) {
        const { blob } = await git.readBlob({
          fs,
          dir: DIR,
          oid: head,
          filepath: path
        });
        files.push({ path, content: blob });
      }
    }
    return files;
  }

  /** Reads the file table from IndexedDB (once this tab is the writer), then opens. */
  private async _load(): Promise<void> {
    if (typeof indexedDB === 'undefined') {
      throw new CheckpointError(
        'StorageUnavailable',
        'This browser window keeps no site storage (IndexedDB), as private windows may not: checkpoints are unavailable here.'
      );
    }
    this._lfs = new LightningFS(this._options!.database);
    this._fs = lightningFs(this._lfs);
    await this._fs.promises.mkdir(DIR, { recursive: true });
    await this._start();
  }

  /** Opens the engine and the push queue on the repository in `DIR`. */
  private async _start(): Promise<void> {
    const fs = this._fs!;
    const options = this._options!;
    const engine = await CheckpointEngine.open({
      fs,
      dir: DIR,
      codec: webCodec,
      author: options.author,
      branch: options.branch
    });
    this._engine = engine;
    this._remote = await this._readRemote();
    this._sync = engine.remoteSync({ http: this._http(), remote: null });
    this._seenTip = await this._sync.trackedTip();
    // A push or fetch moves refs: keep them in IndexedDB even if the tab closes next.
    this._sync.onStatusChange(() => void this._flush());
    await this._applyRemote();
  }

  async createCheckpoint(
    path: string,
    content: Uint8Array | ContentBytes.IModel,
    message?: string
  ): Promise<IRichCheckpoint> {
    const checkpoint = await this._health.track(
      this._open().createCheckpoint(path, {
        content:
          content instanceof Uint8Array
            ? content
            : ContentBytes.fromModel(content),
        message
      })
    );
    await this._flush();
    return (await this._withPushed([checkpoint]))[0];
  }

  async listCheckpoints(
    path: string,
    limit: number
  ): Promise<IRichCheckpoint[]> {
    return this._withPushed(await this._open().listCheckpoints(path, limit));
  }

  readCheckpoint(path: string, id: string): Promise<Uint8Array> {
    return this._open().readCheckpoint(path, id);
  }

  async restoreCheckpoint(path: string, id: string): Promise<Uint8Array> {
    const engine = this._open();
    await this._health.track(engine.restoreCheckpoint(path, id));
    await this._flush();
    return engine.readCheckpoint(path, id);
  }

  async hideCheckpoint(path: string, id: string): Promise<void> {
    await this._open().hideCheckpoint(path, id);
    await this._flush();
  }

  async checkpointPage(
    path: string,
    limit: number,
    cursor: string | null
  ): Promise<{ checkpoints: IRichCheckpoint[]; cursor: string | null }> {
    const page = await this._open().checkpointPage(path, { limit, cursor });
    return { ...page, checkpoints: await this._withPushed(page.checkpoints) };
  }

  deletedFiles(folder: string): Promise<IDeletedFile[]> {
    return this._open().deletedFiles(folder);
  }

  async recoverFile(
    path: string,
    id: string
  ): Promise<{ checkpoint: IRichCheckpoint; content: Uint8Array }> {
    const engine = this._open();
    const checkpoint = await this._health.track(engine.recoverFile(path, id));
    await this._flush();
    return {
      checkpoint: (await this._withPushed([checkpoint]))[0],
      content: await engine.readCheckpoint(path, checkpoint.id)
    };
  }

  async renameCheckpoint(
    path: string,
    id: string,
    message: string
  ): Promise<IRichCheckpoint> {
    if ((await this._sync!.isPushed([id]))[0]) {
      throw new NotAmendableError(id, 'pushed');
    }
    const checkpoint = await this._open().renameCheckpoint(path, id, message);
    await this._flush();
    return (await this._withPushed([checkpoint]))[0];
  }

  async renameFile(oldPath: string, newPath: string): Promise<void> {
    await this._health.track(this._open().renameFile(oldPath, newPath));
    await this._flush();
  }

  async deleteFile(path: string): Promise<void> {
    await this._health.track(this._open().deleteFile(path));
    await this._flush();
  }

  async status(): Promise<IStatus> {
    const local = await this._open().status();
    return {
      repository: local.dir,
      branch: local.branch,
      head: local.head,
      last_checkpoint: local.last_checkpoint,
      ...this._sync!.status(),
      checkpoint_error: this._health.failure,
      size_on_disk: await this._open().sizeOnDisk()
    };
  }

  async push(): Promise<IStatus> {
    void this._sync?.pushNow();
    return this.status();
  }

  async getRemote(): Promise<IRemoteSettings> {
    const { url, username, email, environment, push } = this._remote;
    return {
      url,
      username,
      email,
      environment,
      push,
      has_password: this._password !== null
    };
  }

  async setRemote(update: IRemoteSettingsUpdate): Promise<IRemoteSettings> {
    this._remote = {
      url: update.url,
      username: update.username,
      email: update.email,
      environment: update.environment,
      push: update.push ?? true,
      cors_proxy: update.cors_proxy ?? null
    };
    await this._applyRemote();
    await this._open().exclusive(() =>
      this._fs!.promises.writeFile(
        this._remotePath(),
        JSON.stringify(this._remote),
        'utf8'
      )
    );
    await this._flush();
    return this.getRemote();
  }

  async setPassword(password: string): Promise<void> {
    this._password = password || null;
    await this._applyRemote();
  }

  private _open(): CheckpointEngine {
    if (!this._engine) {
      if (this._failure) {
        throw this._failure;
      }
      throw this._waiting
        ? new CheckpointError(
            'RepositoryBusy',
            'Another tab of this site holds the checkpoints repository. Files are still saved here; checkpoints resume in this tab once that one is closed.',
            { reason: 'other tab' }
          )
        : new CheckpointError('RepositoryBusy', 'The repository is not open', {
            reason: 'not open'
          });
    }
    return this._engine;
  }

  /** lightning-fs keeps writes in memory until flushed to IndexedDB. */
  private async _flush(): Promise<void> {
    await (this._lfs as any)?.promises.flush?.();
  }

  private _http() {
    return corsProxied(http, () => this._remote.cors_proxy);
  }

  /** Hands the remote to the push queue; a new remote is fetched first (a fresh browser gets its history). */
  private async _applyRemote(): Promise<void> {
    const { url, username, push } = this._remote;
    const remote =
      url && push
        ? {
            url,
            username: username ?? undefined,
            password: this._password ?? undefined
          }
        : null;
    await this._sync!.configure(remote);
    if (remote) {
      // A failed fetch is in the status, retried like a push: nothing to report here.
      this._syncing = this._sync!.syncOnOpen()
        .then(() => this._flush())
        .catch(() => undefined);
    }
  }

  private async _readRemote(): Promise<IStoredRemote> {
    try {
      return {
        ...EMPTY_REMOTE,
        ...JSON.parse(
          await this._fs!.promises.readFile(this._remotePath(), 'utf8')
        )
      };
    } catch {
      return EMPTY_REMOTE;
    }
  }

  private _remotePath(): string {
    return join(this._open().gitdir, 'gitcheckpoints/browser-remote.json');
  }

  private async _withPushed(
    checkpoints: ICheckpoint[]
  ): Promise<IRichCheckpoint[]> {
    const pushed = await this._sync!.isPushed(checkpoints.map(c => c.id));
    return checkpoints.map((c, i) => ({ ...c, pushed: pushed[i] }));
  }
}

/** The remote settings kept in the repository: never the password. */
interface IStoredRemote {
  url: string | null;
  username: string | null;
  email: string | null;
  environment: string | null;
  push: boolean;
  cors_proxy: string | null;
}

const EMPTY_REMOTE: IStoredRemote = {
  url: null,
  username: null,
  email: null,
  environment: null,
  push: true,
  cors_proxy: null
};
