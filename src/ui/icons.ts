import { LabIcon } from '@jupyterlab/ui-components';

/** A commit on a line: "create checkpoint" and the status bar item. */
export const checkpointIcon = new LabIcon({
  name: 'jupyterlab-git-checkpoints:checkpoint',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M12 7a5 5 0 0 1 4.9 4H22v2h-5.1a5 5 0 0 1-9.8 0H2v-2h5.1A5 5 0 0 1 12 7zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"/></svg>'
});

/** A clock turning back: "restore checkpoint". */
export const restoreIcon = new LabIcon({
  name: 'jupyterlab-git-checkpoints:restore',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M13 3a9 9 0 0 0-9 9H1l3.9 3.9L9 12H6a7 7 0 1 1 2.05 4.95l-1.42 1.42A9 9 0 1 0 13 3zm-1 5v5l4.28 2.54.72-1.21-3.5-2.08V8H12z"/></svg>'
});
