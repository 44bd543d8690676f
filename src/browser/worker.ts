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
    scope.postMessage({ id, error: toJSON(error) });
  }
};

/** An engine error keeps its code; anything else becomes a plain message. */
function toJSON(error: any): IErrorJSON {
  return {
    code: typeof error?.code === 'string' ? error.code : 'Error',
    message: String(error?.message ?? error),
    data: error?.data ?? {}
  };
}
