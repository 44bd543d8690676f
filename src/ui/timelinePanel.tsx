import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ISignal } from '@lumino/signaling';
import * as React from 'react';
import { CommandIDs } from '../commands/commandIds';
import {
  ICheckpointStatus,
  IGitCheckpointsClient,
  IRichCheckpoint
} from '../tokens';
import { Format } from './format';
import { HistoryFormat } from './historyFormat';
import { checkpointIcon } from './icons';

/**
 * The "Checkpoints" panel of the right sidebar: the current document's
 * history, newest first, ten at a time. It reloads when the current
 * document changes and when the branch moves (a save, a restore).
 */
export class TimelinePanel extends ReactWidget {
  constructor(private _options: TimelinePanel.IOptions) {
    super();
    this.id = 'jp-gitCheckpoints-timeline';
    this.title.icon = checkpointIcon;
    this.title.caption = _options.trans.__('Checkpoints');
    this.addClass('jp-gitCheckpoints-timeline');
  }

  protected render(): JSX.Element {
    return <Timeline {...this._options} />;
  }
}

export namespace TimelinePanel {
  export interface IOptions {
    client: IGitCheckpointsClient;
    status: ICheckpointStatus;
    commands: CommandRegistry;
    /** The current document's contents path, null when it is none of ours. */
    currentPath: () => string | null;
    /** Emitted when the current document may have changed. */
    currentChanged: ISignal<unknown, unknown>;
    /** The server path of a contents path. */
    serverPath: (path: string) => string;
    /** Page size. */
    pageSize: number;
    trans: TranslationBundle;
  }
}

type Entries = {
  path: string;
  checkpoints: IRichCheckpoint[];
  cursor: string | null;
};

function Timeline(props: TimelinePanel.IOptions): JSX.Element {
  const { client, status, commands, trans } = props;
  const [path, setPath] = React.useState(props.currentPath());
  const [entries, setEntries] = React.useState<Entries | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const head = React.useRef<string | null | undefined>(undefined);

  const load = (file: string | null) => {
    setError(null);
    if (!file) {
      setEntries(null);
      return;
    }
    client.timeline(props.serverPath(file), { limit: props.pageSize }).then(
      page =>
        setEntries(current =>
          props.currentPath() === file ? { ...page, path: file } : current
        ),
      e => setError(e.message)
    );
  };

  React.useEffect(() => {
    load(path);
  }, [path]);

  React.useEffect(() => {
    const onCurrent = () => setPath(props.currentPath());
    // The branch moved: a checkpoint, restore or rename happened.
    const onStatus = () => {
      const now = status.status?.head ?? null;
      if (head.current !== undefined && head.current !== now) {
        load(props.currentPath());
      }
      head.current = now;
    };
    props.currentChanged.connect(onCurrent);
    status.changed.connect(onStatus);
    return () => {
      props.currentChanged.disconnect(onCurrent);
      status.changed.disconnect(onStatus);
    };
  }, []);

  const loadOlder = () => {
    if (!entries?.cursor) {
      return;
    }
    client
      .timeline(props.serverPath(entries.path), {
        limit: props.pageSize,
        cursor: entries.cursor
      })
      .then(
        page =>
          setEntries(current =>
            current && current.path === entries.path
              ? {
                  ...current,
                  checkpoints: [...current.checkpoints, ...page.checkpoints],
                  cursor: page.cursor
                }
              : current
          ),
        e => setError(e.message)
      );
  };

  const hasRemote = !!status.status?.remote;
  return (
    <div className="jp-gitCheckpoints-timelineBody">
      <h2 className="jp-gitCheckpoints-timelineTitle">
        {trans.__('Checkpoints')}
        {path && (
          <span className="jp-gitCheckpoints-timelineFile">
            {path.split('/').pop()}
          </span>
        )}
      </h2>
      {!path && (
        <div className="jp-gitCheckpoints-state">
          {trans.__('Open a file to see its checkpoints.')}
        </div>
      )}
      {error && (
        <div
          className="jp-gitCheckpoints-state jp-gitCheckpoints-error"
          role="alert"
        >
          {trans.__('Could not load the checkpoints: %1', error)}
        </div>
      )}
      {path && entries?.checkpoints.length === 0 && (
        <div className="jp-gitCheckpoints-state">
          {trans.__('No checkpoints yet.')}
        </div>
      )}
      {entries && (
        <ol
          className="jp-gitCheckpoints-timelineList"
          aria-label={trans.__('Checkpoints of %1, newest first', entries.path)}
        >
          {entries.checkpoints.map((checkpoint, i) => (
            <TimelineEntry
              key={checkpoint.id}
              checkpoint={checkpoint}
              older={entries.checkpoints[i + 1] ?? null}
              path={entries.path}
              canRename={i === 0 && !checkpoint.pushed}
              hasRemote={hasRemote}
              commands={commands}
              trans={trans}
            />
          ))}
        </ol>
      )}
      {entries?.cursor && (
        <button
          className="jp-gitCheckpoints-button jp-gitCheckpoints-older"
          onClick={loadOlder}
        >
          {trans.__('Show older checkpoints')}
        </button>
      )}
    </div>
  );
}

function TimelineEntry(props: {
  checkpoint: IRichCheckpoint;
  /** The entry below, compared with on click; null for the oldest loaded. */
  older: IRichCheckpoint | null;
  path: string;
  canRename: boolean;
  hasRemote: boolean;
  commands: CommandRegistry;
  trans: TranslationBundle;
}): JSX.Element {
  const { checkpoint, path, commands, trans } = props;
  const named = HistoryFormat.isNamed(checkpoint.message);
  const run = (command: string) =>
    void commands.execute(command, { path, id: checkpoint.id });
  const compareWithOlder = () =>
    void commands.execute(CommandIDs.compare, {
      path,
      before: props.older?.id ?? 'current',
      after: checkpoint.id
    });
  return (
    <li
      className={
        'jp-gitCheckpoints-timelineEntry' + (named ? ' jp-mod-named' : '')
      }
    >
      <button
        className="jp-gitCheckpoints-entryMain"
        onClick={compareWithOlder}
        title={trans.__('Compare with the checkpoint before it')}
      >
        <span className="jp-gitCheckpoints-message">
          {named && (
            <span className="jp-gitCheckpoints-namedMark">
              {trans.__('Named')}
            </span>
          )}
          {checkpoint.message}
        </span>
        <span className="jp-gitCheckpoints-meta">
          <span title={Time.format(checkpoint.last_modified)}>
            {Time.formatHuman(checkpoint.last_modified)}
          </span>
          <span>{checkpoint.author.name}</span>
          <span>
            {Format.checkpointPush(checkpoint, props.hasRemote, trans)}
          </span>
          <code className="jp-gitCheckpoints-hash">
            {Format.shortId(checkpoint.id)}
          </code>
        </span>
      </button>
      <span className="jp-gitCheckpoints-entryActions">
        <button
          className="jp-gitCheckpoints-button"
          onClick={() => run(CommandIDs.restoreTo)}
        >
          {trans.__('Restore')}
        </button>
        <button
          className="jp-gitCheckpoints-button"
          onClick={() => run(CommandIDs.openCopy)}
        >
          {trans.__('Open as a copy')}
        </button>
        <button
          className="jp-gitCheckpoints-button"
          onClick={() =>
            void commands.execute(CommandIDs.compare, {
              path,
              before: checkpoint.id,
              after: 'current'
            })
          }
        >
          {trans.__('Compare with current')}
        </button>
        {props.canRename && (
          <button
            className="jp-gitCheckpoints-button"
            onClick={() => run(CommandIDs.renameCheckpoint)}
          >
            {trans.__('Rename')}
          </button>
        )}
      </span>
    </li>
  );
}
