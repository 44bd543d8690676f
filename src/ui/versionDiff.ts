import type { TranslationBundle } from '@jupyterlab/translation';
import type { CheckpointDocument } from './checkpointDocument';
import { LineDiff } from './lineDiff';
import { NotebookDiff } from './notebookDiff';

/** The diff of two versions of a file as the views show it: by cells, by lines, or why there is none. */
export type VersionDiff =
  | { kind: 'notebook'; diff: NotebookDiff.IResult }
  | { kind: 'text'; diff: LineDiff.IResult }
  | { kind: 'none'; reason: string };

export namespace VersionDiff {
  /** Compares `before` (the `-` side) with `after` (the `+` side). */
  export function compute(
    before: CheckpointDocument.Content,
    after: CheckpointDocument.Content,
    options: NotebookDiff.IOptions,
    trans: TranslationBundle
  ): VersionDiff {
    if (before.kind === 'notebook' && after.kind === 'notebook') {
      return {
        kind: 'notebook',
        diff: NotebookDiff.compute(before.notebook, after.notebook, options)
      };
    }
    if (before.kind === 'text' && after.kind === 'text') {
      try {
        return {
          kind: 'text',
          diff: LineDiff.compute(before.text, after.text)
        };
      } catch (error) {
        if (error instanceof LineDiff.TooLargeError) {
          return {
            kind: 'none',
            reason: trans.__('The versions differ too much to compare.')
          };
        }
        throw error;
      }
    }
    return { kind: 'none', reason: trans.__('Binary file: no preview.') };
  }
}
