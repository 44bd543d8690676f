import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import { Popup, showPopup } from '@jupyterlab/statusbar';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import { ICheckpointFailure, ICheckpointStatus, IStatus } from '../tokens';
import { Format } from './format';
import { checkpointIcon } from './icons';

/**
 * The status bar item: branch, time of the last checkpoint and push state.
 * Click (or Enter/Space) opens a popup with the details and "Push now".
 */
export class CheckpointStatusItem extends ReactWidget {
  constructor(options: CheckpointStatusItem.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._inDialog = options.detailsInDialog ?? false;
    this.addClass('jp-gitCheckpoints-statusItem');
  }

  dispose(): void {
    this._popup?.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <StatusLabel
            model={this._model}
            trans={this._trans}
            onOpen={() => this._openPopup()}
          />
        )}
      </UseSignal>
    );
  }

  private _openPopup(): void {
    if (this._popup && !this._popup.isDisposed) {
      this._popup.dispose();
      return;
    }
    this._model.kick();
    const body = new CheckpointStatusPopup({
      model: this._model,
      trans: this._trans
    });
    if (this._inDialog) {
      void showDialog({
        title: this._trans.__('Git checkpoints'),
        body,
        buttons: [Dialog.okButton({ label: this._trans.__('Close') })]
      });
      return;
    }
    this._popup = showPopup({
      body,
      anchor: this,
      align: 'right',
      hasDynamicSize: true
    });
  }

  private _model: ICheckpointStatus;
  private _trans: TranslationBundle;
  private _popup: Popup | null = null;
  private _inDialog: boolean;
}

export namespace CheckpointStatusItem {
  export interface IOptions {
    model: ICheckpointStatus;
    trans: TranslationBundle;
    /** Details in a dialog, not a popup above the item (which needs a status bar below). */
    detailsInDialog?: boolean;
  }
}

/** The popup body: every field of the status, and "Push now". */
export class CheckpointStatusPopup extends ReactWidget {
  constructor(options: CheckpointStatusItem.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this.addClass('jp-gitCheckpoints-statusPopup');
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => <StatusDetails model={this._model} trans={this._trans} />}
      </UseSignal>
    );
  }

  private _model: ICheckpointStatus;
  private _trans: TranslationBundle;
}

function StatusLabel(props: {
  model: ICheckpointStatus;
  trans: TranslationBundle;
  onOpen: () => void;
}): JSX.Element {
  const { model, trans } = props;
  const status = model.status;
  let text: string;
  let title: string;
  let problem = false;
  if (!status) {
    text = model.error
      ? trans.__('Checkpoints unavailable')
      : trans.__('Checkpoints…');
    title = model.error ?? trans.__('Loading the checkpoint status');
    problem = !!model.error;
  } else {
    const parts = [status.branch];
    if (status.last_checkpoint) {
      parts.push(Time.formatHuman(status.last_checkpoint, 'narrow'));
    }
    parts.push(Format.pushState(status, trans));
    text = parts.join(' · ');
    title = statusTitle(status, trans);
    problem = Format.isProblem(status);
    if (status.checkpoint_error) {
      text = trans.__(
        'Checkpoints failing: %1',
        failureReason(status.checkpoint_error, trans)
      );
      title = `${status.checkpoint_error.message}\n${title}`;
      problem = true;
    }
  }
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      props.onOpen();
    }
  };
  return (
    <div
      className={
        'jp-gitCheckpoints-statusLabel' + (problem ? ' jp-mod-warning' : '')
      }
      role="button"
      tabIndex={0}
      title={title}
      aria-label={trans.__('Git checkpoints: %1', text)}
      onClick={props.onOpen}
      onKeyDown={onKeyDown}
    >
      <checkpointIcon.react
        tag="span"
        className="jp-gitCheckpoints-statusIcon"
      />
      <span className="jp-gitCheckpoints-statusText">{text}</span>
    </div>
  );
}

function statusTitle(status: IStatus, trans: TranslationBundle): string {
  const lines = [
    trans.__('Git checkpoints on branch %1', status.branch),
    Format.pushState(status, trans)
  ];
  if (status.last_error) {
    lines.push(status.last_error);
  }
  return lines.join('\n');
}

function StatusDetails(props: {
  model: ICheckpointStatus;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const [pushing, setPushing] = React.useState(false);
  const [pushError, setPushError] = React.useState<string | null>(null);
  const status = model.status;
  if (!status) {
    return (
      <div className="jp-gitCheckpoints-statusDetails" role="status">
        {model.error ?? trans.__('Loading…')}
      </div>
    );
  }
  const pushNow = async () => {
    setPushing(true);
    setPushError(null);
    try {
      await model.pushNow();
    } catch (error) {
      setPushError((error as Error).message);
    } finally {
      setPushing(false);
    }
  };
  const rows: [string, string, boolean?][] = [
    [trans.__('Branch'), status.branch],
    [trans.__('Repository'), status.repository],
    [trans.__('Last checkpoint'), timeText(status.last_checkpoint, trans)],
    [trans.__('Size on disk'), Format.size(status.size_on_disk, trans)]
  ];
  rows.push(
    [trans.__('Remote'), status.remote ?? trans.__('none (local only)')],
    [trans.__('Push state'), Format.pushState(status, trans)],
    [trans.__('Last push'), timeText(status.last_push, trans)]
  );
  if (status.last_error) {
    rows.push([trans.__('Last error'), status.last_error, true]);
  }
  if (status.checkpoint_error) {
    rows.push([
      trans.__('Checkpoints failing'),
      `${failureReason(status.checkpoint_error, trans)}: ${status.checkpoint_error.message}`,
      true
    ]);
  }
  if (status.credentials_in_url?.length) {
    rows.push([
      trans.__('Password in a remote URL'),
      trans.__(
        '%1 in .git/config: run “Move the Credential out of the Remote URL” from the command palette',
        status.credentials_in_url.join(', ')
      ),
      true
    ]);
  }
  return (
    <div
      className="jp-gitCheckpoints-statusDetails"
      aria-label={trans.__('Git checkpoints status')}
    >
      <dl>
        {rows.map(([label, value, isError]) => (
          <React.Fragment key={label}>
            <dt>{label}</dt>
            <dd className={isError ? 'jp-gitCheckpoints-error' : undefined}>
              {value}
            </dd>
          </React.Fragment>
        ))}
      </dl>
      {pushError && (
        <div className="jp-gitCheckpoints-error" role="alert">
          {pushError}
        </div>
      )}
      <button
        className="jp-Button jp-mod-styled jp-mod-accept"
        disabled={!status.remote || pushing}
        onClick={pushNow}
      >
        {pushing ? trans.__('Pushing…') : trans.__('Push now')}
      </button>
    </div>
  );
}

/** "disk full", "locked by git since 10:02": the time in the user's clock. */
function failureReason(
  failure: ICheckpointFailure,
  trans: TranslationBundle
): string {
  const since = new Date(failure.since).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit'
  });
  return Format.checkpointFailure(failure, since, trans);
}

function timeText(
  value: string | null | undefined,
  trans: TranslationBundle
): string {
  if (!value) {
    return trans.__('never');
  }
  return `${Time.formatHuman(value)} (${Time.format(value)})`;
}
