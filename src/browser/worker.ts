/**
 * The engine worker's entry: serves the page's calls (protocol.ts) one
 * message each, so commits never run on the page's main thread.
 */
import './bufferGlobal';
import type { IErrorJSON } from '../engine/errors';
import type { IRequest, IResponse } from './protocol';
import { WorkerEngine } from './workerEngine';

const engine = new WorkerEngine();
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<IRequest>) => void) | null;
  postMessage(message: IResponse, transfer?: Transferable[]): void;
};

scope.onmessage = async ({ data: { id, method, args } }) => {
  try {
    const result = await (engine[method] as (...a: unknown[]) => unknown)(
      ...args
    );
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    scope.postMessage({ id, result }, transfer);
  } catch (error) {
    scope.postMessage({ id, error: await toJSON(error) });
  }
};

/**
 * An engine error keeps its code; the browser's refusal to store more (its
 * quota, or a write IndexedDB could not make: a full disk) gets one that says
 * how full the storage is; anything else becomes a plain message.
 */
async function toJSON(error: any): Promise<IErrorJSON> {
  const quota = error?.name === 'QuotaExceededError';
  // IndexedDB's failed write arrives as "Failed to write blobs (IOError)", its name not kept on the way.
  if (quota || /\(IOError\)/.test(String(error?.message))) {
    const { usage = 0, quota: size = 0 } = await navigator.storage
      .estimate()
      .catch(() => ({}) as StorageEstimate);
    const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
    const why = quota
      ? "The browser's storage for this site is full"
      : `The browser could not write to this site's storage (${error.message}): the disk may be full`;
    return {
      code: 'StorageFull',
      message: `${why} (${mb(usage)} MB used of ${mb(size)} MB): no checkpoint was made. Delete files you no longer need, or download the repository and start afresh.`,
      data: { usage, quota: size }
    };
  }
  return {
    code: typeof error?.code === 'string' ? error.code : 'Error',
    message: String(error?.message ?? error),
    data: error?.data ?? {}
  };
}
