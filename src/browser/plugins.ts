/**
 * Browser mode (JupyterLite, no server extension): the repository in a Web
 * Worker, a contents manager whose default drive checkpoints into it, and the
 * UI's client. The UI plugins are the same as with a server.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import {
  Contents,
  ContentsManager,
  IContentsManager,
  IDefaultDrive,
  IServerSettings,
  ServerConnection
} from '@jupyterlab/services';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';
import { Token } from '@lumino/coreutils';
import { CommandIDs } from '../commands/commandIds';
import { ICheckpointStatus, IGitCheckpointsClient } from '../tokens';
// Needed at activation: it is the client plugin's value.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { BrowserClient } from './browserClient';
// Needed at activation: the service manager's contents are built on it before the app starts.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { BrowserRepository } from './browserRepository';
import { CheckpointDrive } from './checkpointDrive';
import { addRepositoryCommands } from './repositoryCommands';

/** Whether this page has no server to run the engine: JupyterLite. */
export function isBrowserMode(): boolean {
  return PageConfig.getOption('appName') === 'JupyterLite';
}

/** The repository the drive and the client share. */
type IBrowserRepository = BrowserRepository;
const IBrowserRepository = new Token<IBrowserRepository>(
  'jupyterlab-git-checkpoints:IBrowserRepository',
  'The git repository kept in the browser (engine in a Web Worker).'
);

// The lint rule matches arguments to tokens by name; these tokens' types are Contents.IDrive and ServerConnection.ISettings.
/* eslint-disable jupyter/plugin-activation-args */
const repositoryPlugin: JupyterFrontEndPlugin<IBrowserRepository> = {
  id: 'jupyterlab-git-checkpoints:browser-repository',
  description: 'The git repository of the default drive, kept in the browser.',
  autoStart: true,
  requires: [IDefaultDrive, IServerSettings],
  provides: IBrowserRepository,
  activate: (
    app: JupyterFrontEnd,
    drive: Contents.IDrive,
    serverSettings: ServerConnection.ISettings
  ) =>
    new BrowserRepository({
      drive,
      open: {
        // One repository per site, as JupyterLite keeps one drive per site.
        database: `git-checkpoints:${new URL(serverSettings.baseUrl, location.href).pathname}`,
        branch: 'checkpoints',
        author: { name: 'JupyterLite', email: 'jupyterlite@localhost' }
      }
    })
};

const contentsPlugin: JupyterFrontEndPlugin<Contents.IManager> = {
  id: 'jupyterlab-git-checkpoints:contents-manager',
  description: 'A contents manager whose checkpoints are git commits.',
  autoStart: true,
  requires: [IBrowserRepository, IServerSettings],
  provides: IContentsManager,
  activate: (
    app: JupyterFrontEnd,
    repository: IBrowserRepository,
    serverSettings: ServerConnection.ISettings
  ) =>
    new ContentsManager({
      defaultDrive: new CheckpointDrive(repository),
      serverSettings
    })
};
/* eslint-enable jupyter/plugin-activation-args */

const clientPlugin: JupyterFrontEndPlugin<IGitCheckpointsClient> = {
  id: 'jupyterlab-git-checkpoints:client',
  description: 'The git checkpoints client of the repository in the browser.',
  autoStart: true,
  requires: [IBrowserRepository],
  provides: IGitCheckpointsClient,
  activate: (app: JupyterFrontEnd, repository: IBrowserRepository) =>
    new BrowserClient(repository)
};

const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-git-checkpoints:browser-commands',
  description: 'Download and import the repository kept in the browser.',
  autoStart: true,
  requires: [IBrowserRepository, ICheckpointStatus, ITranslator],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    repository: IBrowserRepository,
    status: ICheckpointStatus,
    translator: ITranslator,
    palette: ICommandPalette | null
  ) => {
    const trans = translator.load('jupyterlab_git_checkpoints');
    addRepositoryCommands(app, { repository, status, trans });
    for (const command of [
      CommandIDs.exportRepository,
      CommandIDs.importRepository
    ]) {
      palette?.addItem({ command, category: trans.__('Git Checkpoints') });
    }
  }
};

export const browserPlugins: JupyterFrontEndPlugin<any>[] = [
  repositoryPlugin,
  contentsPlugin,
  clientPlugin,
  commandsPlugin
];
