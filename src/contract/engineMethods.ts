/**
 * The engine process's method table: newline-delimited JSON-RPC on its stdin
 * and stdout (`{"id", "method", "params"}` in, `{"id", "result"}` or
 * `{"id", "error": {code, message, data, status}}` out). Paths are
 * repository-relative; file content crosses as base64.
 *
 * The table is data, so that the host validates params from it and the build
 * emits it as JSON for the Python side's test.
 */
import type { ErrorCode } from '../engine/errors';
import type {
  ICheckpoint,
  IDeletedFile,
  IRichCheckpoint,
  IStatus
} from './models';
import type { HostErrorCode } from './errors';

export type ParamType = 'string' | 'integer' | 'boolean' | 'object';

export interface IParamSpec {
  readonly type: ParamType;
  /** Absent (or null) is refused. */
  readonly required?: boolean;
  /** Null is a value of its own (e.g. "no remote"), not "absent". */
  readonly nullable?: boolean;
  /** The fields of an object param. */
  readonly fields?: Readonly<Record<string, IParamSpec>>;
}

export interface IMethodSpec {
  readonly params: Readonly<Record<string, IParamSpec>>;
  /** Codes this method answers beyond `COMMON_ERRORS`. */
  readonly errors: readonly ErrorCode[];
}

/** Codes any method can answer: bad params, a repository the engine refuses, a bug. */
export const COMMON_ERRORS: readonly (ErrorCode | HostErrorCode)[] = [
  'InvalidArgument',
  'UnsupportedRepository',
  'Internal'
];

const path = { type: 'string', required: true } as const;
const id = { type: 'string', required: true } as const;
/** Writes wait for git's lock files and refuse a repository mid-merge. */
const WRITE_ERRORS = ['InvalidPath', 'Locked', 'RepositoryBusy'] as const;

export const ENGINE_METHODS = {
  /** Commits the file as it is on disk. With `pushed`, the answer says whether the remote has it. */
  create: {
    params: {
      path,
      message: { type: 'string' },
      pushed: { type: 'boolean' }
    },
    errors: [...WRITE_ERRORS, 'NotFound', 'FileTooLarge']
  },
  /** The file's last `limit` checkpoints (default `HISTORY_LENGTH`), oldest first. */
  list: {
    params: {
      path,
      limit: { type: 'integer' },
      pushed: { type: 'boolean' }
    },
    errors: ['InvalidPath']
  },
  /** One version of the file: `{content}` in base64. */
  read: {
    params: { path, id },
    errors: ['InvalidPath', 'NotFound', 'NotACheckpoint']
  },
  /** Writes that version back and commits it, after checkpointing the one it replaces. */
  restore: {
    params: { path, id },
    errors: [...WRITE_ERRORS, 'NotFound', 'NotACheckpoint', 'FileTooLarge']
  },
  /** Stops listing one checkpoint; its commit stays. */
  hide: {
    params: { path, id },
    errors: [...WRITE_ERRORS, 'NotACheckpoint']
  },
  /** One commit for the rename of a file or a directory. */
  rename: {
    params: {
      oldPath: path,
      newPath: path
    },
    errors: [...WRITE_ERRORS, 'NotFound', 'AlreadyExists']
  },
  /** One commit for the deletion of a file or a directory. */
  delete: {
    params: { path },
    errors: [...WRITE_ERRORS]
  },
  status: { params: {}, errors: [] },
  /** Starts a push now; answers with the status at once. */
  push: { params: {}, errors: [] },
  /** Only the params given change; secrets arrive this way, never through argv or env. */
  configure: {
    params: {
      password: { type: 'string', nullable: true },
      remote: {
        type: 'object',
        nullable: true,
        fields: {
          url: { type: 'string', required: true },
          username: { type: 'string' }
        }
      },
      push: { type: 'boolean' }
    },
    errors: []
  },
  /** One page of the file's checkpoints, newest first, after `cursor`, with `pushed` on each. */
  page: {
    params: {
      path,
      limit: { type: 'integer' },
      cursor: { type: 'string' }
    },
    errors: ['InvalidPath']
  },
  /** Files deleted under the folder `dir` ('' for the root), newest deletion first. */
  deleted: {
    params: { dir: { type: 'string' } },
    errors: ['InvalidPath']
  },
  /** Writes a deleted file's version back and commits it at its old path. */
  recover: {
    params: { path, id },
    errors: [...WRITE_ERRORS, 'NotACheckpoint', 'AlreadyExists']
  },
  /** A new message for the branch's last checkpoint, while it is not pushed. */
  renameCheckpoint: {
    params: { path, id, message: { type: 'string', required: true } },
    errors: [...WRITE_ERRORS, 'NotACheckpoint', 'NotAmendable']
  }
} as const satisfies Record<string, IMethodSpec>;

export type EngineMethod = keyof typeof ENGINE_METHODS;

/** What each method answers. */
export interface IEngineResults {
  create: ICheckpoint | IRichCheckpoint;
  list: Array<ICheckpoint | IRichCheckpoint>;
  read: { content: string };
  restore: ICheckpoint;
  hide: void;
  rename: ICheckpoint | null;
  delete: ICheckpoint | null;
  status: IStatus;
  push: IStatus;
  configure: IStatus;
  page: { checkpoints: IRichCheckpoint[]; cursor: string | null };
  deleted: IDeletedFile[];
  recover: ICheckpoint;
  renameCheckpoint: IRichCheckpoint;
}

type ValueOf<P> = P extends { readonly fields: infer F }
  ? ParamsOf<F>
  : P extends { readonly type: 'string' }
    ? string
    : P extends { readonly type: 'integer' }
      ? number
      : P extends { readonly type: 'boolean' }
        ? boolean
        : never;

type WithNull<P> = P extends { readonly nullable: true }
  ? ValueOf<P> | null
  : ValueOf<P>;

type RequiredKeys<F> = {
  [K in keyof F]: F[K] extends { readonly required: true } ? K : never;
}[keyof F];

/** The params of a spec, as the host has checked them (an absent optional one is undefined). */
export type ParamsOf<F> = { [K in RequiredKeys<F>]: WithNull<F[K]> } & {
  [K in Exclude<keyof F, RequiredKeys<F>>]?: WithNull<F[K]>;
};

export type EngineParams<M extends EngineMethod> = ParamsOf<
  (typeof ENGINE_METHODS)[M]['params']
>;
