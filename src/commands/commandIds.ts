/** The command ids of the extension. */
export namespace CommandIDs {
  /** Open the restore dialog for a document (args: `path?`, `source?: 'filebrowser'`). */
  export const restore = 'git-checkpoints:restore';
  /** Save, then create a checkpoint with an optional message (args: `path?`, `message?`). */
  export const create = 'git-checkpoints:create';
  /** Ask for the remote password or token and send it to the server. */
  export const setPassword = 'git-checkpoints:set-password';
  /** Push now. */
  export const push = 'git-checkpoints:push';
  /** Take credentials out of remote URLs in .git/config (the original system put them there). */
  export const moveUrlCredentials = 'git-checkpoints:move-url-credentials';
  /** Compare two versions of a document (args: `path?`, `before?`, `after?`: ids or 'current'). */
  export const compare = 'git-checkpoints:compare';
  /** Write a checkpoint to a new file and open it without a kernel (args: `path`, `id`). */
  export const openCopy = 'git-checkpoints:open-copy';
  /** Restore a document to one checkpoint, after a confirmation (args: `path`, `id`). */
  export const restoreTo = 'git-checkpoints:restore-to';
  /** Give the last, unpushed checkpoint a new message (args: `path`, `id`, `message?`). */
  export const renameCheckpoint = 'git-checkpoints:rename-checkpoint';
  /** List the files deleted under a folder and recover one (args: `path?`, `source?: 'filebrowser'`). */
  export const recoverDeleted = 'git-checkpoints:recover-deleted';
  /** Browser mode: download the repository's `.git` as a zip archive. */
  export const exportRepository = 'git-checkpoints:export';
  /** Browser mode: replace the repository with an exported one. */
  export const importRepository = 'git-checkpoints:import';
}

/** What a command that takes no arguments declares (`describedBy`). */
export const NO_ARGS = { args: { type: 'object' as const, properties: {} } };
