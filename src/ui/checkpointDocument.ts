import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { Contents } from '@jupyterlab/services';
import { IGitCheckpointsClient } from '../tokens';
import { CellRestore } from './cellRestore';
import { Format } from './format';
import { Hunks } from './hunks';
import { NotebookDiff } from './notebookDiff';
import { asOwnUndoStep, type IUndoable } from './undoStep';

/**
 * One file seen through its checkpoints: its current content (the open
 * document's, unsaved edits included, or the file on disk), a checkpoint's
 * content, restore and "open as a copy".
 */
export class CheckpointDocument {
  constructor(options: CheckpointDocument.IOptions) {
    this.path = options.path;
    this._docManager = options.docManager;
    this._client = options.client;
  }

  /** The contents path (as the file browser and the document manager use it). */
  readonly path: string;

  /** The path the server routes take: the contents path without a drive. */
  get serverPath(): string {
    return this._contents.localPath(this.path);
  }

  get isNotebook(): boolean {
    return Format.isNotebook(this.path);
  }

  /** The content now: the open document's model if there is one, else the file on disk. */
  async current(): Promise<CheckpointDocument.Content> {
    const context = this._context();
    if (context) {
      return this.isNotebook
        ? {
            kind: 'notebook',
            notebook: this._asNotebook(context.model.toJSON())
          }
        : { kind: 'text', text: context.model.toString() };
    }
    const model = await this._contents.get(this.path, { content: true });
    if (model.type === 'notebook') {
      return { kind: 'notebook', notebook: this._asNotebook(model.content) };
    }
    return model.format === 'base64'
      ? { kind: 'binary' }
      : { kind: 'text', text: String(model.content ?? '') };
  }

  /** The content as of one checkpoint. */
  async checkpoint(id: string): Promise<CheckpointDocument.Content> {
    const data = await this._client.content(this.serverPath, id);
    if (data.format === 'base64') {
      return { kind: 'binary' };
    }
    return this.isNotebook
      ? {
          kind: 'notebook',
          notebook: this._asNotebook(Private.parseJSON(data.content))
        }
      : { kind: 'text', text: data.content };
  }

  /**
   * Restores a checkpoint. An open document is saved first if it has unsaved
   * changes (so the server keeps them as a checkpoint), then reloaded.
   */
  async restore(id: string): Promise<void> {
    const context = this._context();
    if (context?.model.dirty && !context.model.readOnly) {
      await context.save();
    }
    await this._client.restoreCheckpoint(this.serverPath, id);
    await context?.revert();
  }

  /**
   * Puts some cells of a checkpoint into the open notebook (opening it if
   * needed) as undoable edits; nothing is saved. Returns how many came back.
   */
  async restoreCells(plan: CellRestore.IPlan): Promise<number> {
    const context = await this._openContext();
    const shared = context.model
      .sharedModel as unknown as CellRestore.ISharedNotebook;
    const { count, first } = CellRestore.apply(shared, plan);
    // The first restored cell becomes the active one: Ctrl+Z there undoes it.
    const panel = this._docManager.findWidget(this.path) as
      Private.INotebookPanel | undefined;
    if (panel?.content && Number.isFinite(first)) {
      panel.content.activeCellIndex = first;
    }
    return count;
  }

  /**
   * Applies one hunk of a line diff computed from `before` to the open editor,
   * as an undoable edit; refuses when the text changed since.
   */
  async restoreHunk(before: string, hunk: Hunks.IHunk): Promise<void> {
    const context = await this._openContext();
    const shared = context.model.sharedModel as unknown as Private.ISharedText;
    if (shared.getSource() !== before) {
      throw new Error(`${this.path} changed since the preview was made`);
    }
    const { start, end, value } = Hunks.edit(before, hunk);
    asOwnUndoStep([shared], () => shared.updateSource(start, end, value));
  }

  /** Writes a checkpoint's content to a new file beside this one; returns its path. */
  async openCopy(id: string): Promise<string> {
    const data = await this._client.content(this.serverPath, id);
    const target = await this._freePath(id);
    const model: Partial<Contents.IModel> =
      this.isNotebook && data.format === 'text'
        ? {
            type: 'notebook',
            format: 'json',
            content: this._asNotebook(Private.parseJSON(data.content))
          }
        : { type: 'file', format: data.format, content: data.content };
    await this._contents.save(target, model);
    return target;
  }

  /** The first copy name not taken in the file's directory (one listing, no probing 404s). */
  private async _freePath(id: string): Promise<string> {
    const listing = await this._contents.get(PathExt.dirname(this.path), {
      content: true
    });
    const taken = new Set(
      (listing.content as Contents.IModel[]).map(item => item.path)
    );
    for (let attempt = 1; attempt <= Private.MAX_COPIES; attempt++) {
      const candidate = Format.copyPath(this.path, id, attempt);
      if (!taken.has(this._contents.localPath(candidate))) {
        return candidate;
      }
    }
    throw new Error(
      `Too many copies of ${this.path} at ${Format.shortId(id)} already exist`
    );
  }

  private _asNotebook(value: unknown): NotebookDiff.INotebook {
    const notebook = value as NotebookDiff.INotebook;
    if (!notebook || !Array.isArray(notebook.cells)) {
      throw new Error(`${this.path} is not a valid notebook`);
    }
    return notebook;
  }

  /** The open document's context, opening the document when it is not. */
  private async _openContext(): Promise<DocumentRegistry.Context> {
    let context = this._context();
    if (!context) {
      const widget = this._docManager.openOrReveal(this.path);
      context = widget && this._docManager.contextForWidget(widget);
    }
    if (!context) {
      throw new Error(`Cannot open ${this.path}`);
    }
    await context.ready;
    return context;
  }

  private _context(): DocumentRegistry.Context | undefined {
    const widget = this._docManager.findWidget(this.path);
    return widget ? this._docManager.contextForWidget(widget) : undefined;
  }

  private get _contents(): Contents.IManager {
    return this._docManager.services.contents;
  }

  private _docManager: IDocumentManager;
  private _client: IGitCheckpointsClient;
}

export namespace CheckpointDocument {
  export interface IOptions {
    path: string;
    docManager: IDocumentManager;
    client: IGitCheckpointsClient;
  }

  /** A version of the file, as the preview compares it. */
  export type Content =
    | { kind: 'notebook'; notebook: NotebookDiff.INotebook }
    | { kind: 'text'; text: string }
    | { kind: 'binary' };
}

namespace Private {
  export const MAX_COPIES = 50;

  /** The part of a notebook panel a cell restore uses (no dependency on @jupyterlab/notebook). */
  export interface INotebookPanel {
    content?: { activeCellIndex: number };
  }

  /** The parts of JupyterLab's shared text model (`ISharedText`) a hunk restore uses. */
  export interface ISharedText extends IUndoable {
    getSource(): string;
    updateSource(start: number, end: number, value: string): void;
  }

  export function parseJSON(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
}
