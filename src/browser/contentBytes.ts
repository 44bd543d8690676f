import type { Contents } from '@jupyterlab/services';

/**
 * A contents model as the bytes git stores, and back: notebooks as nbformat
 * writes them (keys sorted, one-space indent, final newline) so that diffs
 * against the git CLI's view stay small; text as UTF-8; base64 decoded.
 */
export namespace ContentBytes {
  /** What serialising needs of a contents model (it crosses to the worker as is). */
  export type IModel = Pick<Contents.IModel, 'type' | 'format' | 'content'>;

  export function fromModel(model: IModel): Uint8Array {
    if (model.type === 'notebook' || model.format === 'json') {
      return encoder.encode(
        JSON.stringify(sortKeys(model.content), null, 1) + '\n'
      );
    }
    if (model.format === 'base64') {
      return Uint8Array.from(atob(String(model.content ?? '')), c =>
        c.charCodeAt(0)
      );
    }
    return encoder.encode(String(model.content ?? ''));
  }

  /** The save options that write `bytes` back as a file of `like`'s type and format. */
  export function toModel(
    like: Pick<Contents.IModel, 'type' | 'format'>,
    bytes: Uint8Array
  ): Partial<Contents.IModel> {
    if (like.type === 'notebook' || like.format === 'json') {
      return {
        type: like.type,
        format: 'json',
        content: JSON.parse(decoder.decode(bytes))
      };
    }
    if (like.format === 'base64') {
      let binary = '';
      for (let i = 0; i < bytes.length; i += CHUNK) {
        binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
      }
      return { type: like.type, format: 'base64', content: btoa(binary) };
    }
    return { type: like.type, format: 'text', content: decoder.decode(bytes) };
  }

  /** The save options for a file known only by its path and bytes (an imported one). */
  export function guessModel(
    path: string,
    bytes: Uint8Array
  ): Partial<Contents.IModel> {
    if (path.endsWith('.ipynb')) {
      return toModel({ type: 'notebook', format: 'json' }, bytes);
    }
    try {
      return { type: 'file', format: 'text', content: strict.decode(bytes) };
    } catch {
      return toModel({ type: 'file', format: 'base64' }, bytes);
    }
  }

  const strict = new TextDecoder('utf-8', { fatal: true });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  /** Bytes per `String.fromCharCode` call, well under the argument limit. */
  const CHUNK = 0x8000;

  function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map(sortKeys);
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map(key => [key, sortKeys((value as Record<string, unknown>)[key])])
      );
    }
    return value;
  }
}
