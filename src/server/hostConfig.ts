import {
  ENGINE_ENVIRONMENT as DEFAULTS,
  type EngineEnvironment
} from '../contract';
import { branchName, type IAuthor } from '../engine';

/**
 * What the engine process is told at start, through its environment
 * (`ENGINE_ENVIRONMENT` in the contract: names, meanings, defaults).
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

export function readHostConfig(env: EngineEnvironment): IHostConfig {
  const dir = env.GITCHECKPOINTS_DIR;
  if (!dir) {
    throw new Error('GITCHECKPOINTS_DIR is not set');
  }
  const user = env.GITCHECKPOINTS_USER || DEFAULTS.GITCHECKPOINTS_USER;
  const maxFileSize = Number(
    env.GITCHECKPOINTS_MAX_FILE_SIZE || DEFAULTS.GITCHECKPOINTS_MAX_FILE_SIZE
  );
  if (!Number.isSafeInteger(maxFileSize) || maxFileSize <= 0) {
    throw new Error('GITCHECKPOINTS_MAX_FILE_SIZE must be a positive integer');
  }
  return {
    dir,
    branch: branchName(
      env.GITCHECKPOINTS_BRANCH_TEMPLATE ||
        DEFAULTS.GITCHECKPOINTS_BRANCH_TEMPLATE,
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
