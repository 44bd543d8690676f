import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { Hunks } from './hunks';
import { LineDiff } from './lineDiff';
import { NotebookDiff } from './notebookDiff';

/** The two sides of a diff in words: `-` lines are the `before` side's, `+` lines the `after` side's. */
export interface IDiffSides {
  before: string;
  after: string;
}

/** A legend naming both sides, above a diff. */
export function DiffLegend(props: { sides: IDiffSides }): JSX.Element {
  return (
    <div className="jp-gitCheckpoints-legend">
      <span className="jp-gitCheckpoints-removed">− {props.sides.before}</span>
      <span className="jp-gitCheckpoints-added">+ {props.sides.after}</span>
    </div>
  );
}

/** Rows of a line diff: `-` for the `before` side's lines, `+` for the `after` side's. */
export function LineDiffView(props: {
  diff: LineDiff.IResult;
  trans: TranslationBundle;
  /** A control shown above each hunk (e.g. "Restore these lines"). */
  hunkAction?: (hunk: Hunks.IHunk) => React.ReactNode;
}): JSX.Element {
  const { diff, trans, hunkAction } = props;
  const hunkAt = new Map(
    hunkAction ? Hunks.of(diff).map(hunk => [hunk.row, hunk]) : []
  );
  return (
    <div className="jp-gitCheckpoints-lineDiff" role="table">
      {diff.rows.map((row, i) => {
        const hunk = hunkAt.get(i);
        const action = hunk && (
          <div
            key={`hunk-${i}`}
            className="jp-gitCheckpoints-hunkBar"
            role="row"
          >
            {hunkAction!(hunk)}
          </div>
        );
        if (row.kind === 'gap') {
          return (
            <div key={i} className="jp-gitCheckpoints-gap" role="row">
              {trans._n(
                '⋯ %1 unchanged line',
                '⋯ %1 unchanged lines',
                row.lines
              )}
            </div>
          );
        }
        const marker =
          row.kind === 'added' ? '+' : row.kind === 'removed' ? '-' : ' ';
        const line = (
          <div
            key={i}
            role="row"
            className={`jp-gitCheckpoints-line jp-gitCheckpoints-${row.kind}`}
          >
            <span className="jp-gitCheckpoints-lineNo" aria-hidden="true">
              {row.kind === 'added' ? '' : row.oldLine}
            </span>
            <span className="jp-gitCheckpoints-lineNo" aria-hidden="true">
              {row.kind === 'removed' ? '' : row.newLine}
            </span>
            <span className="jp-gitCheckpoints-marker">{marker}</span>
            <span className="jp-gitCheckpoints-text">{row.text}</span>
          </div>
        );
        return action ? [action, line] : line;
      })}
    </div>
  );
}

/** The cells of a notebook diff; outputs only when asked for. */
export function NotebookDiffView(props: {
  diff: NotebookDiff.IResult;
  showOutputs: boolean;
  sides: IDiffSides;
  trans: TranslationBundle;
  /** Extra controls of one cell (e.g. "Restore this cell"), after its header. */
  cellActions?: (entry: NotebookDiff.IEntry, index: number) => React.ReactNode;
}): JSX.Element {
  const { diff, showOutputs, sides, trans } = props;
  return (
    <ol className="jp-gitCheckpoints-cells" aria-label={trans.__('Cells')}>
      {diff.entries.map((entry, i) => (
        <li
          key={i}
          className={`jp-gitCheckpoints-cell jp-gitCheckpoints-cell-${entry.kind}`}
        >
          <div className="jp-gitCheckpoints-cellHeader">
            <span className="jp-gitCheckpoints-badge">
              {kindLabel(entry, sides, trans)}
            </span>
            <span className="jp-gitCheckpoints-cellType">{entry.cellType}</span>
            {entry.outputsChanged && (
              <span className="jp-gitCheckpoints-badge">
                {trans.__('outputs changed')}
              </span>
            )}
            {props.cellActions?.(entry, i)}
          </div>
          <CellSource entry={entry} trans={trans} />
          {showOutputs && (
            <CellOutputs entry={entry} sides={sides} trans={trans} />
          )}
        </li>
      ))}
    </ol>
  );
}

function kindLabel(
  entry: NotebookDiff.IEntry,
  sides: IDiffSides,
  trans: TranslationBundle
): string {
  switch (entry.kind) {
    case 'added':
      return trans.__('only in %1', sides.after);
    case 'removed':
      return trans.__('only in %1', sides.before);
    case 'changed':
      return trans.__('changed');
    case 'unchanged':
      return trans.__('unchanged');
  }
}

function CellSource(props: {
  entry: NotebookDiff.IEntry;
  trans: TranslationBundle;
}): JSX.Element {
  const { entry, trans } = props;
  if (entry.source) {
    return <LineDiffView diff={entry.source} trans={trans} />;
  }
  const cell = (entry.after ?? entry.before) as NotebookDiff.ICell;
  const source = NotebookDiff.sourceOf(cell);
  // Unchanged cells show their first line only, to keep the changes in view.
  const shown =
    entry.kind === 'unchanged' || entry.kind === 'changed'
      ? source.split('\n')[0]
      : source;
  return (
    <pre className="jp-gitCheckpoints-source">
      {shown || trans.__('(empty)')}
    </pre>
  );
}

function CellOutputs(props: {
  entry: NotebookDiff.IEntry;
  sides: IDiffSides;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { entry, sides, trans } = props;
  const before = entry.before ? NotebookDiff.outputsText(entry.before) : '';
  const after = entry.after ? NotebookDiff.outputsText(entry.after) : '';
  if (!before && !after) {
    return null;
  }
  if (!entry.outputsChanged || entry.kind !== 'changed') {
    return <pre className="jp-gitCheckpoints-outputs">{after || before}</pre>;
  }
  return (
    <div className="jp-gitCheckpoints-outputs">
      <div className="jp-gitCheckpoints-outputsLabel">
        {trans.__('Outputs in %1', sides.before)}
      </div>
      <pre className="jp-gitCheckpoints-removed">
        {before || trans.__('(none)')}
      </pre>
      <div className="jp-gitCheckpoints-outputsLabel">
        {trans.__('Outputs in %1', sides.after)}
      </div>
      <pre className="jp-gitCheckpoints-added">
        {after || trans.__('(none)')}
      </pre>
    </div>
  );
}
