/**
 * Git Checkpoints for JupyterLab: the plugins construct and register, the
 * classes in ui/ and commands/ do the work.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator } from '@jupyterlab/translation';
import { browserPlugins, isBrowserMode } from './browser/plugins';
import { CommandIDs } from './commands/commandIds';
// Needed at activation: menus and toolbars show these commands at once (the dialog itself loads lazily).
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { addDocumentCommands } from './commands/documentCommands';
import { addRemoteCommands } from './commands/remoteCommands';
import { historyPlugin } from './historyPlugin';
import { ICheckpointStatus, IGitCheckpointsClient } from './tokens';
import { GitCheckpointsClient } from './ui/client';
import { RemoteSettingsSync } from './ui/remoteSettings';
// Needed at activation: the status bar shows the item at once.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { CheckpointStatusItem } from './ui/statusItem';
// Needed at activation: it is the status plugin's value.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { CheckpointStatus } from './ui/statusModel';
import { refreshStatusOnCommits } from './ui/statusTriggers';

const PLUGIN_ID = 'jupyterlab-git-checkpoints:plugin';
const TRANSLATION_DOMAIN = 'jupyterlab_git_checkpoints';

/** The REST client of the server extension. */
const clientPlugin: JupyterFrontEndPlugin<IGitCheckpointsClient> = {
  id: 'jupyterlab-git-checkpoints:client',
  description: 'The REST client of the git checkpoints server extension.',
  autoStart: true,
  provides: IGitCheckpointsClient,
  activate: (app: JupyterFrontEnd) =>
    new GitCheckpointsClient({
      serverSettings: app.serviceManager.serverSettings
    })
};

/** The repository status, and its item in the status bar (or the top area without one). */
const statusPlugin: JupyterFrontEndPlugin<ICheckpointStatus> = {
  id: 'jupyterlab-git-checkpoints:status',
  description: 'Branch, last checkpoint and push state, in the status bar.',
  autoStart: true,
  requires: [IGitCheckpointsClient, IDocumentManager, ITranslator],
  optional: [IStatusBar],
  provides: ICheckpointStatus,
  activate: (
    app: JupyterFrontEnd,
    client: IGitCheckpointsClient,
    docManager: IDocumentManager,
    translator: ITranslator,
    statusBar: IStatusBar | null
  ) => {
    const model = new CheckpointStatus({ client });
    refreshStatusOnCommits(app.commands, docManager.services.contents, model);
    const trans = translator.load(TRANSLATION_DOMAIN);
    const item = new CheckpointStatusItem({
      model,
      trans,
      detailsInDialog: !statusBar
    });
    if (statusBar) {
      statusBar.registerStatusItem('jupyterlab-git-checkpoints:status', {
        item,
        align: 'left',
        rank: 10
      });
    } else {
      // Jupyter Notebook 7 has no status bar: the item goes in its top area.
      item.id = 'jp-gitCheckpoints-topStatus';
      app.shell.add(item, 'top', { rank: 1000 });
    }
    return model;
  }
};

/** Commands, menus, toolbar buttons and settings. */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Restore and create git checkpoints; remote settings.',
  autoStart: true,
  requires: [
    IGitCheckpointsClient,
    ICheckpointStatus,
    IDocumentManager,
    ISettingRegistry,
    ITranslator
  ],
  optional: [ICommandPalette, IFileBrowserFactory, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    client: IGitCheckpointsClient,
    status: ICheckpointStatus,
    docManager: IDocumentManager,
    settingRegistry: ISettingRegistry,
    translator: ITranslator,
    palette: ICommandPalette | null,
    browserFactory: IFileBrowserFactory | null,
    labShell: ILabShell | null
  ) => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    let historyLength = 10;
    addDocumentCommands(app, {
      client,
      status,
      docManager,
      browserFactory,
      trans,
      historyLength: () => historyLength
    });
    addRemoteCommands(app, { client, status, trans });

    if (palette) {
      const category = trans.__('Git Checkpoints');
      for (const command of [
        CommandIDs.restore,
        CommandIDs.create,
        CommandIDs.setPassword,
        CommandIDs.push,
        CommandIDs.moveUrlCredentials
      ]) {
        palette.addItem({ command, category });
      }
    }
    // Toolbar buttons and menu entries follow the current document and the remote.
    labShell?.currentChanged.connect(() => {
      app.commands.notifyCommandChanged(CommandIDs.restore);
      app.commands.notifyCommandChanged(CommandIDs.create);
    });
    status.changed.connect(() => {
      app.commands.notifyCommandChanged(CommandIDs.push);
      app.commands.notifyCommandChanged(CommandIDs.moveUrlCredentials);
    });

    settingRegistry.load(PLUGIN_ID).then(
      settings => {
        const update = () => {
          historyLength = settings.composite.historyLength as number;
        };
        update();
        settings.changed.connect(update);
        new RemoteSettingsSync({ client, status, settings, trans });
      },
      reason => console.error(`${PLUGIN_ID}: settings not loaded`, reason)
    );
  }
};

// Without a server (JupyterLite) the engine runs in the page, behind the same client interface.
export default isBrowserMode()
  ? [...browserPlugins, statusPlugin, commandsPlugin, historyPlugin]
  : [clientPlugin, statusPlugin, commandsPlugin, historyPlugin];
