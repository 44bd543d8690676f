import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { ICheckpointStatus, IGitCheckpointsClient } from '../tokens';
import { Format } from '../ui/format';
import { CommandIDs } from './commandIds';
import { resolveDocumentPath } from './documentCommands';
import { reportFailure } from './reportFailure';

/**
 * Registers the commands of the history views: compare two versions, open
 * a checkpoint as a copy, restore to one checkpoint, rename the last one,
 * recover a deleted file. The timeline panel and the dialogs call them.
 */
export function addHistoryCommands(
  app: JupyterFrontEnd,
  options: HistoryCommands.IOptions
): void {
  const { client, status, docManager, trans } = options;
  const str = (args: ReadonlyPartialJSONObject, key: string) =>
    typeof args[key] === 'string' ? (args[key] as string) : null;
  const documentOf = async (path: string) => {
    const { CheckpointDocument } = await import('../ui/checkpointDocument');
    return new CheckpointDocument({ path, docManager, client });
  };
  const pathAndId = {
    type: 'object',
    properties: {
      path: { type: 'string', description: trans.__('The file') },
      id: { type: 'string', description: trans.__('The checkpoint id') }
    },
    required: ['path', 'id']
  };

  app.commands.addCommand(CommandIDs.compare, {
    label: trans.__('Compare Checkpoints…'),
    caption: trans.__(
      'Compare any two checkpoints of this file, or one with the current content'
    ),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          path: { type: 'string', description: trans.__('The file') },
          before: {
            type: 'string',
            description: trans.__(
              "The older side: a checkpoint id or 'current'"
            )
          },
          after: {
            type: 'string',
            description: trans.__(
              "The newer side: a checkpoint id or 'current'"
            )
          }
        }
      }
    },
    isEnabled: args => resolveDocumentPath(app, options, args) !== null,
    execute: async args => {
      const path = resolveDocumentPath(app, options, args);
      if (path === null) {
        return;
      }
      const [{ CompareView }, document] = await Promise.all([
        import('../ui/compareView'),
        documentOf(path)
      ]);
      const view = new CompareView({
        document,
        client,
        trans,
        before: str(args, 'before') ?? undefined,
        after: str(args, 'after') ?? undefined
      });
      app.shell.add(view, 'main', { mode: 'split-right' });
      app.shell.activateById(view.id);
    }
  });

  app.commands.addCommand(CommandIDs.openCopy, {
    label: trans.__('Open Checkpoint as a Copy'),
    describedBy: { args: pathAndId },
    execute: async args => {
      const path = str(args, 'path');
      const id = str(args, 'id');
      if (!path || !id) {
        return;
      }
      await reportFailure(
        trans.__('Could not open the copy'),
        status,
        async () => {
          const copy = await (await documentOf(path)).openCopy(id);
          // A copy is for reading: its kernel starts only when the user picks one.
          docManager.openOrReveal(copy, undefined, undefined, undefined, {
            shouldStart: false
          });
          Notification.success(
            trans.__(
              'Opened checkpoint %1 of %2 as a new file, %3 (no kernel started)',
              Format.shortId(id),
              path,
              copy
            ),
            { autoClose: 6000 }
          );
        }
      );
    }
  });

  app.commands.addCommand(CommandIDs.restoreTo, {
    label: trans.__('Restore to This Checkpoint'),
    describedBy: {
      args: {
        ...pathAndId,
        properties: {
          ...pathAndId.properties,
          confirmed: {
            type: 'boolean',
            description: trans.__('The user already confirmed')
          }
        }
      }
    },
    execute: async args => {
      const path = str(args, 'path');
      const id = str(args, 'id');
      if (!path || !id) {
        return;
      }
      const short = Format.shortId(id);
      if (args.confirmed !== true) {
        const answer = await showDialog({
          title: trans.__('Restore %1 to checkpoint %2?', path, short),
          body: trans.__(
            'The current version (unsaved edits included) stays in the history as "Before restoring %1".',
            short
          ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.okButton({ label: trans.__('Restore') })
          ]
        });
        if (!answer.button.accept) {
          return;
        }
      }
      await reportFailure(trans.__('Restore failed'), status, async () => {
        await (await documentOf(path)).restore(id);
        Notification.success(
          trans.__('Restored %1 to checkpoint %2', path, short),
          { autoClose: 4000 }
        );
      });
    }
  });

  app.commands.addCommand(CommandIDs.renameCheckpoint, {
    label: trans.__('Rename Checkpoint…'),
    describedBy: {
      args: {
        ...pathAndId,
        properties: {
          ...pathAndId.properties,
          message: { type: 'string', description: trans.__('The new message') }
        }
      }
    },
    execute: async args => {
      const path = str(args, 'path');
      const id = str(args, 'id');
      if (!path || !id) {
        return;
      }
      let message = str(args, 'message');
      if (message === null) {
        const answer = await InputDialog.getText({
          title: trans.__('Rename checkpoint %1', Format.shortId(id)),
          label: trans.__('Message'),
          okLabel: trans.__('Rename')
        });
        if (!answer.button.accept || !answer.value?.trim()) {
          return;
        }
        message = answer.value;
      }
      await reportFailure(
        trans.__('Could not rename the checkpoint'),
        status,
        async () => {
          await client.renameCheckpoint(
            docManager.services.contents.localPath(path),
            id,
            message
          );
        }
      );
    }
  });

  app.commands.addCommand(CommandIDs.recoverDeleted, {
    label: trans.__('Recover Deleted File…'),
    caption: trans.__(
      'List the files deleted under this folder, preview one and recover it'
    ),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          path: { type: 'string', description: trans.__('The folder') },
          source: {
            type: 'string',
            enum: ['filebrowser'],
            description: trans.__('The folder selected in the file browser')
          }
        }
      }
    },
    execute: async args => {
      const folder = Private.folderOf(options, args);
      if (folder === null) {
        return;
      }
      const { RecoverDialog } = await import('../ui/recoverDialog');
      const chosen = await RecoverDialog.show({
        folder: docManager.services.contents.localPath(folder),
        client,
        trans
      });
      if (!chosen) {
        return;
      }
      await reportFailure(trans.__('Recover failed'), status, async () => {
        await client.recover(chosen.path, chosen.last.id);
        Notification.success(
          trans.__(
            'Recovered %1 as of checkpoint %2; its history continues',
            chosen.path,
            Format.shortId(chosen.last.id)
          ),
          { autoClose: 6000 }
        );
        docManager.openOrReveal(chosen.path);
      });
    }
  });
}

export namespace HistoryCommands {
  export interface IOptions {
    client: IGitCheckpointsClient;
    status: ICheckpointStatus;
    docManager: IDocumentManager;
    browserFactory: IFileBrowserFactory | null;
    trans: TranslationBundle;
  }
}

namespace Private {
  /**
   * The folder: `args.path`, the folder selected in the file browser
   * (`source: 'filebrowser'`), else the file browser's current folder.
   * Null on another drive than the server's.
   */
  export function folderOf(
    options: HistoryCommands.IOptions,
    args: ReadonlyPartialJSONObject
  ): string | null {
    const browser = options.browserFactory?.tracker.currentWidget ?? null;
    let folder: string | null = null;
    if (typeof args.path === 'string') {
      folder = args.path;
    } else if (args.source === 'filebrowser') {
      const item = browser?.selectedItems().next();
      folder =
        item && !item.done && item.value.type === 'directory'
          ? item.value.path
          : (browser?.model.path ?? '');
    } else {
      folder = browser?.model.path ?? '';
    }
    const contents = options.docManager.services.contents;
    return contents.driveName(folder) === '' ? folder : null;
  }
}
