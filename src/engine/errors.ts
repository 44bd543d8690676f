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
  | 'UnsupportedRepository'
  | 'Locked'
  | 'FileTooLarge'
  | 'RemoteError'
  | 'CorruptPack';

/** The HTTP status each code maps to, shared by every host. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  InvalidArgument: 400,
  InvalidPath: 400,
  NotFound: 404,
  NotACheckpoint: 404,
  AlreadyExists: 409,
  RepositoryBusy: 409,
  UnsupportedRepository: 409,
  Locked: 423,
  FileTooLarge: 413,
  RemoteError: 502,
  CorruptPack: 500
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

  /** Rebuilds an error that crossed a process boundary as JSON. */
  static fromJSON(json: IErrorJSON): CheckpointError {
    return new CheckpointError(json.code, json.message, json.data ?? {});
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

export class UnsupportedRepositoryError extends CheckpointError {
  constructor(reason: string) {
    super('UnsupportedRepository', `Unsupported repository: ${reason}`, {
      reason
    });
  }
}

export class LockedError extends CheckpointError {
  constructor(lockfile: string, waitedMs: number) {
    super(
      'Locked',
      `'${lockfile}' is held by another git process (waited ${waitedMs} ms)`,
      { lockfile, waitedMs }
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

/** A pack file that is not what git's pack format says (truncated, damaged). */
export class CorruptPackError extends CheckpointError {
  constructor(path: string, reason: string) {
    super('CorruptPack', `Corrupt pack '${path}': ${reason}`, { path, reason });
  }
}
