import type { GitHttpResponse, HttpClient } from 'isomorphic-git';

/** A remote that stopped answering. */
export class RemoteTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the remote did not answer within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'RemoteTimeoutError';
  }
}

/**
 * Wraps an isomorphic-git http client so that no request waits forever: the
 * response must start, and each chunk of its body arrive, within `timeoutMs`.
 * The request is then aborted (isomorphic-git's Node and fetch clients both
 * honour `signal`) and the operation fails with `RemoteTimeoutError`.
 * `closed` aborts every request, e.g. when the sync is disposed.
 */
export function withTimeout(
  http: HttpClient,
  timeoutMs: number,
  closed?: AbortSignal
): HttpClient {
  return {
    async request(request) {
      if (closed?.aborted) {
        throw new Error('the remote connection was closed');
      }
      const controller = new AbortController();
      const abort = () => controller.abort();
      request.signal?.addEventListener('abort', abort);
      closed?.addEventListener('abort', abort);
      const response = await deadline(
        http.request({ ...request, signal: controller.signal }),
        timeoutMs,
        abort
      ).finally(() => closed?.removeEventListener('abort', abort));
      return response.body
        ? { ...response, body: idleLimited(response.body, timeoutMs, abort) }
        : response;
    }
  };
}

function deadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  onTimeout: () => void
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new RemoteTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function idleLimited(
  body: NonNullable<GitHttpResponse['body']>,
  timeoutMs: number,
  abort: () => void
): AsyncIterableIterator<Uint8Array> {
  const source = body[Symbol.asyncIterator]();
  const iterator: AsyncIterableIterator<Uint8Array> = {
    next: () =>
      deadline(source.next(), timeoutMs, () => {
        abort();
        void source.return?.();
      }),
    return: async value => {
      await source.return?.(value);
      return { done: true, value };
    },
    [Symbol.asyncIterator]: () => iterator
  };
  return iterator;
}
