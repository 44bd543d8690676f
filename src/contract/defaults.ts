/**
 * Defaults shared by every host, stated once: the engine process applies
 * them, and the Python side reads them from the generated contract JSON.
 */

/** How many checkpoints of a file the standard checkpoint API lists. */
export const HISTORY_LENGTH = 10;

/** The largest `limit` a history request may ask for. */
export const MAX_HISTORY_LIMIT = 1000;

/** Files over this many bytes get no checkpoint (FileTooLarge). */
export const MAX_FILE_SIZE = 100 * 2 ** 20;

/** The branch of a new repository, as the original extension named it. */
export const BRANCH_TEMPLATE = '<USER>-<DEPLOY_ENV>';

/** The user when none is given (the docker-stacks images' user). */
export const DEFAULT_USER = 'jovyan';
