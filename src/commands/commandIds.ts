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
  /** Browser mode: download the repository's `.git` as a zip archive. */
  export const exportRepository = 'git-checkpoints:export';
  /** Browser mode: replace the repository with an exported one. */
  export const importRepository = 'git-checkpoints:import';
}
