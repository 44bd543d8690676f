import { HTTP_STATUS, type ErrorCode } from '../engine/errors';

export { HTTP_STATUS, type ErrorCode };

/**
 * Codes that do not come from the engine's typed errors, with their statuses:
 * `Internal` is the engine process's answer to an unexpected failure; the
 * others are the Python server's own.
 */
export const HOST_ERROR_STATUS = {
  /** An unexpected failure in the engine process (details only in the log). */
  Internal: 500,
  /** A path inside the server's root but outside the repository (extra routes). */
  OutsideRepository: 403,
  /** The engine process cannot be started or stopped answering. */
  EngineUnavailable: 503
} as const;

export type HostErrorCode = keyof typeof HOST_ERROR_STATUS;

/** Every code an error answer can carry, engine's and hosts'. */
export type WireErrorCode = ErrorCode | HostErrorCode;

/** `{code, message, data}`: the body of every error answer of the extra routes. */
export interface IErrorBody {
  code: WireErrorCode;
  message: string;
  data: Record<string, unknown>;
}
