import { branchName } from '../engine/branchName';
import type { IAuthor } from '../engine/api';

/**
 * What the engine process is told at start, through its environment.
 *
 * The Python side resolves the user's settings and passes them as
 * `GITCHECKPOINTS_*` variables; secrets never travel this way (a password
 * arrives on stdin with the first `configure` request).
 */
export interface IHostConfig {
  /** The working tree of the checkpoint repository. */
  dir: string;
  /** The branch a new repository starts on. */
  branch: string;
  author: IAuthor;
  /** Remote URL without credentials, or null to work locally. */
  remoteUrl: string | null;
  remoteUsername: string | null;
  /** Push after each checkpoint. */
  push: boolean;
  /** Files over this many bytes are not checkpointed. */
  maxFileSize: number;
  /** Hold remote work until a `configure` request brings the password. */
  awaitPassword: boolean;
}

/** The template of the original extension: `<USER>-<DEPLOY_ENV>`. */
export const DEFAULT_BRANCH_TEMPLATE = '<USER>-<DEPLOY_ENV>';

export function readHostConfig(
  env: Record<string, string | undefined>
): IHostConfig {
  const dir = env.GITCHECKPOINTS_DIR;
  if (!dir) {
    throw new Error('GITCHECKPOINTS_DIR is not set');
  }
  const user = env.GITCHECKPOINTS_USER || 'jovyan';
  const maxFileSize = Number(env.GITCHECKPOINTS_MAX_FILE_SIZE ?? 100 * 2 ** 20);
  if (!Number.isSafeInteger(maxFileSize) || maxFileSize <= 0) {
    throw new Error('GITCHECKPOINTS_MAX_FILE_SIZE must be a positive integer');
  }
  return {
    dir,
    branch: branchName(
      env.GITCHECKPOINTS_BRANCH_TEMPLATE || DEFAULT_BRANCH_TEMPLATE,
      {
        USER: user,
        DEPLOY_ENV: env.GITCHECKPOINTS_ENVIRONMENT
      }
    ),
    author: { name: user, email: env.GITCHECKPOINTS_EMAIL || '' },
    remoteUrl: env.GITCHECKPOINTS_REMOTE_URL || null,
    remoteUsername: env.GITCHECKPOINTS_REMOTE_USER || null,
    push: env.GITCHECKPOINTS_PUSH !== '0',
    maxFileSize,
    awaitPassword: env.GITCHECKPOINTS_AWAIT_PASSWORD === '1'
  };
}
