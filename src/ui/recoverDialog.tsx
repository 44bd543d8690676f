import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';
import { IDeletedFile, IGitCheckpointsClient } from '../tokens';
import { Format } from './format';
import { OptionList } from './optionList';
import { NotebookDiff } from './notebookDiff';

/**
 * "Recover deleted file": the files deleted under a folder (path, when,
 * last message), newest first, with a preview of the last version.
 */
export class RecoverDialog
  extends ReactWidget
  implements Dialog.IBodyWidget<IDeletedFile | null>
{
  constructor(private _options: RecoverDialog.IOptions) {
    super();
    this.addClass('jp-gitCheckpoints-recover');
  }

  getValue(): IDeletedFile | null {
    return this._selected;
  }

  protected render(): JSX.Element {
    return (
      <RecoverView
        {...this._options}
        onSelect={file => (this._selected = file)}
      />
    );
  }

  private _selected: IDeletedFile | null = null;
}

export namespace RecoverDialog {
  export interface IOptions {
    /** The folder, as a server path ('' for the root). */
    folder: string;
    client: IGitCheckpointsClient;
    trans: TranslationBundle;
  }

  /** Shows the dialog; resolves to the file to recover, or null. */
  export async function show(options: IOptions): Promise<IDeletedFile | null> {
    const { trans } = options;
    const result = await showDialog({
      title: options.folder
        ? trans.__('Recover a file deleted under %1', options.folder)
        : trans.__('Recover a deleted file'),
      body: new RecoverDialog(options),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({
          label: trans.__('Recover'),
          caption: trans.__(
            'Write the file back and commit it; its history continues'
          )
        })
      ],
      focusNodeSelector: '.jp-gitCheckpoints-list'
    });
    return result.button.accept ? result.value : null;
  }
}

function RecoverView(
  props: RecoverDialog.IOptions & {
    onSelect: (file: IDeletedFile | null) => void;
  }
): JSX.Element {
  const { client, folder, trans } = props;
  const [files, setFiles] = React.useState<IDeletedFile[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [selected, setSelected] = React.useState(0);
  const [preview, setPreview] = React.useState<string | null>(null);
  React.useEffect(() => {
    client.deletedFiles(folder).then(setFiles, e => setError(e.message));
  }, []);

  const file = files?.[selected] ?? null;
  React.useEffect(() => {
    props.onSelect(file);
    if (!file) {
      return;
    }
    let live = true;
    setPreview(null);
    client.content(file.path, file.last.id).then(
      data => live && setPreview(previewText(file.path, data, trans)),
      e => live && setPreview(trans.__('No preview: %1', e.message))
    );
    return () => {
      live = false;
    };
  }, [file?.path]);

  return (
    <div className="jp-gitCheckpoints-restoreBody">
      <OptionList
        items={files ?? []}
        selected={selected}
        onSelect={setSelected}
        label={trans.__('Deleted files, newest first')}
        busy={files === null && !error}
        idPrefix="jp-gitCheckpoints-deleted"
        keyOf={f => f.path}
        renderOption={(f, option) => (
          <li
            id={option.id}
            role="option"
            aria-selected={option.selected}
            className={
              'jp-gitCheckpoints-option' +
              (option.selected ? ' jp-mod-selected' : '')
            }
            onClick={option.onClick}
          >
            <div className="jp-gitCheckpoints-message">{f.path}</div>
            <div className="jp-gitCheckpoints-meta">
              <span>
                {trans.__('deleted %1', Time.formatHuman(f.deleted_at))}
              </span>
              <span>{f.last.message}</span>
              <code className="jp-gitCheckpoints-hash">
                {Format.shortId(f.last.id)}
              </code>
            </div>
          </li>
        )}
      >
        {error && (
          <div
            className="jp-gitCheckpoints-state jp-gitCheckpoints-error"
            role="alert"
          >
            {trans.__('Could not list the deleted files: %1', error)}
          </div>
        )}
        {files?.length === 0 && (
          <div className="jp-gitCheckpoints-state" role="status">
            {trans.__('No file was deleted here.')}
          </div>
        )}
        {files === null && !error && (
          <div className="jp-gitCheckpoints-state" role="status">
            {trans.__('Loading…')}
          </div>
        )}
      </OptionList>
      <div
        className="jp-gitCheckpoints-previewPane"
        role="region"
        aria-label={trans.__('Preview of the last version')}
      >
        {file && (
          <pre className="jp-gitCheckpoints-source jp-gitCheckpoints-recoverPreview">
            {preview ?? trans.__('Loading preview…')}
          </pre>
        )}
      </div>
    </div>
  );
}

/** The last version as text: a notebook's cell sources, a text file as it is. */
function previewText(
  path: string,
  data: { format: string; content: string },
  trans: TranslationBundle
): string {
  if (data.format === 'base64') {
    return trans.__('Binary file: no preview.');
  }
  if (!Format.isNotebook(path)) {
    return data.content;
  }
  try {
    const notebook = JSON.parse(data.content) as NotebookDiff.INotebook;
    return notebook.cells
      .map(cell => `[${cell.cell_type}]\n${NotebookDiff.sourceOf(cell)}`)
      .join('\n\n');
  } catch {
    return data.content;
  }
}
