import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ICheckpointStatus, IGitCheckpointsClient } from '../tokens';
import { CommandIDs, NO_ARGS } from './commandIds';
import { reportFailure } from './reportFailure';

/** Registers the commands about the remote: set its password, push now. */
export function addRemoteCommands(
  app: JupyterFrontEnd,
  options: RemoteCommands.IOptions
): void {
  const { client, status, trans } = options;

  app.commands.addCommand(CommandIDs.setPassword, {
    label: trans.__('Set Git Checkpoints Remote Password or Token…'),
    caption: trans.__(
      'Send the password or token of the checkpoints remote to the server (it is not stored in the settings)'
    ),
    describedBy: NO_ARGS,
    execute: async () => {
      const answer = await InputDialog.getPassword({
        title: trans.__('Remote password or token'),
        label: trans.__('Password or token for the git checkpoints remote'),
        okLabel: trans.__('Set')
      });
      const password = answer.value;
      if (!answer.button.accept || !password) {
        return;
      }
      await reportFailure(
        trans.__('Could not set the password'),
        status,
        async () => {
          await client.setPassword(password);
          Notification.success(trans.__('Remote password set'), {
            autoClose: 3000
          });
        }
      );
    }
  });

  app.commands.addCommand(CommandIDs.push, {
    label: trans.__('Push Git Checkpoints Now'),
    caption: trans.__('Push the checkpoints branch to the remote now'),
    describedBy: NO_ARGS,
    isEnabled: () => !!status.status?.remote,
    execute: async () => {
      await reportFailure(trans.__('Push failed'), null, async () => {
        await status.pushNow();
      });
    }
  });

  app.commands.addCommand(CommandIDs.moveUrlCredentials, {
    label: trans.__('Move the Credential out of the Remote URL'),
    caption: trans.__(
      'Remove the password from remote URLs in .git/config; the server keeps it in memory only'
    ),
    describedBy: NO_ARGS,
    isEnabled: () =>
      !!client.moveUrlCredentials &&
      !!status.status?.credentials_in_url?.length,
    execute: async () => {
      await reportFailure(
        trans.__('Could not move the credential'),
        status,
        async () => {
          const { moved } = await client.moveUrlCredentials!();
          Notification.success(
            trans.__('Credential moved out of: %1', moved.join(', ')),
            { autoClose: 3000 }
          );
        }
      );
    }
  });
}

export namespace RemoteCommands {
  export interface IOptions {
    client: IGitCheckpointsClient;
    status: ICheckpointStatus;
    trans: TranslationBundle;
  }
}
