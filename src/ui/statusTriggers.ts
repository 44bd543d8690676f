import { Contents } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { ICheckpointStatus } from '../tokens';

/**
 * Refreshes the status after the events that make commits: Ctrl/Cmd+S
 * (`docmanager:save` saves, then checkpoints), renames and deletes.
 * Our own commands refresh it themselves.
 */
export function refreshStatusOnCommits(
  commands: CommandRegistry,
  contents: Contents.IManager,
  status: ICheckpointStatus
): void {
  const onExecuted = (
    _: CommandRegistry,
    args: CommandRegistry.ICommandExecutedArgs
  ) => {
    if (args.id === SAVE_COMMAND) {
      // The checkpoint is created once the command's promise settles.
      void Promise.resolve(args.result).then(
        () => status.kick(),
        () => status.kick()
      );
    }
  };
  const onFileChanged = (
    _: Contents.IManager,
    change: Contents.IChangedArgs
  ) => {
    if (change.type === 'rename' || change.type === 'delete') {
      status.kick();
    }
  };
  commands.commandExecuted.connect(onExecuted);
  contents.fileChanged.connect(onFileChanged);
}

const SAVE_COMMAND = 'docmanager:save';
