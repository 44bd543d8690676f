/**
 * Typed engine errors.
 *
 * Each has a stable `code` and a JSON `data` payload so that it crosses the
 * process boundary unchanged (engine process -> Python -> HTTP status).
 * Every one of them is thrown before the repository is changed.
 */

export type ErrorCode =
  | 'InvalidArgument'
  | 'InvalidPath'
  | 'NotFound'
  | 'NotACheckpoint'
  | 'AlreadyExists'
  | 'RepositoryBusy'
  | 'NotAmendable'
  | 'UnsupportedRepository'
  | 'Locked'
  | 'FileTooLarge'
  | 'RemoteError'
  | 'DiskFull'
  | 'PermissionDenied'
  | 'StorageFailure'
  | 'CorruptPack'
  | 'StorageFull'
  | 'StorageUnavailable';

/** The HTTP status each code maps to, shared by every host. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  InvalidArgument: 400,
  InvalidPath: 400,
  NotFound: 404,
  NotACheckpoint: 404,
  AlreadyExists: 409,
  RepositoryBusy: 409,
  NotAmendable: 409,
  UnsupportedRepository: 409,
  Locked: 423,
  FileTooLarge: 413,
  RemoteError: 502,
  DiskFull: 507,
  PermissionDenied: 403,
  StorageFailure: 500,
  CorruptPack: 500,
  StorageFull: 507,
  StorageUnavailable: 503
};

export interface IErrorJSON {
  code: ErrorCode;
  message: string;
  data: Record<string, unknown>;
}

export class CheckpointError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = `${code}Error`;
  }

  toJSON(): IErrorJSON {
    return { code: this.code, message: this.message, data: this.data };
  }
}

export class InvalidArgumentError extends CheckpointError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('InvalidArgument', message, data);
  }
}

export class InvalidPathError extends CheckpointError {
  constructor(path: string, reason: string) {
    super('InvalidPath', `Invalid path '${path}': ${reason}`, { path, reason });
  }
}

export class NotFoundError extends CheckpointError {
  constructor(what: string, data: Record<string, unknown> = {}) {
    super('NotFound', `${what} not found`, data);
  }
}

export class NotACheckpointError extends CheckpointError {
  constructor(path: string, id: string) {
    super('NotACheckpoint', `'${id}' is not a checkpoint of '${path}'`, {
      path,
      id
    });
  }
}

export class AlreadyExistsError extends CheckpointError {
  constructor(path: string) {
    super('AlreadyExists', `'${path}' already exists`, { path });
  }
}

export class RepositoryBusyError extends CheckpointError {
  constructor(reason: string) {
    super(
      'RepositoryBusy',
      `The repository is busy (${reason}); finish it with git first`,
      { reason }
    );
  }
}

/** A checkpoint whose message cannot change: already pushed, or not the branch's last commit. */
export class NotAmendableError extends CheckpointError {
  constructor(id: string, reason: 'pushed' | 'not-head') {
    super(
      'NotAmendable',
      reason === 'pushed'
        ? `Checkpoint ${id.slice(0, 7)} is on the remote already: its message stays as it is`
        : `Only the branch's last commit can be renamed; ${id.slice(0, 7)} is not`,
      { id, reason }
    );
  }
}

export class UnsupportedRepositoryError extends CheckpointError {
  constructor(reason: string) {
    super('UnsupportedRepository', `Unsupported repository: ${reason}`, {
      reason
    });
  }
}

export class LockedError extends CheckpointError {
  /** `since`: when the lock in the way was taken (ISO 8601), if known. */
  constructor(lockfile: string, waitedMs: number, since?: string) {
    super(
      'Locked',
      `'${lockfile}' is held by another git process${since ? ` since ${since}` : ''} (waited ${waitedMs} ms)`,
      { lockfile, waitedMs, ...(since ? { since } : {}) }
    );
  }
}

export class FileTooLargeError extends CheckpointError {
  constructor(path: string, size: number, limit: number) {
    super(
      'FileTooLarge',
      `'${path}' is ${size} bytes, over the ${limit}-byte checkpoint limit`,
      { path, size, limit }
    );
  }
}

/** No space left (or over quota) while writing `path`. */
export class DiskFullError extends CheckpointError {
  constructor(path: string, freeBytes: number | null) {
    super(
      'DiskFull',
      `No space left on the disk to write '${path}'` +
        (freeBytes === null ? '' : ` (${formatBytes(freeBytes)} free)`) +
        '; free some space and checkpoint again',
      { path, freeBytes }
    );
  }
}

/** The fs refused a write or a read: permissions, or a read-only file system. */
export class PermissionDeniedError extends CheckpointError {
  constructor(
    path: string,
    reason: 'permission denied' | 'read-only file system'
  ) {
    super('PermissionDenied', `Cannot write '${path}': ${reason}`, {
      path,
      reason
    });
  }
}

/** Any other I/O failure (EIO, ...): which file and what the system said. */
export class StorageFailureError extends CheckpointError {
  constructor(path: string | null, errno: string, detail: string) {
    super(
      'StorageFailure',
      `I/O error${path ? ` on '${path}'` : ''}: ${errno} (${detail})`,
      { path, errno }
    );
  }
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

/**
 * How talking to the remote failed:
 * - `auth`: the remote refused the credentials; retrying cannot help;
 * - `network`: it could not be reached or stopped answering; retry later;
 * - `rejected`: it refused the push (most often its branch moved meanwhile);
 * - `diverged`: both sides changed the same files; a person must merge;
 * - `error`: anything else it or the transfer reported; retry later.
 */
export type RemoteFailureKind =
  'auth' | 'network' | 'rejected' | 'diverged' | 'error';

export class RemoteError extends CheckpointError {
  constructor(
    readonly kind: RemoteFailureKind,
    message: string,
    data: Record<string, unknown> = {}
  ) {
    super('RemoteError', message, { kind, ...data });
  }
}

/** A pack file that is not what git's pack format says (truncated, damaged). */
export class CorruptPackError extends CheckpointError {
  constructor(path: string, reason: string) {
    super('CorruptPack', `Corrupt pack '${path}': ${reason}`, { path, reason });
  }
}
