import { BRANCH_TEMPLATE, DEFAULT_USER, MAX_FILE_SIZE } from './defaults';

/**
 * The environment the Python side starts the engine process with, and what
 * each variable means when it is unset or empty. Secrets never travel this
 * way: a password arrives over stdin with the first `configure` request.
 */
export const ENGINE_ENVIRONMENT = {
  /** The working tree of the checkpoint repository (required). */
  GITCHECKPOINTS_DIR: null,
  /** Commit author name and the branch template's <USER>. */
  GITCHECKPOINTS_USER: DEFAULT_USER,
  /** The branch template's <DEPLOY_ENV>. */
  GITCHECKPOINTS_ENVIRONMENT: '',
  /** The branch a new repository starts on. */
  GITCHECKPOINTS_BRANCH_TEMPLATE: BRANCH_TEMPLATE,
  /** Commit author email. */
  GITCHECKPOINTS_EMAIL: '',
  /** Remote URL without credentials; empty works locally. */
  GITCHECKPOINTS_REMOTE_URL: '',
  GITCHECKPOINTS_REMOTE_USER: '',
  /** '0' leaves the remote alone; anything else pushes after each checkpoint. */
  GITCHECKPOINTS_PUSH: '1',
  /** Files over this many bytes are not checkpointed. */
  GITCHECKPOINTS_MAX_FILE_SIZE: String(MAX_FILE_SIZE),
  /** '1': hold remote work until a `configure` request brings the password. */
  GITCHECKPOINTS_AWAIT_PASSWORD: '0'
} as const satisfies Record<string, string | null>;

export type EngineVariable = keyof typeof ENGINE_ENVIRONMENT;

/** The process environment as the engine reads it. */
export type EngineEnvironment = Partial<
  Record<EngineVariable | (string & {}), string | undefined>
>;
