import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { UUID } from '@lumino/coreutils';
import * as React from 'react';
import { IGitCheckpointsClient, IRichCheckpoint } from '../tokens';
import { CheckpointDocument } from './checkpointDocument';
import {
  DiffLegend,
  IDiffSides,
  LineDiffView,
  NotebookDiffView
} from './diffView';
import { Format } from './format';
import { VersionDiff } from './versionDiff';

/**
 * Compares any two versions of a file: two checkpoints, or a checkpoint and
 * the current (unsaved) content, with the cell-level view of the restore
 * preview. The diff runs here, in the browser.
 */
export class CompareView extends ReactWidget {
  constructor(options: CompareView.IOptions) {
    super();
    this._options = options;
    const name = options.document.path.split('/').pop() ?? '';
    this.id = `jp-gitCheckpoints-compare-${UUID.uuid4()}`;
    this.title.label = options.trans.__('Compare %1', name);
    this.title.closable = true;
    this.addClass('jp-gitCheckpoints-compare');
  }

  protected render(): JSX.Element {
    return <CompareBody {...this._options} />;
  }

  private _options: CompareView.IOptions;
}

export namespace CompareView {
  /** The side that stands for the current content. */
  export const CURRENT = 'current';

  export interface IOptions {
    document: CheckpointDocument;
    client: IGitCheckpointsClient;
    trans: TranslationBundle;
    /** Checkpoint ids (or CURRENT) of the older and the newer side. */
    before?: string;
    after?: string;
    /** How many checkpoints the pickers offer. */
    limit?: number;
  }
}

type Compared =
  { kind: 'loading' } | { kind: 'error'; message: string } | VersionDiff;

function CompareBody(props: CompareView.IOptions): JSX.Element {
  const { document, client, trans } = props;
  const [checkpoints, setCheckpoints] = React.useState<IRichCheckpoint[]>([]);
  const [before, setBefore] = React.useState(props.before ?? '');
  const [after, setAfter] = React.useState(props.after ?? CompareView.CURRENT);
  const [showOutputs, setShowOutputs] = React.useState(false);
  const [hideUnchanged, setHideUnchanged] = React.useState(true);
  const [ignoreMetadata, setIgnoreMetadata] = React.useState(true);
  const [compared, setCompared] = React.useState<Compared>({
    kind: 'loading'
  });
  const contents = React.useRef(
    new Map<string, Promise<CheckpointDocument.Content>>()
  );

  React.useEffect(() => {
    client.timeline(document.serverPath, { limit: props.limit ?? 100 }).then(
      page => {
        setCheckpoints(page.checkpoints);
        if (!props.before) {
          setBefore(page.checkpoints[0]?.id ?? CompareView.CURRENT);
        }
      },
      error => setCompared({ kind: 'error', message: error.message })
    );
  }, []);

  const load = (id: string) => {
    let pending = contents.current.get(id);
    if (!pending) {
      pending =
        id === CompareView.CURRENT
          ? document.current()
          : document.checkpoint(id);
      contents.current.set(id, pending);
    }
    return pending;
  };

  React.useEffect(() => {
    if (!before || !after) {
      return;
    }
    let live = true;
    setCompared({ kind: 'loading' });
    Promise.all([load(before), load(after)])
      .then(([a, b]) =>
        VersionDiff.compute(
          a,
          b,
          { outputs: showOutputs, metadata: !ignoreMetadata },
          trans
        )
      )
      .then(
        value => live && setCompared(value),
        error => live && setCompared({ kind: 'error', message: error.message })
      );
    return () => {
      live = false;
    };
  }, [before, after, showOutputs, ignoreMetadata]);

  const label = (id: string) => {
    if (id === CompareView.CURRENT) {
      return trans.__('current version (unsaved edits included)');
    }
    const checkpoint = checkpoints.find(c => c.id === id);
    return trans.__(
      'checkpoint %1 (%2)',
      Format.shortId(id),
      checkpoint?.message ?? ''
    );
  };
  const sides: IDiffSides = { before: label(before), after: label(after) };
  const picker = (
    value: string,
    onChange: (id: string) => void,
    name: string
  ) => (
    <select
      className="jp-gitCheckpoints-picker"
      aria-label={name}
      value={value}
      onChange={event => onChange(event.target.value)}
    >
      <option value={CompareView.CURRENT}>
        {trans.__('Current version (unsaved edits included)')}
      </option>
      {checkpoints.map(c => (
        <option key={c.id} value={c.id}>
          {`${Format.shortId(c.id)} · ${c.message} · ${Time.formatHuman(c.last_modified)}`}
        </option>
      ))}
    </select>
  );
  const toggle = (
    text: string,
    checked: boolean,
    onChange: (on: boolean) => void
  ) => (
    <label className="jp-gitCheckpoints-outputsToggle">
      <input
        type="checkbox"
        checked={checked}
        onChange={event => onChange(event.target.checked)}
      />
      {text}
    </label>
  );

  return (
    <div className="jp-gitCheckpoints-compareBody">
      <div className="jp-gitCheckpoints-compareBar">
        <label className="jp-gitCheckpoints-side">
          {trans.__('From (−)')}
          {picker(before, setBefore, trans.__('Older side'))}
        </label>
        <label className="jp-gitCheckpoints-side">
          {trans.__('To (+)')}
          {picker(after, setAfter, trans.__('Newer side'))}
        </label>
      </div>
      <div className="jp-gitCheckpoints-compareBar">
        {document.isNotebook &&
          toggle(trans.__('Show outputs'), showOutputs, setShowOutputs)}
        {document.isNotebook &&
          toggle(
            trans.__('Hide unchanged cells'),
            hideUnchanged,
            setHideUnchanged
          )}
        {document.isNotebook &&
          toggle(
            trans.__('Ignore execution counts and metadata'),
            ignoreMetadata,
            setIgnoreMetadata
          )}
      </div>
      <DiffLegend sides={sides} />
      <div
        className="jp-gitCheckpoints-compareResult"
        role="region"
        aria-label={trans.__('Differences')}
        aria-live="polite"
      >
        <CompareResult
          compared={compared}
          sides={sides}
          showOutputs={showOutputs}
          hideUnchanged={hideUnchanged}
          trans={trans}
        />
      </div>
    </div>
  );
}

function CompareResult(props: {
  compared: Compared;
  sides: IDiffSides;
  showOutputs: boolean;
  hideUnchanged: boolean;
  trans: TranslationBundle;
}): JSX.Element {
  const { compared, trans } = props;
  switch (compared.kind) {
    case 'loading':
      return (
        <div className="jp-gitCheckpoints-state" role="status">
          {trans.__('Comparing…')}
        </div>
      );
    case 'error':
      return (
        <div
          className="jp-gitCheckpoints-state jp-gitCheckpoints-error"
          role="alert"
        >
          {trans.__('Could not compare: %1', compared.message)}
        </div>
      );
    case 'none':
      return <div className="jp-gitCheckpoints-state">{compared.reason}</div>;
    case 'text':
      return compared.diff.added + compared.diff.removed === 0 ? (
        <div className="jp-gitCheckpoints-state">
          {trans.__('The two versions are the same.')}
        </div>
      ) : (
        <LineDiffView diff={compared.diff} trans={trans} />
      );
    case 'notebook': {
      const { diff } = compared;
      const entries = props.hideUnchanged
        ? diff.entries.filter(entry => entry.kind !== 'unchanged')
        : diff.entries;
      const hidden = diff.entries.length - entries.length;
      return (
        <>
          <div className="jp-gitCheckpoints-summary">
            {trans._n('%1 cell changed', '%1 cells changed', diff.changed)}
            {trans.__(', %1 added, %2 removed', diff.added, diff.removed)}
            {hidden > 0 &&
              ` ${trans._n('(%1 unchanged cell hidden)', '(%1 unchanged cells hidden)', hidden)}`}
          </div>
          <NotebookDiffView
            diff={{ ...diff, entries }}
            showOutputs={props.showOutputs}
            sides={props.sides}
            trans={trans}
          />
        </>
      );
    }
  }
}
