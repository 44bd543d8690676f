/**
 * The engine's contract: what a host hands in (fs, codec, http) and what it gets back.
 *
 * The engine knows nothing of where it runs: Node's fs or lightning-fs, native
 * or WebCrypto hashing, a Node or a fetch http client are all given here.
 */

/**
 * The subset of a promise-based fs the engine and isomorphic-git use.
 *
 * Both `require('fs')` and `new LightningFS(name)` fit, once wrapped by their host.
 * `writeFile` with `{ flag: 'wx' }` must fail with code `EEXIST` when the file
 * exists: the git lock protocol rests on it.
 */
export interface IFileSystem {
  promises: {
    readFile(path: string, options?: any): Promise<any>;
    writeFile(path: string, data: any, options?: any): Promise<void>;
    unlink(path: string): Promise<void>;
    readdir(path: string): Promise<string[]>;
    mkdir(path: string, options?: any): Promise<void | string | undefined>;
    rmdir(path: string): Promise<void>;
    rename(oldPath: string, newPath: string): Promise<void>;
    stat(path: string): Promise<IStats>;
    lstat(path: string): Promise<IStats>;
    readlink?(path: string): Promise<string>;
    symlink?(target: string, path: string): Promise<void>;
    chmod?(path: string, mode: number): Promise<void>;
    /** Hard links: with them a lock names its owner (docs/locks.md). */
    link?(existingPath: string, newPath: string): Promise<void>;
    /** Free space of a volume, to say how much is left when a disk is full. */
    statfs?(path: string): Promise<{ bavail: number; bsize: number }>;
    /**
     * Optional ranged reads and writes (Node's `fs.promises.open`). With it,
     * packs are read object by object and may exceed 2 GiB, and a fetched
     * pack goes to disk as it arrives; without it (lightning-fs) a pack is
     * held whole.
     */
    open?(path: string, flags: 'r' | 'w'): Promise<IFileHandle>;
  };
}

/** An open file, as Node's `FileHandle` has it: reads and writes at a position. */
export interface IFileHandle {
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number
  ): Promise<{ bytesRead: number }>;
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number
  ): Promise<{ bytesWritten: number }>;
  close(): Promise<void>;
}

/**
 * What the engine reads from a stat: the fields that go into a git index entry.
 */
export interface IStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  mode: number;
  size: number;
  ino: number;
  dev: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Hard links to the file, where the fs tells (Node). */
  nlink?: number;
}

/**
 * SHA-1 and zlib, handed in so that Node can use its native implementations.
 */
export interface ICodec {
  /** Hex SHA-1 of the bytes. */
  sha1(data: Uint8Array): Promise<string>;
  /**
   * Optional: a SHA-1 fed piece by piece, so a fetched pack's checksum is
   * checked as it streams to disk instead of over the whole pack in memory.
   */
  sha1Hasher?(): ISha1Hasher;
  /** zlib (RFC 1950) deflate, as git stores loose objects. */
  deflate(data: Uint8Array): Promise<Uint8Array>;
  /**
   * `size`, when given, is the inflated size a pack entry records: an
   * inflater may then allocate its output once instead of growing it.
   */
  inflate(data: Uint8Array, size?: number): Promise<Uint8Array>;
  /**
   * Optional: a zlib stream of the data without compression (level 0). With
   * it, large objects are written at once and compressed when idle.
   */
  store?(data: Uint8Array): Promise<Uint8Array>;
  /** Optional synchronous inflate, used for small objects where a thread hop costs more. */
  inflateSync?(data: Uint8Array, size?: number): Uint8Array;
  /**
   * Optional: inflates the zlib stream at the start of `data`, which may be
   * followed by other bytes, and tells how many bytes the stream took (packs
   * do not record where an object's stream ends). A JavaScript inflater is
   * used without it.
   */
  inflatePrefix?(
    data: Uint8Array,
    size?: number
  ): { content: Uint8Array; consumed: number };
}

/** An incremental SHA-1 (Node's `createHash('sha1')`). */
export interface ISha1Hasher {
  update(data: Uint8Array): void;
  /** Hex digest of everything given to `update`. */
  digest(): string;
}

/** A person as git records them. */
export interface IAuthor {
  name: string;
  email: string;
}

/**
 * One checkpoint of one file: a commit that changed it.
 *
 * `id` and `last_modified` are exactly Jupyter's `ICheckpointModel`.
 */
export interface ICheckpoint {
  /** The commit hash. */
  id: string;
  /** Commit time, ISO 8601 in UTC (`2026-11-23T20:14:15Z`). */
  last_modified: string;
  /** The commit message's first line. */
  message: string;
  author: IAuthor;
}

/** Options of `createCheckpoint`. */
export interface ICreateOptions {
  /** The file's bytes; when omitted, the file in the working tree is committed as it is. */
  content?: Uint8Array;
  /** Commit message; `Checkpoint <path>` by default. */
  message?: string;
}

/** Where the repository stands. */
export interface IRepositoryStatus {
  /** The working tree's directory. */
  dir: string;
  /** The checked-out branch. */
  branch: string;
  /** The branch's commit, or null before the first checkpoint. */
  head: string | null;
  /** When that commit was made (ISO 8601 UTC), or null. */
  last_checkpoint: string | null;
}

/** A commit the engine made, announced to listeners (e.g. the push queue). */
export interface ICommitEvent {
  branch: string;
  commit: string;
}

/** One page of a file's checkpoints, newest first. */
export interface ICheckpointPage {
  checkpoints: ICheckpoint[];
  /** Pass it back for the next page; null after the last one. */
  cursor: string | null;
}

/** A file deleted on the branch, with its last version. */
export interface IDeletedFile {
  path: string;
  /** When it was deleted (ISO 8601 UTC) and by which commit. */
  deleted_at: string;
  deleted_in: string;
  /** Its last version: read or recover it with this id. */
  last: ICheckpoint;
}
