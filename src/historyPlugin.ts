/**
 * The history features: compare, the "Checkpoints" timeline in the right
 * sidebar, recover deleted files. The plugin constructs and registers.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ITranslator } from '@jupyterlab/translation';
import { CommandIDs } from './commands/commandIds';
// Needed at activation: the palette and menus show these commands at once (their views load lazily).
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { addHistoryCommands } from './commands/historyCommands';
import { ICheckpointStatus, IGitCheckpointsClient } from './tokens';
// Needed at activation: the sidebar shows the panel at once.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { TimelinePanel } from './ui/timelinePanel';

const TRANSLATION_DOMAIN = 'jupyterlab_git_checkpoints';

export const historyPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-git-checkpoints:history',
  description:
    'Compare checkpoints, a per-file timeline in the right sidebar, recover deleted files.',
  autoStart: true,
  requires: [
    IGitCheckpointsClient,
    ICheckpointStatus,
    IDocumentManager,
    ITranslator
  ],
  optional: [ICommandPalette, IFileBrowserFactory, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    client: IGitCheckpointsClient,
    status: ICheckpointStatus,
    docManager: IDocumentManager,
    translator: ITranslator,
    palette: ICommandPalette | null,
    browserFactory: IFileBrowserFactory | null,
    labShell: ILabShell | null
  ) => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    addHistoryCommands(app, {
      client,
      status,
      docManager,
      browserFactory,
      trans
    });
    if (palette) {
      const category = trans.__('Git Checkpoints');
      for (const command of [CommandIDs.compare, CommandIDs.recoverDeleted]) {
        palette.addItem({ command, category });
      }
    }
    if (!labShell) {
      return;
    }
    const contents = docManager.services.contents;
    const currentPath = () => {
      const widget = labShell.currentWidget;
      const path = widget && docManager.contextForWidget(widget)?.path;
      return path && contents.driveName(path) === '' ? path : null;
    };
    const panel = new TimelinePanel({
      client,
      status,
      commands: app.commands,
      currentPath,
      currentChanged: labShell.currentChanged,
      serverPath: path => contents.localPath(path),
      pageSize: 10,
      trans
    });
    labShell.add(panel, 'right', { rank: 600 });
    labShell.currentChanged.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.compare)
    );
  }
};
