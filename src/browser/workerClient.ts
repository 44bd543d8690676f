import type {
  EngineMethod,
  IEngineWorker,
  IRequest,
  IResponse
} from './protocol';

/**
 * The page's end of the engine worker: `call(method, ...args)` posts one
 * request and resolves with its answer. A failed call rejects with a
 * `WorkerClient.CallError` that keeps the engine's error code. A worker that
 * dies (its script fails to load or throws outside a call) rejects every
 * pending and later call with `EngineUnavailable`, so nothing waits forever.
 */
export class WorkerClient {
  constructor(private readonly _worker: Worker) {
    _worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this._fail(event.message || 'the engine worker failed to load');
    };
    _worker.onmessageerror = () =>
      this._fail('a message from the engine worker could not be read');
    _worker.onmessage = ({ data }: MessageEvent<IResponse>) => {
      const pending = this._pending.get(data.id);
      this._pending.delete(data.id);
      if (!pending) {
        return;
      }
      if ('error' in data) {
        pending.reject(
          new WorkerClient.CallError(data.error.code, data.error.message)
        );
      } else {
        pending.resolve(data.result);
      }
    };
  }

  call<M extends EngineMethod>(
    method: M,
    ...args: Parameters<IEngineWorker[M]>
  ): ReturnType<IEngineWorker[M]> {
    if (this._failure) {
      return Promise.reject(this._failure) as ReturnType<IEngineWorker[M]>;
    }
    const id = ++this._sent;
    const request: IRequest = { id, method, args };
    const transfer = args.filter(
      (arg): arg is Uint8Array => arg instanceof Uint8Array
    );
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._worker.postMessage(
        request,
        transfer.map(bytes => bytes.buffer as ArrayBuffer)
      );
    }) as ReturnType<IEngineWorker[M]>;
  }

  dispose(): void {
    this._worker.terminate();
  }

  private _fail(reason: string): void {
    this._failure ??= new WorkerClient.CallError(
      'EngineUnavailable',
      `The checkpoint engine stopped in this browser (${reason}); reload the page to start it again.`
    );
    for (const { reject } of this._pending.values()) {
      reject(this._failure);
    }
    this._pending.clear();
  }

  private _failure: WorkerClient.CallError | null = null;
  private _sent = 0;
  private _pending = new Map<
    number,
    { resolve: (value: any) => void; reject: (reason: Error) => void }
  >();
}

export namespace WorkerClient {
  /** An engine call that failed: the engine's error code and message. */
  export class CallError extends Error {
    constructor(
      readonly code: string,
      message: string
    ) {
      super(message);
      this.name = 'GitCheckpointsError';
    }
  }
}
