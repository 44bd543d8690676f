import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandIDs, NO_ARGS } from '../commands/commandIds';
import type { ICheckpointStatus } from '../tokens';
import type { BrowserRepository } from './browserRepository';
import { reportFailure } from '../commands/reportFailure';

/**
 * Browser mode's commands to take the repository out of the browser and
 * bring it back: a zip of `.git` that the git CLI reads once unpacked.
 */
export function addRepositoryCommands(
  app: JupyterFrontEnd,
  options: RepositoryCommands.IOptions
): void {
  const { repository, status, trans } = options;

  app.commands.addCommand(CommandIDs.exportRepository, {
    label: trans.__('Download Git Checkpoints Repository'),
    caption: trans.__(
      'Download the checkpoints repository kept in this browser as a zip of its .git directory'
    ),
    describedBy: NO_ARGS,
    execute: async () => {
      await reportFailure(trans.__('Download failed'), null, async () => {
        const blob = await repository.exportArchive();
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = `checkpoints-${new Date().toISOString().slice(0, 10)}.git.zip`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      });
    }
  });

  app.commands.addCommand(CommandIDs.importRepository, {
    label: trans.__('Import Git Checkpoints Repository…'),
    caption: trans.__(
      'Replace the checkpoints repository in this browser with a downloaded one, and restore its files'
    ),
    describedBy: NO_ARGS,
    execute: async () => {
      const file = await Private.pickFile();
      if (!file) {
        return;
      }
      const answer = await showDialog({
        title: trans.__('Import %1?', file.name),
        body: trans.__(
          "The history kept in this browser is replaced by the archive's, and its files are written over the files of the same name."
        ),
        buttons: [
          Dialog.cancelButton(),
          Dialog.warnButton({ label: trans.__('Import') })
        ]
      });
      if (!answer.button.accept) {
        return;
      }
      await reportFailure(trans.__('Import failed'), status, async () => {
        const count = await repository.importArchive(
          new Uint8Array(await file.arrayBuffer())
        );
        Notification.success(
          trans.__('Imported %1 files with their history', count),
          {
            autoClose: 4000
          }
        );
      });
    }
  });
}

export namespace RepositoryCommands {
  export interface IOptions {
    repository: BrowserRepository;
    status: ICheckpointStatus;
    trans: TranslationBundle;
  }
}

namespace Private {
  /** Asks for one `.zip` file; null when none was picked. */
  export function pickFile(): Promise<File | null> {
    return new Promise(resolve => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.zip,application/zip';
      input.onchange = () => resolve(input.files?.[0] ?? null);
      input.oncancel = () => resolve(null);
      input.click();
    });
  }
}
