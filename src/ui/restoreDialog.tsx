import { Dialog, Notification } from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';
import { IGitCheckpointsClient, IRichCheckpoint } from '../tokens';
import { CellRestore } from './cellRestore';
import { CheckpointDocument } from './checkpointDocument';
import {
  DiffLegend,
  IDiffSides,
  LineDiffView,
  NotebookDiffView
} from './diffView';
import { Format } from './format';
import { OptionList } from './optionList';
import { Hunks } from './hunks';
import { LineDiff } from './lineDiff';
import { NotebookDiff } from './notebookDiff';
import { VersionDiff } from './versionDiff';

/**
 * The "Restore checkpoint" dialog body: the file's last checkpoints, newest
 * first, and a preview of the selected one against the current content.
 */
export class RestoreDialog
  extends ReactWidget
  implements Dialog.IBodyWidget<IRichCheckpoint | null>
{
  constructor(options: RestoreDialog.IBodyOptions) {
    super();
    this._options = options;
    this.addClass('jp-gitCheckpoints-restore');
  }

  /**
   * Keys the dialog would take from the body: its Tab trap only knows the
   * buttons (it looks for focusable nodes before React renders the list),
   * and its Enter restores whatever has the focus. Listening on the document
   * in the capture phase runs before the dialog's own listener.
   */
  handleEvent(event: Event): void {
    const key = event as KeyboardEvent;
    const dialog = this.node.closest('.jp-Dialog');
    const active = document.activeElement;
    if (!dialog || !active || !dialog.contains(active)) {
      return;
    }
    const buttons = dialog.querySelectorAll('.jp-Dialog-footer button');
    const last = buttons[buttons.length - 1] as HTMLElement | undefined;
    const list = this.node.querySelector<HTMLElement>(
      RestoreDialog.FOCUS_SELECTOR
    );
    if (key.key === 'Tab' && list && last) {
      const wrap = key.shiftKey ? active === list : active === last;
      if (wrap) {
        key.preventDefault();
        key.stopPropagation();
        (key.shiftKey ? last : list).focus();
      }
    } else if (
      key.key === 'Enter' &&
      this.node.contains(active) &&
      (active instanceof HTMLButtonElement ||
        active instanceof HTMLInputElement)
    ) {
      // The control's own activation, not the dialog's default button.
      key.stopPropagation();
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    document.addEventListener('keydown', this, true);
  }

  protected onBeforeDetach(msg: Message): void {
    document.removeEventListener('keydown', this, true);
    super.onBeforeDetach(msg);
  }

  /** The selected checkpoint, null while none is. */
  getValue(): IRichCheckpoint | null {
    return this._selected;
  }

  protected render(): JSX.Element {
    return (
      <RestoreView
        {...this._options}
        onSelect={checkpoint => (this._selected = checkpoint)}
        onPartRestored={this._options.onPartRestored}
      />
    );
  }

  private _options: RestoreDialog.IBodyOptions;
  private _selected: IRichCheckpoint | null = null;
}

export namespace RestoreDialog {
  export interface IOptions {
    document: CheckpointDocument;
    client: IGitCheckpointsClient;
    /** How many checkpoints to list. */
    limit: number;
    /** Whether a remote is configured (else entries say "local"). */
    hasRemote: boolean;
    trans: TranslationBundle;
  }

  export interface IBodyOptions extends IOptions {
    /** After some cells or lines were restored from the body (the dialog closes then). */
    onPartRestored: () => void;
  }

  /** What the user chose. */
  export type Choice =
    | { action: 'restore'; checkpoint: IRichCheckpoint }
    | { action: 'copy'; checkpoint: IRichCheckpoint }
    | null;

  /** Selector of the element that takes the focus when the dialog opens. */
  export const FOCUS_SELECTOR = '.jp-gitCheckpoints-list';

  /** Marks the "Open as a copy" button among the dialog's accepting buttons. */
  const COPY_ACTION = 'git-checkpoints-open-copy';

  /** Shows the dialog; resolves to the chosen action, or null (cancelled, nothing chosen). */
  export async function show(options: IOptions): Promise<Choice> {
    const { trans } = options;
    const name = options.document.path.split('/').pop();
    // Restoring some cells or lines is done from the body: then the dialog closes with no choice.
    const dialog: Dialog<IRichCheckpoint | null> = new Dialog({
      title: trans.__('Restore checkpoint of %1', name),
      body: new RestoreDialog({
        ...options,
        onPartRestored: () => dialog.reject()
      }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.createButton({
          label: trans.__('Open as a copy'),
          caption: trans.__('Open the selected checkpoint as a new file'),
          accept: true,
          actions: [COPY_ACTION]
        }),
        Dialog.okButton({
          label: trans.__('Restore'),
          caption: trans.__(
            'Replace the file with the selected checkpoint (the current version stays in history)'
          )
        })
      ],
      defaultButton: 2,
      focusNodeSelector: FOCUS_SELECTOR
    });
    const result = await dialog.launch();
    const checkpoint = result.value;
    if (!result.button.accept || !checkpoint) {
      return null;
    }
    return {
      action: result.button.actions.includes(COPY_ACTION) ? 'copy' : 'restore',
      checkpoint
    };
  }
}

type Loadable<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; value: T };

/** A preview: a notebook diff, a line diff (with the current content they were computed from), or a reason there is none. */
type Preview =
  | {
      kind: 'notebook';
      diff: NotebookDiff.IResult;
      current: NotebookDiff.INotebook;
    }
  | { kind: 'text'; diff: LineDiff.IResult; current: string }
  | { kind: 'none'; reason: string };

function RestoreView(
  props: RestoreDialog.IOptions & {
    onSelect: (checkpoint: IRichCheckpoint | null) => void;
    /** After some cells or lines were put back into the open document. */
    onPartRestored: () => void;
  }
): JSX.Element {
  const { document, client, limit, trans, onSelect } = props;
  const [chosen, setChosen] = React.useState<ReadonlySet<number>>(new Set());
  const [history, setHistory] = React.useState<Loadable<IRichCheckpoint[]>>({
    state: 'loading'
  });
  const [selected, setSelected] = React.useState(0);
  const [showOutputs, setShowOutputs] = React.useState(false);
  const [preview, setPreview] = React.useState<Loadable<Preview>>({
    state: 'loading'
  });
  const previews = React.useRef(new Map<string, Promise<Preview>>());
  const current = React.useRef<Promise<CheckpointDocument.Content> | null>(
    null
  );
  React.useEffect(() => {
    client.history(document.serverPath, limit).then(
      answer =>
        setHistory({
          state: 'ready',
          value: [...answer.checkpoints].reverse()
        }),
      error => setHistory({ state: 'error', message: (error as Error).message })
    );
  }, []);

  const checkpoints = history.state === 'ready' ? history.value : [];
  const checkpoint = checkpoints[selected] ?? null;

  React.useEffect(() => {
    onSelect(checkpoint);
    if (!checkpoint) {
      return;
    }
    let live = true;
    setPreview({ state: 'loading' });
    setChosen(new Set());
    let pending = previews.current.get(checkpoint.id);
    if (!pending) {
      current.current = current.current ?? document.current();
      pending = loadPreview(document, checkpoint.id, current.current, trans);
      previews.current.set(checkpoint.id, pending);
    }
    pending.then(
      value => live && setPreview({ state: 'ready', value }),
      error =>
        live &&
        setPreview({ state: 'error', message: (error as Error).message })
    );
    return () => {
      live = false;
    };
  }, [checkpoint?.id]);

  const name = document.path.split('/').pop() ?? document.path;
  const short = checkpoint ? Format.shortId(checkpoint.id) : '';
  const partRestore = async (work: () => Promise<string>) => {
    try {
      const message = await work();
      Notification.success(message, { autoClose: 8000 });
      props.onPartRestored();
    } catch (error) {
      Notification.error(
        trans.__('Could not restore: %1', (error as Error).message),
        { autoClose: 8000 }
      );
    }
  };
  const restoreCells = (value: Preview | null, indexes: number[]) => {
    if (value?.kind !== 'notebook' || indexes.length === 0) {
      return;
    }
    const plan = CellRestore.plan(
      value.diff,
      value.current,
      indexes,
      showOutputs
    );
    void partRestore(async () => {
      const count = await document.restoreCells(plan);
      return trans._n(
        'Restored %1 cell from checkpoint %2 into %3. Not saved yet: save to keep it, Ctrl+Z to undo.',
        'Restored %1 cells from checkpoint %2 into %3. Not saved yet: save to keep them, Ctrl+Z to undo.',
        count,
        short,
        name
      );
    });
  };
  const restoreHunk = (value: Preview | null, hunk: Hunks.IHunk) => {
    if (value?.kind !== 'text') {
      return;
    }
    void partRestore(async () => {
      await document.restoreHunk(value.current, hunk);
      return trans.__(
        'Restored lines %1 to %2 from checkpoint %3 into %4. Not saved yet: save to keep them, Ctrl+Z to undo.',
        hunk.start + 1,
        hunk.start + Math.max(hunk.removed, hunk.lines.length),
        short,
        name
      );
    });
  };

  return (
    <div className="jp-gitCheckpoints-restoreBody">
      <OptionList
        items={checkpoints}
        selected={selected}
        onSelect={setSelected}
        label={trans.__('Checkpoints, newest first')}
        busy={history.state === 'loading'}
        idPrefix="jp-gitCheckpoints-option"
        keyOf={cp => cp.id}
        renderOption={(cp, option) => (
          <CheckpointOption
            {...option}
            checkpoint={cp}
            hasRemote={props.hasRemote}
            trans={trans}
          />
        )}
      >
        <HistoryState history={history} trans={trans} />
      </OptionList>
      <div
        className="jp-gitCheckpoints-previewPane"
        role="region"
        aria-label={trans.__('Preview')}
        aria-live="polite"
      >
        {checkpoint && (
          <PreviewHeader
            preview={preview}
            isNotebook={document.isNotebook}
            showOutputs={showOutputs}
            onShowOutputs={setShowOutputs}
            sides={restoreSides(checkpoint, trans)}
            trans={trans}
          />
        )}
        {checkpoint && preview.state === 'ready' && (
          <PartRestoreBar
            preview={preview.value}
            chosen={chosen}
            onRestore={() => restoreCells(preview.value, [...chosen])}
            trans={trans}
          />
        )}
        {checkpoint && (
          <PreviewBody
            preview={preview}
            showOutputs={showOutputs}
            sides={restoreSides(checkpoint, trans)}
            chosen={chosen}
            onChoose={(index, on) => {
              const next = new Set(chosen);
              if (on) {
                next.add(index);
              } else {
                next.delete(index);
              }
              setChosen(next);
            }}
            onRestoreCells={indexes =>
              restoreCells(
                preview.state === 'ready' ? preview.value : null,
                indexes
              )
            }
            onRestoreHunk={hunk =>
              restoreHunk(
                preview.state === 'ready' ? preview.value : null,
                hunk
              )
            }
            trans={trans}
          />
        )}
      </div>
    </div>
  );
}

function CheckpointOption(props: {
  id: string;
  checkpoint: IRichCheckpoint;
  selected: boolean;
  hasRemote: boolean;
  trans: TranslationBundle;
  onClick: () => void;
}): JSX.Element {
  const { checkpoint, trans } = props;
  const relative = Time.formatHuman(checkpoint.last_modified);
  const absolute = Time.format(checkpoint.last_modified);
  const push = Format.checkpointPush(checkpoint, props.hasRemote, trans);
  const short = Format.shortId(checkpoint.id);
  return (
    <li
      id={props.id}
      role="option"
      aria-selected={props.selected}
      aria-label={trans.__(
        '%1, %2 (%3), %4, %5',
        checkpoint.message,
        relative,
        absolute,
        short,
        push
      )}
      className={
        'jp-gitCheckpoints-option' + (props.selected ? ' jp-mod-selected' : '')
      }
      onClick={props.onClick}
      title={`${checkpoint.message}\n${checkpoint.author.name} <${checkpoint.author.email}>\n${checkpoint.id}`}
    >
      <div className="jp-gitCheckpoints-message">{checkpoint.message}</div>
      <div className="jp-gitCheckpoints-meta">
        <span className="jp-gitCheckpoints-when">{relative}</span>
        <span className="jp-gitCheckpoints-absolute">{absolute}</span>
        <code className="jp-gitCheckpoints-hash">{short}</code>
        <span
          className={
            'jp-gitCheckpoints-push' +
            (checkpoint.pushed ? ' jp-mod-pushed' : '')
          }
        >
          {push}
        </span>
      </div>
    </li>
  );
}

/** A message in place of the list or the preview: loading, empty, or an error (an alert). */
function StateMessage(props: {
  error?: boolean;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <div
      className={`jp-gitCheckpoints-state${props.error ? ' jp-gitCheckpoints-error' : ''}`}
      role={props.error ? 'alert' : 'status'}
    >
      {props.children}
    </div>
  );
}

function HistoryState(props: {
  history: Loadable<IRichCheckpoint[]>;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { history, trans } = props;
  switch (history.state) {
    case 'loading':
      return <StateMessage>{trans.__('Loading checkpoints…')}</StateMessage>;
    case 'error':
      return (
        <StateMessage error>
          {trans.__('Could not load the checkpoints: %1', history.message)}
        </StateMessage>
      );
    case 'ready':
      return history.value.length ? null : (
        <StateMessage>
          {trans.__(
            'No checkpoints yet. Save with Ctrl+S or use "Create checkpoint" to make one.'
          )}
        </StateMessage>
      );
  }
}

/** The restore preview reads as what Restore does: the current version is removed, the checkpoint added. */
function restoreSides(
  checkpoint: IRichCheckpoint,
  trans: TranslationBundle
): IDiffSides {
  return {
    before: trans.__('current version'),
    after: trans.__('checkpoint %1', Format.shortId(checkpoint.id))
  };
}

function PreviewHeader(props: {
  preview: Loadable<Preview>;
  isNotebook: boolean;
  showOutputs: boolean;
  onShowOutputs: (show: boolean) => void;
  sides: IDiffSides;
  trans: TranslationBundle;
}): JSX.Element {
  const { preview, trans } = props;
  let summary = '';
  if (preview.state === 'ready' && preview.value.kind === 'notebook') {
    const { added, removed, changed } = preview.value.diff;
    summary = trans.__(
      'Restore changes %1 cells, adds %2, removes %3.',
      changed,
      added,
      removed
    );
  } else if (preview.state === 'ready' && preview.value.kind === 'text') {
    const { added, removed } = preview.value.diff;
    summary = trans.__('Restore removes %1 lines and adds %2.', removed, added);
  }
  return (
    <div className="jp-gitCheckpoints-previewHeader">
      <div>
        <div>
          {trans.__('What Restore does to the current version')}
          {summary && (
            <span className="jp-gitCheckpoints-summary">{summary}</span>
          )}
        </div>
        <DiffLegend sides={props.sides} />
      </div>
      {props.isNotebook && (
        <label className="jp-gitCheckpoints-outputsToggle">
          <input
            type="checkbox"
            checked={props.showOutputs}
            onChange={event => props.onShowOutputs(event.target.checked)}
          />
          {trans.__('Show outputs')}
        </label>
      )}
    </div>
  );
}

/** "Restore N selected cells", above a notebook preview. */
function PartRestoreBar(props: {
  preview: Preview;
  chosen: ReadonlySet<number>;
  onRestore: () => void;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { preview, chosen, trans } = props;
  if (
    preview.kind !== 'notebook' ||
    !preview.diff.entries.some(CellRestore.canRestore)
  ) {
    return null;
  }
  return (
    <div className="jp-gitCheckpoints-partBar">
      <span>
        {trans.__(
          'Or put back only some cells (into the open notebook, unsaved):'
        )}
      </span>
      <button
        className="jp-gitCheckpoints-button jp-gitCheckpoints-restoreChosen"
        disabled={chosen.size === 0}
        onClick={props.onRestore}
      >
        {trans._n(
          'Restore %1 selected cell',
          'Restore %1 selected cells',
          chosen.size
        )}
      </button>
    </div>
  );
}

/** The checkbox and "Restore this cell" button of a restorable cell. */
function CellRestoreActions(props: {
  entry: NotebookDiff.IEntry;
  index: number;
  chosen: boolean;
  onChoose: (on: boolean) => void;
  onRestore: () => void;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { entry, index, trans } = props;
  if (!CellRestore.canRestore(entry)) {
    return null;
  }
  return (
    <span className="jp-gitCheckpoints-cellActions">
      <label className="jp-gitCheckpoints-choose">
        <input
          type="checkbox"
          checked={props.chosen}
          onChange={event => props.onChoose(event.target.checked)}
          aria-label={trans.__('Select cell %1 to restore', index + 1)}
        />
        {trans.__('select')}
      </label>
      <button
        className="jp-gitCheckpoints-button jp-gitCheckpoints-restoreCell"
        onClick={props.onRestore}
        aria-label={trans.__('Restore cell %1 from the checkpoint', index + 1)}
      >
        {trans.__('Restore this cell')}
      </button>
    </span>
  );
}

function PreviewBody(props: {
  preview: Loadable<Preview>;
  showOutputs: boolean;
  sides: IDiffSides;
  chosen: ReadonlySet<number>;
  onChoose: (index: number, on: boolean) => void;
  onRestoreCells: (indexes: number[]) => void;
  onRestoreHunk: (hunk: Hunks.IHunk) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { preview, trans } = props;
  if (preview.state === 'loading') {
    return <StateMessage>{trans.__('Loading preview…')}</StateMessage>;
  }
  if (preview.state === 'error') {
    return (
      <StateMessage error>
        {trans.__('No preview: %1', preview.message)}
      </StateMessage>
    );
  }
  const value = preview.value;
  switch (value.kind) {
    case 'none':
      return <div className="jp-gitCheckpoints-state">{value.reason}</div>;
    case 'text':
      return value.diff.added + value.diff.removed === 0 ? (
        <div className="jp-gitCheckpoints-state">
          {trans.__('Same as the current version.')}
        </div>
      ) : (
        <LineDiffView
          diff={value.diff}
          trans={trans}
          hunkAction={hunk => (
            <button
              className="jp-gitCheckpoints-button jp-gitCheckpoints-restoreHunk"
              onClick={() => props.onRestoreHunk(hunk)}
            >
              {trans.__('Restore these lines')}
            </button>
          )}
        />
      );
    case 'notebook':
      return (
        <NotebookDiffView
          diff={value.diff}
          showOutputs={props.showOutputs}
          sides={props.sides}
          trans={trans}
          cellActions={(entry, i) => (
            <CellRestoreActions
              entry={entry}
              index={i}
              chosen={props.chosen.has(i)}
              onChoose={on => props.onChoose(i, on)}
              onRestore={() => props.onRestoreCells([i])}
              trans={trans}
            />
          )}
        />
      );
  }
}

/** Fetches a checkpoint and compares the current content (removed) with it (added). */
async function loadPreview(
  document: CheckpointDocument,
  id: string,
  current: Promise<CheckpointDocument.Content>,
  trans: TranslationBundle
): Promise<Preview> {
  const [after, before] = await Promise.all([document.checkpoint(id), current]);
  const diff = VersionDiff.compute(before, after, {}, trans);
  if (diff.kind === 'notebook' && before.kind === 'notebook') {
    return { ...diff, current: before.notebook };
  }
  if (diff.kind === 'text' && before.kind === 'text') {
    return { ...diff, current: before.text };
  }
  return diff.kind === 'none'
    ? diff
    : { kind: 'none', reason: trans.__('Binary file: no preview.') };
}
