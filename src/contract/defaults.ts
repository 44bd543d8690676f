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

/**
 * The Node flags the engine process starts with (the server's, and the
 * benchmark's). `--no-deprecation`: Node 24 warns about isomorphic-git's
 * url.parse() on each push, and users cannot act on it. A 1 MiB young
 * generation (V8's default is 16 MiB): the engine's work makes short-lived
 * garbage by the object read (parsed trees, inflated buffers), and collecting
 * it sooner keeps the peak RSS of a 20,000-commit history index build and of
 * a fresh home's fetch under 200 MB (docs/storage.md, memory).
 */
export const ENGINE_NODE_FLAGS = [
  '--no-deprecation',
  '--max-semi-space-size=1'
];
