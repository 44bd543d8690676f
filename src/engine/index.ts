/**
 * The git checkpoint engine: isomorphic-git over an injected fs, codec and
 * http client, the same in the Node engine process and in the browser.
 */
export * from './api';
export * from './errors';
export { branchName, sanitizeRefName } from './branchName';
export { CheckpointEngine } from './engine';
export { typedIOError } from './ioErrors';
export type { LockJournal } from './locking/lockJournal';
export { RemoteSync, type IPushStatus } from './remote/remoteSync';
export type { IRemote } from './remote/remoteSettings';
export { CheckpointHealth } from './checkpointHealth';
