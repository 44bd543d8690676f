import git from 'isomorphic-git';
import type { ICodec, IFileSystem } from '../api';
import { NotFoundError } from '../errors';
import { fromUtf8 } from '../models/bytes';
import {
  type ICommit,
  type ICommitHeader,
  parseCommit,
  parseCommitHeader
} from '../models/commit';
import { type ITreeEntry, parseTree, serializeTree } from '../models/tree';
import { WriteQueue } from '../locking/writeQueue';
import { join } from '../paths';
import { writeAtomic } from './atomicWrite';
import { ByteCache } from './byteCache';
import { objectId, wrapObject } from '../packs/packFormat';
import { type IRawObject, PackReader } from '../packs/packReader';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** Objects from this size on are stored first and compressed when idle. */
const STORE_FIRST_BYTES = 512 * 1024;
const COMPACT_IDLE_MS = 1000;
const TREE_CACHE_BYTES = 4 << 20;
const COMMIT_CACHE_BYTES = 4 << 20;
const RAW_TREE_CACHE_BYTES = 1 << 20;

/**
 * Reads and writes git objects.
 *
 * Loose objects are read and written here with the host's codec (native zlib
 * and SHA-1 in Node, five times faster than isomorphic-git's JavaScript ones
 * on a 2 MB notebook); packed objects are read through isomorphic-git with one
 * long-lived cache. Writes are atomic: a temporary file renamed into place, so
 * a crash never leaves a truncated object.
 */
export class ObjectStore {
  // Parsed objects, bounded by an estimate of their size in memory.
  private readonly _trees = new ByteCache<ITreeEntry[]>(
    TREE_CACHE_BYTES,
    entries => entries.reduce((sum, e) => sum + e.name.length * 2 + 120, 64)
  );
  private readonly _commits = new ByteCache<ICommit>(
    COMMIT_CACHE_BYTES,
    commit => commit.message.length * 2 + 600
  );
  private readonly _rawTrees = new ByteCache<Uint8Array>(
    RAW_TREE_CACHE_BYTES,
    bytes => bytes.length + 100
  );
  private readonly _packs: PackReader;
  private readonly _pending = new Map<string, Promise<void>>();
  private readonly _uncompressed = new Set<string>();
  private _compactTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly _compaction = new WriteQueue();

  constructor(
    private readonly _fs: IFileSystem,
    private readonly _gitdir: string,
    private readonly _codec: ICodec,
    /** isomorphic-git's pack cache, kept for the engine's life. */
    readonly cache: object = {}
  ) {
    this._packs = new PackReader(_fs, _gitdir, _codec);
  }

  /** The pack reader, for the packer. */
  get packs(): PackReader {
    return this._packs;
  }

  private _loosePath(oid: string): string {
    return join(this._gitdir, `objects/${oid.slice(0, 2)}/${oid.slice(2)}`);
  }

  /**
   * Hashes an object and starts writing it; returns its id at once. The
   * compression and the file write go on while the caller builds the rest of
   * the commit; `flush` waits for them, and must before a ref points at it.
   */
  async write(type: ObjectType, content: Uint8Array): Promise<string> {
    const wrapped = wrapObject(type, content);
    const oid = await this._codec.sha1(wrapped);
    if (!this._pending.has(oid)) {
      const writing = this._writeLoose(oid, wrapped);
      this._pending.set(oid, writing);
      // A failed write stays until a flush has reported it.
      writing.then(
        () => this._pending.delete(oid),
        () => undefined
      );
    }
    return oid;
  }

  /** The id `content` would have as an object, without writing it. */
  hash(type: ObjectType, content: Uint8Array): Promise<string> {
    return objectId(this._codec, type, content);
  }

  /** Waits until every object written so far is on disk; throws if one failed. */
  async flush(): Promise<void> {
    const pending = [...this._pending.entries()];
    const results = await Promise.allSettled(
      pending.map(([, writing]) => writing)
    );
    const failed = results.findIndex(result => result.status === 'rejected');
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        this._pending.delete(pending[i][0]);
      }
    });
    if (failed >= 0) {
      throw (results[failed] as PromiseRejectedResult).reason;
    }
  }

  /**
   * After a failed operation: waits for its object writes still running and
   * forgets those that failed, so that they neither fail the next flush nor
   * stop the same object being written again.
   */
  async discardFailed(): Promise<void> {
    await Promise.allSettled(this._pending.values());
    for (const [oid, writing] of [...this._pending]) {
      if (
        await writing.then(
          () => false,
          () => true
        )
      ) {
        this._pending.delete(oid);
      }
    }
  }

  private async _writeLoose(oid: string, wrapped: Uint8Array): Promise<void> {
    const path = this._loosePath(oid);
    if (await exists(this._fs, path)) {
      return;
    }
    // Compressing a 2 MB notebook takes ~40 ms, most of a checkpoint: large
    // objects are stored uncompressed now (a valid zlib stream, ~2 ms) and
    // compressed when the engine is idle (`compactWhenIdle`).
    const store = this._codec.store;
    const later = store && wrapped.length >= STORE_FIRST_BYTES;
    await this._replaceLoose(
      path,
      later ? await store(wrapped) : await this._codec.deflate(wrapped)
    );
    if (later) {
      this._uncompressed.add(oid);
      this._scheduleCompaction();
    }
  }

  /** Writes a loose object's file through a temporary one renamed into place. */
  private _replaceLoose(path: string, data: Uint8Array): Promise<void> {
    // git's temporary prefix: its prune knows to clean `tmp_obj_*`.
    return writeAtomic(this._fs, path, data, {
      mode: 0o444,
      prefix: 'tmp_obj_'
    });
  }

  private _scheduleCompaction(): void {
    if (this._compactTimer) {
      clearTimeout(this._compactTimer);
    }
    this._compactTimer = setTimeout(() => {
      this._compactTimer = null;
      void this.compact().catch(() => undefined);
    }, COMPACT_IDLE_MS);
    // Pending compaction must not keep a Node process alive.
    (this._compactTimer as { unref?: () => void }).unref?.();
  }

  /**
   * Compresses the objects stored uncompressed, one at a time. The object's
   * content and id do not change, and a reader sees the old file or the new
   * one, both valid. One that git packed and pruned meanwhile is skipped.
   */
  compact(): Promise<void> {
    if (this._compactTimer) {
      clearTimeout(this._compactTimer);
      this._compactTimer = null;
    }
    return this._compaction.run(async () => {
      for (const oid of [...this._uncompressed]) {
        this._uncompressed.delete(oid);
        const path = this._loosePath(oid);
        let stored: Uint8Array;
        try {
          stored = await this._fs.promises.readFile(path);
        } catch {
          continue;
        }
        const wrapped = await this._codec.inflate(stored);
        await this._replaceLoose(path, await this._codec.deflate(wrapped));
      }
    });
  }

  /**
   * Packs first (an in-memory lookup), then the loose file, then packs git
   * may have written since, then isomorphic-git for what the pack reader
   * does not handle (version 1 pack indexes).
   */
  async read(oid: string): Promise<IRawObject> {
    await this._pending.get(oid);
    const packed = await this._packs.read(oid);
    if (packed) {
      return packed;
    }
    let deflated: Uint8Array | null = null;
    try {
      deflated = await this._fs.promises.readFile(this._loosePath(oid));
    } catch (error: any) {
      // Not loose (ENOENT); any other failure (EIO, EACCES) is the disk's, not a missing object.
      if (error?.code !== 'ENOENT') {
        throw error;
      }
    }
    if (deflated) {
      const wrapped = await this._codec.inflate(deflated);
      const nul = wrapped.indexOf(0);
      const type = fromUtf8(wrapped.subarray(0, wrapped.indexOf(0x20)));
      return { type: type as ObjectType, content: wrapped.subarray(nul + 1) };
    }
    const repacked = await this._packs.read(oid, true);
    if (repacked) {
      return repacked;
    }
    try {
      const result = await git.readObject({
        fs: this._fs,
        gitdir: this._gitdir,
        oid,
        format: 'content',
        cache: this.cache
      });
      return {
        type: result.type as ObjectType,
        content: result.object as Uint8Array
      };
    } catch (error: any) {
      if (error?.code === 'NotFoundError') {
        throw new NotFoundError(`Object ${oid}`, { oid });
      }
      throw error;
    }
  }

  /** Closes the pack files held open for ranged reads. */
  close(): Promise<void> {
    return this._packs.close();
  }

  async readTree(oid: string): Promise<ITreeEntry[]> {
    let entries = this._trees.get(oid);
    if (!entries) {
      entries = parseTree((await this._expect(oid, 'tree')).content);
      this._trees.set(oid, entries);
    }
    return entries;
  }

  /**
   * A tree's raw entries, for walks that compare ids where they lie
   * (`diffTrees`). Raw bytes are kept in a small cache of their own: a
   * branch walk reads each tree twice in a row (as a commit's, then as its
   * child's parent's).
   */
  async readTreeBytes(oid: string): Promise<Uint8Array> {
    let bytes = this._rawTrees.get(oid);
    if (!bytes) {
      bytes = (await this._expect(oid, 'tree')).content;
      this._rawTrees.set(oid, bytes);
    }
    return bytes;
  }

  async readCommit(oid: string): Promise<ICommit> {
    let commit = this._commits.get(oid);
    if (!commit) {
      commit = parseCommit((await this._expect(oid, 'commit')).content);
      this._commits.set(oid, commit);
    }
    return commit;
  }

  /** A commit's tree, parents and time, for walks over a whole branch (not cached). */
  async readCommitHeader(oid: string): Promise<ICommitHeader> {
    const parsed = this._commits.get(oid);
    if (parsed) {
      const { tree, parents, committer } = parsed;
      return { tree, parents, time: committer.timestamp };
    }
    return parseCommitHeader((await this._expect(oid, 'commit')).content);
  }

  async writeTree(entries: ITreeEntry[]): Promise<string> {
    const oid = await this.write('tree', serializeTree(entries));
    this._trees.set(oid, entries);
    return oid;
  }

  private async _expect(oid: string, type: ObjectType) {
    const object = await this.read(oid);
    if (object.type !== type) {
      throw new NotFoundError(`${type} ${oid}`, { oid });
    }
    return object;
  }
}

export async function exists(fs: IFileSystem, path: string): Promise<boolean> {
  try {
    await fs.promises.lstat(path);
    return true;
  } catch {
    return false;
  }
}
