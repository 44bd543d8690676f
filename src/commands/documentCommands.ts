import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, Notification } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { ICheckpointStatus, IGitCheckpointsClient } from '../tokens';
import { Format } from '../ui/format';
import { checkpointIcon, restoreIcon } from '../ui/icons';
import { CommandIDs } from './commandIds';
import { reportFailure } from './reportFailure';

/**
 * Registers the commands that act on one document: "Restore checkpoint..."
 * and "Create checkpoint".
 */
export function addDocumentCommands(
  app: JupyterFrontEnd,
  options: DocumentCommands.IOptions
): void {
  const { client, status, docManager, trans } = options;
  const pathOf = (args: ReadonlyPartialJSONObject) =>
    Private.resolvePath(app, options, args);
  const pathArgument = {
    type: 'string',
    description: trans.__('The file; the current document by default')
  };

  app.commands.addCommand(CommandIDs.restore, {
    label: trans.__('Restore Checkpoint…'),
    caption: trans.__(
      'Preview and restore one of the last checkpoints of this file, or open it as a copy'
    ),
    icon: args => (args.toolbar ? restoreIcon : undefined),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          path: pathArgument,
          source: {
            type: 'string',
            enum: ['filebrowser'],
            description: trans.__(
              'Act on the file selected in the file browser'
            )
          }
        }
      }
    },
    isEnabled: args => pathOf(args) !== null,
    execute: async args => {
      const path = pathOf(args);
      if (path === null) {
        return;
      }
      // The dialog and the diff code load on first use, not at start.
      const [{ CheckpointDocument }, { RestoreDialog }] = await Promise.all([
        import('../ui/checkpointDocument'),
        import('../ui/restoreDialog')
      ]);
      const document = new CheckpointDocument({ path, docManager, client });
      const choice = await RestoreDialog.show({
        document,
        client,
        limit: options.historyLength(),
        hasRemote: !!status.status?.remote,
        trans
      });
      if (!choice) {
        return;
      }
      await reportFailure(
        choice.action === 'copy'
          ? trans.__('Could not open the copy')
          : trans.__('Restore failed'),
        status,
        async () => {
          if (choice.action === 'copy') {
            await app.commands.execute(CommandIDs.openCopy, {
              path,
              id: choice.checkpoint.id
            });
          } else {
            await app.commands.execute(CommandIDs.restoreTo, {
              path,
              id: choice.checkpoint.id,
              confirmed: true
            });
          }
        }
      );
    }
  });

  app.commands.addCommand(CommandIDs.create, {
    label: trans.__('Create Checkpoint…'),
    caption: trans.__(
      'Save, then create a git checkpoint with an optional message'
    ),
    icon: args => (args.toolbar ? checkpointIcon : undefined),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          path: pathArgument,
          message: {
            type: 'string',
            description: trans.__('The commit message; asked for when omitted')
          }
        }
      }
    },
    isEnabled: args => pathOf(args) !== null,
    execute: async args => {
      const path = pathOf(args);
      if (path === null) {
        return;
      }
      let message = typeof args.message === 'string' ? args.message : null;
      if (message === null) {
        const answer = await InputDialog.getText({
          title: trans.__('Create checkpoint of %1', path.split('/').pop()),
          label: trans.__('Message (optional)'),
          placeholder: trans.__('Checkpoint %1', path),
          okLabel: trans.__('Create')
        });
        if (!answer.button.accept) {
          return;
        }
        message = answer.value ?? '';
      }
      await reportFailure(trans.__('Checkpoint failed'), status, async () => {
        const widget = docManager.findWidget(path);
        const context = widget && docManager.contextForWidget(widget);
        if (context && context.model.dirty && !context.model.readOnly) {
          await context.save();
        }
        const checkpoint = await client.createCheckpoint(
          docManager.services.contents.localPath(path),
          message.trim() || undefined
        );
        Notification.success(
          trans.__('Checkpoint %1 created', Format.shortId(checkpoint.id)),
          { autoClose: 3000 }
        );
      });
    }
  });
}

export namespace DocumentCommands {
  export interface IOptions {
    client: IGitCheckpointsClient;
    status: ICheckpointStatus;
    docManager: IDocumentManager;
    browserFactory: IFileBrowserFactory | null;
    trans: TranslationBundle;
    /** How many checkpoints the restore dialog lists (a setting). */
    historyLength: () => number;
  }
}

namespace Private {
  /**
   * The document a command acts on: `args.path`, the file selected in the
   * file browser (`args.source === 'filebrowser'`), or the current document.
   * Null when there is none, or when it lives on another drive than the server's.
   */
  export function resolvePath(
    app: JupyterFrontEnd,
    options: Pick<DocumentCommands.IOptions, 'docManager' | 'browserFactory'>,
    args: ReadonlyPartialJSONObject
  ): string | null {
    let path: string | null = null;
    if (typeof args.path === 'string') {
      path = args.path;
    } else if (args.source === 'filebrowser') {
      const browser = options.browserFactory?.tracker.currentWidget;
      const item = browser?.selectedItems().next();
      path =
        item && !item.done && item.value.type !== 'directory'
          ? item.value.path
          : null;
    } else {
      const widget = app.shell.currentWidget;
      path =
        (widget && options.docManager.contextForWidget(widget)?.path) ?? null;
    }
    const contents = options.docManager.services.contents;
    return path && contents.driveName(path) === '' ? path : null;
  }
}

/** The document a command acts on (see `Private.resolvePath`), for the other command files. */
export const resolveDocumentPath = Private.resolvePath;
