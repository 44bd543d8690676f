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
}
